/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The statistical tests of a canary analysis (docs/scoring.md states each): PSI between two binned
 * distributions, a two-proportion z-test, a normal interval of a difference of means, and a
 * percentile bootstrap interval of an AUC difference.
 */
public final class CanaryStatistics {
  /** Share given to an empty bin in PSI, so that its log term stays finite. */
  public static final double PSI_EMPTY_BIN_SHARE = 1e-4;

  private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

  private CanaryStatistics() {}

  /**
   * Population stability index of {@code actual} against {@code expected} bin counts: {@code sum((a
   * - e) * ln(a / e))} over bins, with shares of each side's total and an empty bin's share
   * replaced by {@link #PSI_EMPTY_BIN_SHARE}. NaN when a side has no rows. The one PSI
   * implementation: {@code dev.sluice.drift.DriftStatistics.psi} calls it too.
   */
  public static double psi(long[] expected, long[] actual) {
    if (expected.length != actual.length) {
      throw new IllegalArgumentException("bin counts differ in length");
    }
    long e = Arrays.stream(expected).sum();
    long a = Arrays.stream(actual).sum();
    if (e == 0 || a == 0) {
      return Double.NaN;
    }
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double es = Math.max(expected[i] / (double) e, PSI_EMPTY_BIN_SHARE);
      double as = Math.max(actual[i] / (double) a, PSI_EMPTY_BIN_SHARE);
      psi += (as - es) * Math.log(as / es);
    }
    return psi;
  }

  /** A test's statistic and two-sided p-value. */
  public record ZTest(double z, double pValue) {}

  /**
   * Two-proportion z-test of {@code x1/n1} against {@code x2/n2} with the pooled proportion; z is
   * positive when the second rate is higher. A pooled rate of 0 or 1 gives z = 0 and p = 1.
   */
  public static ZTest twoProportions(long x1, long n1, long x2, long n2) {
    double p1 = x1 / (double) n1;
    double p2 = x2 / (double) n2;
    double pooled = (x1 + x2) / (double) (n1 + n2);
    double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
    if (se == 0) {
      return new ZTest(0, 1);
    }
    double z = (p2 - p1) / se;
    return new ZTest(z, 2 * (1 - NORMAL.cumulativeProbability(Math.abs(z))));
  }

  /** An interval {@code [low, high]} around an estimate. */
  public record Interval(double estimate, double low, double high) {}

  /**
   * The 95% normal (Welch) interval of {@code mean2 - mean1} from each side's mean, sample variance
   * and count.
   */
  public static Interval meanDifference(
      double mean1, double variance1, long n1, double mean2, double variance2, long n2) {
    double diff = mean2 - mean1;
    double se = Math.sqrt(variance1 / n1 + variance2 / n2);
    double half = NORMAL.inverseCumulativeProbability(0.975) * se;
    return new Interval(diff, diff - half, diff + half);
  }

  /**
   * AUC-ROC of scores against 0/1 labels: the Mann-Whitney statistic, ties counting one half; NaN
   * without both classes.
   */
  public static double auc(double[] scores, int[] labels) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(scores[x], scores[y]));
    long positives = Arrays.stream(labels).filter(l -> l == 1).count();
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    double rankSum = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1; // mean 1-based rank of the tie group
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] == 1) {
          rankSum += rank;
        }
      }
      i = j + 1;
    }
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /**
   * Percentile bootstrap 95% interval of {@code AUC(challenger) - AUC(champion)}: each cohort is
   * resampled with replacement {@code resamples} times (seeded), resamples with a single class are
   * skipped, and the 2.5th and 97.5th percentiles of the differences bound the interval.
   */
  public static Interval bootstrapAucDifference(
      double[] championScores,
      int[] championLabels,
      double[] challengerScores,
      int[] challengerLabels,
      int resamples,
      long seed) {
    double estimate = auc(challengerScores, challengerLabels) - auc(championScores, championLabels);
    Random random = new Random(seed);
    double[] diffs = new double[resamples];
    int kept = 0;
    for (int b = 0; b < resamples; b++) {
      double d =
          resampledAuc(challengerScores, challengerLabels, random)
              - resampledAuc(championScores, championLabels, random);
      if (!Double.isNaN(d)) {
        diffs[kept++] = d;
      }
    }
    if (kept == 0) {
      return new Interval(estimate, Double.NaN, Double.NaN);
    }
    double[] sorted = Arrays.copyOf(diffs, kept);
    Arrays.sort(sorted);
    return new Interval(estimate, percentile(sorted, 0.025), percentile(sorted, 0.975));
  }

  private static double resampledAuc(double[] scores, int[] labels, Random random) {
    int n = scores.length;
    double[] s = new double[n];
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      int k = random.nextInt(n);
      s[i] = scores[k];
      l[i] = labels[k];
    }
    return auc(s, l);
  }

  /** Linear interpolation between closest ranks of a sorted array. */
  static double percentile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int lower = (int) Math.floor(position);
    int upper = (int) Math.ceil(position);
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
  }
}
