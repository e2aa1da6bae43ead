/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.drift.BinnedSample.Range;
import dev.sluice.model.ProfiledColumn.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestDriftBinnedSample {
  @Test
  void numericSampleKeepsCountsEdgesAndRange() {
    BinnedSample s = BinnedSample.numeric(new long[] {1, 0, 3}, new double[] {0, 10}, -2.0, 11.0);
    assertThat(s.kind()).isEqualTo(Kind.NUMERIC);
    assertThat(s.bins()).isEqualTo(3);
    assertThat(s.total()).isEqualTo(4);
    assertThat(s.shares()).containsExactly(0.25, 0.0, 0.75);
    assertThat(s.range()).contains(new Range(-2, 11));
    assertThat(s)
        .isEqualTo(BinnedSample.numeric(new long[] {1, 0, 3}, new double[] {0, 10}, -2.0, 11.0));
  }

  @Test
  void arraysAreCopiedInAndOut() {
    long[] counts = {1, 2};
    double[] edges = {5};
    BinnedSample s = BinnedSample.numeric(counts, edges, 4.0, 6.0);
    counts[0] = 100;
    edges[0] = 50;
    s.counts()[1] = 100;
    s.edges()[0] = 70;
    assertThat(s.counts()).as("counts after outside writes").containsExactly(1, 2);
    assertThat(s.edges()).as("edges after outside writes").containsExactly(5.0);
  }

  @Test
  void sampleWithoutValuesHasNoRangeAndNaNShares() {
    BinnedSample s = BinnedSample.numeric(new long[] {0, 0}, new double[] {1}, null, null);
    assertThat(s.total()).isZero();
    assertThat(s.range()).isEmpty();
    assertThat(s.shares()).containsExactly(Double.NaN, Double.NaN);
    assertThat(BinnedSample.numeric(new long[] {0}, new double[0], null, null).bins()).isEqualTo(1);
  }

  @Test
  void constantColumnIsOneNonEmptyBinWithMinEqualToMax() {
    // model_baselines: a constant c has one edge c and bins [-Inf, c) (empty) and [c, +Inf].
    BinnedSample s = BinnedSample.numeric(new long[] {0, 7}, new double[] {3}, 3.0, 3.0);
    assertThat(s.shares()).containsExactly(0.0, 1.0);
  }

  @Test
  void categoricalSampleHasNoEdgesNorRange() {
    BinnedSample s = BinnedSample.categorical(new long[] {5, 3, 0});
    assertThat(s.kind()).isEqualTo(Kind.CATEGORICAL);
    assertThat(s.edges()).isEmpty();
    assertThat(s.range()).isEmpty();
    assertThat(s.hasSameBins(BinnedSample.categorical(new long[] {0, 0, 1}))).isTrue();
    assertThat(s.hasSameBins(BinnedSample.categorical(new long[] {0, 1}))).isFalse();
    assertThat(
            s.hasSameBins(
                BinnedSample.numeric(new long[] {0, 0, 1}, new double[] {1, 2}, 2.0, 2.0)))
        .as("same bin count but another kind")
        .isFalse();
  }

  @Test
  void rejectsEdgesThatDoNotFitTheCounts() {
    assertThatThrownBy(() -> BinnedSample.numeric(new long[] {1, 2}, new double[] {1, 2}, 0.0, 3.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid numeric sample: 2 edges for 2 bins (must be one fewer)");
    assertThatThrownBy(
            () -> BinnedSample.numeric(new long[] {1, 0, 2}, new double[] {2, 1}, 0.0, 3.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid edges: [2.0, 1.0] (not strictly ascending)");
    assertThatThrownBy(
            () ->
                BinnedSample.numeric(
                    new long[] {1, 2}, new double[] {Double.POSITIVE_INFINITY}, 0.0, 3.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid edges: [Infinity] (not finite)");
    assertThatThrownBy(() -> BinnedSample.numeric(new long[0], new double[0], null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid counts: no bins");
    assertThatThrownBy(() -> BinnedSample.categorical(new long[] {1, -1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid counts: [1, -1] (negative count)");
  }

  @Test
  void rejectsARangeThatDoesNotFitTheCounts() {
    assertThatThrownBy(() -> BinnedSample.numeric(new long[] {1, 2}, new double[] {5}, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid numeric sample: range Optional.empty with counts [1, 2]"
                + " (a range exactly when there is a value)");
    assertThatThrownBy(() -> BinnedSample.numeric(new long[] {0, 2}, new double[] {5}, 4.0, 6.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid numeric sample: min 4.0 is not in bin 1, the first non-empty one of [0, 2]");
    assertThatThrownBy(() -> BinnedSample.numeric(new long[] {2, 0}, new double[] {5}, 4.0, 6.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid numeric sample: max 6.0 is not in bin 0, the last non-empty one of [2, 0]");
    assertThatThrownBy(() -> BinnedSample.numeric(new long[] {1, 2}, new double[] {5}, 4.0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid range: min 4.0 and max null (one is null)");
    assertThatThrownBy(() -> BinnedSample.numeric(new long[] {1}, new double[0], 4.0, 3.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid range: [4.0, 3.0] (min > max)");
    assertThatThrownBy(() -> BinnedSample.numeric(new long[] {1}, new double[0], Double.NaN, 3.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid range: [NaN, 3.0] (NaN)");
  }

  @Test
  void rejectsEdgesOrRangeOnACategoricalSample() {
    assertThatThrownBy(
            () ->
                new BinnedSample(
                    Kind.CATEGORICAL, new long[] {1, 2}, new double[] {1}, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid categorical sample: edges [1.0]");
    assertThatThrownBy(
            () ->
                new BinnedSample(
                    Kind.CATEGORICAL, new long[] {1}, new double[0], Optional.of(new Range(1, 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid categorical sample: range Optional[Range[min=1.0, max=2.0]]");
  }

  @Test
  void infiniteValuesFallInTheOuterBins() {
    BinnedSample s =
        BinnedSample.numeric(
            new long[] {1, 0, 1},
            new double[] {0, 1},
            Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY);
    assertThat(s.range()).contains(new Range(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
  }
}
