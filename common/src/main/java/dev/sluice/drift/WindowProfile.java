/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static java.util.Objects.requireNonNull;

import dev.sluice.model.ColumnProfile;
import java.util.List;

/**
 * One column's profile over one window of one model version and slice (a row of {@code
 * profile_metrics}): counts on the baseline's bins and the window's own statistics.
 *
 * @param modelVersion the model version whose rows were profiled
 * @param sliceKey the slice's name ({@link WindowProfiler#ALL} for every row)
 * @param sliceValue the slice's value ({@link WindowProfiler#ALL} for every row)
 * @param profile counts on the baseline's bins, row, null and NaN counts, and the numeric moments
 * @param quantiles a numeric column's approximate quantiles at {@link WindowProfiler#QUANTILES}
 *     (empty without values or for a categorical column)
 * @param distinctCount the approximate number of distinct non-null values
 * @param unseenCategories a categorical column's values outside the baseline's named categories,
 *     sorted, at most {@link WindowProfiler#MAX_UNSEEN}
 */
public record WindowProfile(
    long modelVersion,
    String sliceKey,
    String sliceValue,
    ColumnProfile profile,
    List<Double> quantiles,
    long distinctCount,
    List<String> unseenCategories) {
  public WindowProfile {
    requireNonNull(sliceKey, "sliceKey is null");
    requireNonNull(sliceValue, "sliceValue is null");
    requireNonNull(profile, "profile is null");
    quantiles = List.copyOf(requireNonNull(quantiles, "quantiles is null"));
    unseenCategories = List.copyOf(requireNonNull(unseenCategories, "unseenCategories is null"));
  }

  /** The window's counts on the baseline's bins, for {@link DriftStatistics}. */
  public BinnedSample sample() {
    return DriftComparison.sample(profile);
  }
}
