/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift;

import dev.sluice.config.ConfigReader;
import dev.sluice.error.PipelineErrors;
import java.time.LocalDate;

/**
 * Where a model's labels land and when a window counts as labelled ({@code
 * sluice.models.<model>.drift.performance}, docs/drift.md).
 *
 * @param table a source table pinned by {@code sluice snapshot}
 * @param entity its entity column (joined to the predictions' entity)
 * @param date its date column (joined to the predictions' score_date)
 * @param label the label column (0/1 for a binary model, numeric for regression)
 * @param landed the timestamp column saying when each label landed
 * @param horizonDays a window counts as labelled once this many days lie behind its end
 * @param lookbackDays each run evaluates the labelled windows that ended at most this many days
 *     before its date (so labels landing late recompute their window)
 */
public record PerformanceSpec(
    String table,
    String entity,
    String date,
    String label,
    String landed,
    int horizonDays,
    int lookbackDays) {

  static PerformanceSpec from(ConfigReader drift) {
    ConfigReader c = drift.section("performance");
    int horizon = c.has("horizon-days") ? c.positiveInt("horizon-days") : 28;
    int lookback = c.has("lookback-days") ? c.positiveInt("lookback-days") : horizon + 7;
    if (lookback < horizon) {
      throw PipelineErrors.invalidConfig(
          c.path("lookback-days"),
          lookback,
          "must be at least horizon-days (" + horizon + "), or no window is ever evaluated");
    }
    return new PerformanceSpec(
        c.nonEmptyString("labels.table", "raw_labels"),
        c.nonEmptyString("labels.entity", "customer_id"),
        c.nonEmptyString("labels.date", "observation_date"),
        c.nonEmptyString("labels.label", "churned"),
        c.nonEmptyString("labels.landed", "landed_ts"),
        horizon,
        lookback);
  }

  /** Whether the window ending at {@code end} is labelled as of {@code asOf}. */
  boolean labelled(LocalDate end, LocalDate asOf) {
    return !end.plusDays(horizonDays).isAfter(asOf);
  }

  /** Whether the window ending at {@code end} is within the lookback of {@code asOf}. */
  boolean inLookback(LocalDate end, LocalDate asOf) {
    return !end.isBefore(asOf.minusDays(lookbackDays));
  }
}
