/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;

/** Raw values, binned the way model_baselines bins them, and brute-force reference statistics. */
final class DriftSamples {
  private DriftSamples() {}

  /** Distinct quantiles k / bins of {@code values}, each the value of 1-based rank ceil(k/B n). */
  static double[] quantileEdges(double[] values, int bins) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    TreeSet<Double> edges = new TreeSet<>();
    for (int k = 1; k < bins; k++) {
      int rank = (int) Math.ceil((double) k / bins * sorted.length);
      edges.add(sorted[Math.max(rank, 1) - 1]);
    }
    return edges.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The values counted into the bins split by {@code edges}: bin = number of edges <= value. */
  static BinnedSample bin(double[] values, double[] edges) {
    long[] counts = new long[edges.length + 1];
    for (double v : values) {
      int bin = 0;
      for (double e : edges) {
        if (e <= v) {
          bin++;
        }
      }
      counts[bin]++;
    }
    if (values.length == 0) {
      return BinnedSample.numeric(counts, edges, null, null);
    }
    double min = Arrays.stream(values).min().getAsDouble();
    double max = Arrays.stream(values).max().getAsDouble();
    return BinnedSample.numeric(counts, edges, min, max);
  }

  /** Each bin's index repeated by its count: the binned values as a sample of integers. */
  static double[] expand(long[] counts) {
    double[] values = new double[(int) Arrays.stream(counts).sum()];
    int at = 0;
    for (int bin = 0; bin < counts.length; bin++) {
      for (long c = 0; c < counts[bin]; c++) {
        values[at++] = bin;
      }
    }
    return values;
  }

  /** The share of {@code values} that are {@code <= x}, by counting. */
  static double ecdf(double[] values, double x) {
    int below = 0;
    for (double v : values) {
      if (v <= x) {
        below++;
      }
    }
    return below / (double) values.length;
  }

  /** The exact two-sample KS statistic: the largest ECDF gap, checked at every value. */
  static double bruteForceKs(double[] x, double[] y) {
    double d = 0;
    for (double[] side : new double[][] {x, y}) {
      for (double v : side) {
        d = Math.max(d, Math.abs(ecdf(x, v) - ecdf(y, v)));
      }
    }
    return d;
  }

  /** The exact W1 of two raw samples: the integral of |F_x - F_y| between consecutive values. */
  static double bruteForceWasserstein(double[] x, double[] y) {
    double[] all = new double[x.length + y.length];
    System.arraycopy(x, 0, all, 0, x.length);
    System.arraycopy(y, 0, all, x.length, y.length);
    Arrays.sort(all);
    double area = 0;
    for (int i = 0; i + 1 < all.length; i++) {
      area += Math.abs(ecdf(x, all[i]) - ecdf(y, all[i])) * (all[i + 1] - all[i]);
    }
    return area;
  }

  /** Random counts over {@code bins} bins, about a third of them empty. */
  static long[] randomCounts(Random random, int bins) {
    long[] counts = new long[bins];
    for (int i = 0; i < bins; i++) {
      counts[i] = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(50);
    }
    return counts;
  }
}
