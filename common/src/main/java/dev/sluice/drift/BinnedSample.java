/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static java.util.Objects.requireNonNull;

import dev.sluice.model.ProfiledColumn.Kind;
import java.util.Arrays;
import java.util.Optional;

/**
 * One column's values counted into the bins of its baseline (table {@code model_baselines}, see
 * {@link dev.sluice.model.BaselineProfile}): the baseline itself, or a window of scoring inputs
 * counted into the same bins. Null and NaN values are in no bin.
 *
 * <ul>
 *   <li><b>Numeric:</b> inner edges {@code e_1 < .. < e_m} (finite) make the {@code m + 1} bins
 *       {@code [-Infinity, e_1), [e_1, e_2), .., [e_m, +Infinity]}; a value's bin is the number of
 *       edges {@code <=} it. {@code range} holds the min and max of the values: present exactly
 *       when there is a value, the min in the first non-empty bin and the max in the last.
 *   <li><b>Categorical:</b> top-K category bins and the other bin, in the baseline's order; no
 *       edges and no range.
 * </ul>
 *
 * @param kind numeric or categorical
 * @param counts the values in each bin, by bin index (at least one bin)
 * @param edges a numeric sample's inner edges, {@code counts.length - 1} of them; empty for a
 *     categorical sample
 * @param range the min and max of a numeric sample's values; empty without a value and for a
 *     categorical sample
 */
public record BinnedSample(Kind kind, long[] counts, double[] edges, Optional<Range> range) {
  /** The smallest and largest value of a numeric sample (either may be infinite, never NaN). */
  public record Range(double min, double max) {
    public Range {
      checkArgument(
          !Double.isNaN(min) && !Double.isNaN(max), "Invalid range: [%s, %s] (NaN)", min, max);
      checkArgument(min <= max, "Invalid range: [%s, %s] (min > max)", min, max);
    }
  }

  public BinnedSample {
    requireNonNull(kind, "kind is null");
    requireNonNull(counts, "counts is null");
    requireNonNull(edges, "edges is null");
    requireNonNull(range, "range is null");
    counts = counts.clone();
    edges = edges.clone();
    checkArgument(counts.length > 0, "Invalid counts: no bins");
    for (long count : counts) {
      checkArgument(count >= 0, "Invalid counts: %s (negative count)", Arrays.toString(counts));
    }
    if (kind == Kind.NUMERIC) {
      checkNumeric(counts, edges, range);
    } else {
      checkArgument(
          edges.length == 0, "Invalid categorical sample: edges %s", Arrays.toString(edges));
      checkArgument(range.isEmpty(), "Invalid categorical sample: range %s", range);
    }
  }

  /**
   * A numeric sample; {@code min} and {@code max} are null when there is no value (as read from
   * {@code model_baselines} or a Spark aggregation).
   */
  public static BinnedSample numeric(long[] counts, double[] edges, Double min, Double max) {
    checkArgument(
        (min == null) == (max == null), "Invalid range: min %s and max %s (one is null)", min, max);
    Optional<Range> range = min == null ? Optional.empty() : Optional.of(new Range(min, max));
    return new BinnedSample(Kind.NUMERIC, counts, edges, range);
  }

  /** A categorical sample: top-K category bins, then the other bin. */
  public static BinnedSample categorical(long[] counts) {
    return new BinnedSample(Kind.CATEGORICAL, counts, new double[0], Optional.empty());
  }

  /** A copy of the counts. */
  @Override
  public long[] counts() {
    return counts.clone();
  }

  /** A copy of the inner edges. */
  @Override
  public double[] edges() {
    return edges.clone();
  }

  /** The number of bins. */
  public int bins() {
    return counts.length;
  }

  /** The count of bin {@code i}. */
  public long count(int i) {
    return counts[i];
  }

  /** The number of values: the sum of the counts. */
  public long total() {
    return Arrays.stream(counts).sum();
  }

  /**
   * Each bin's share of the values, {@code count / total}; NaN in every bin when there is no value.
   */
  public double[] shares() {
    long total = total();
    double[] shares = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      shares[i] = total == 0 ? Double.NaN : counts[i] / (double) total;
    }
    return shares;
  }

  /** True when both samples have the same kind and the same bins (same count and same edges). */
  public boolean hasSameBins(BinnedSample other) {
    return kind == other.kind
        && counts.length == other.counts.length
        && Arrays.equals(edges, other.edges);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BinnedSample other
        && kind == other.kind
        && Arrays.equals(counts, other.counts)
        && Arrays.equals(edges, other.edges)
        && range.equals(other.range);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * kind.hashCode() + Arrays.hashCode(counts)) + Arrays.hashCode(edges))
        + range.hashCode();
  }

  @Override
  public String toString() {
    return "BinnedSample[kind="
        + kind.value()
        + ", counts="
        + Arrays.toString(counts)
        + ", edges="
        + Arrays.toString(edges)
        + ", range="
        + range.map(r -> "[" + r.min() + ", " + r.max() + "]").orElse("none")
        + "]";
  }

  /**
   * The bin of a non-NaN {@code value}: the number of edges {@code <=} it ({@code -0.0 == 0}), the
   * rule of {@code BaselineProfile.binIndex}, which needs Spark on the classpath to load.
   */
  static int binOf(double[] edges, double value) {
    int bin = 0;
    while (bin < edges.length && edges[bin] <= value) {
      bin++;
    }
    return bin;
  }

  private static void checkNumeric(long[] counts, double[] edges, Optional<Range> range) {
    checkArgument(
        edges.length == counts.length - 1,
        "Invalid numeric sample: %s edges for %s bins (must be one fewer)",
        edges.length,
        counts.length);
    for (int i = 0; i < edges.length; i++) {
      checkArgument(
          Double.isFinite(edges[i]), "Invalid edges: %s (not finite)", Arrays.toString(edges));
      checkArgument(
          i == 0 || edges[i - 1] < edges[i],
          "Invalid edges: %s (not strictly ascending)",
          Arrays.toString(edges));
    }
    int first = 0;
    while (first < counts.length && counts[first] == 0) {
      first++;
    }
    checkArgument(
        range.isPresent() == (first < counts.length),
        "Invalid numeric sample: range %s with counts %s (a range exactly when there is a value)",
        range,
        Arrays.toString(counts));
    if (range.isPresent()) {
      int last = counts.length - 1;
      while (counts[last] == 0) {
        last--;
      }
      Range r = range.get();
      checkArgument(
          binOf(edges, r.min()) == first,
          "Invalid numeric sample: min %s is not in bin %s, the first non-empty one of %s",
          r.min(),
          first,
          Arrays.toString(counts));
      checkArgument(
          binOf(edges, r.max()) == last,
          "Invalid numeric sample: max %s is not in bin %s, the last non-empty one of %s",
          r.max(),
          last,
          Arrays.toString(counts));
    }
  }

  static void checkArgument(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }
}
