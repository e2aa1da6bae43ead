/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import dev.sluice.drift.BinnedSample.Range;
import java.util.Arrays;

/**
 * The 1-Wasserstein distance between two numeric samples over the same bins, each spread uniformly
 * within its bins: {@link DriftStatistics#wasserstein} states the definition.
 */
final class BinnedWasserstein {
  private BinnedWasserstein() {}

  /** {@code W1 = integral of |F_b(x) - F_w(x)| dx}; NaN without values or with an infinite one. */
  static double distance(BinnedSample baseline, BinnedSample window) {
    if (baseline.range().isEmpty() || window.range().isEmpty()) {
      return Double.NaN;
    }
    Range b = baseline.range().get();
    Range w = window.range().get();
    double low = Math.min(b.min(), w.min());
    double high = Math.max(b.max(), w.max());
    if (!Double.isFinite(low) || !Double.isFinite(high)) {
      return Double.NaN;
    }
    // Both CDFs are linear between consecutive points: the edges and both sides' min and max.
    double[] points = points(baseline.edges(), low, high, b, w);
    double area = 0;
    for (int i = 0; i + 1 < points.length; i++) {
      double x0 = points[i];
      double x1 = points[i + 1];
      double d0 = cdf(baseline, x0) - cdf(window, x0); // right limit at x0 (CDFs right-continuous)
      double dMid = cdf(baseline, (x0 + x1) / 2) - cdf(window, (x0 + x1) / 2);
      double d1 = 2 * dMid - d0; // left limit at x1: the difference is linear on (x0, x1)
      area += integralOfAbsLinear(d0, d1, x1 - x0);
    }
    return area;
  }

  /**
   * The CDF at {@code x} of the sample's values with each bin's count spread uniformly over the bin
   * clipped to the sample's range (a point mass when the clipped bin is a single point).
   */
  private static double cdf(BinnedSample sample, double x) {
    Range range = sample.range().orElseThrow();
    double[] edges = sample.edges();
    double below = 0;
    for (int i = 0; i < sample.bins(); i++) {
      long count = sample.count(i);
      if (count == 0) {
        continue;
      }
      double lower = i == 0 ? range.min() : Math.max(edges[i - 1], range.min());
      double upper = i == edges.length ? range.max() : Math.min(edges[i], range.max());
      if (x >= upper) {
        below += count;
      } else if (x > lower) {
        below += count * (x - lower) / (upper - lower);
      }
    }
    return below / sample.total();
  }

  /** The distinct points where either CDF may bend or jump, ascending, within [low, high]. */
  private static double[] points(double[] edges, double low, double high, Range b, Range w) {
    double[] all = Arrays.copyOf(edges, edges.length + 4);
    all[edges.length] = b.min();
    all[edges.length + 1] = b.max();
    all[edges.length + 2] = w.min();
    all[edges.length + 3] = w.max();
    return Arrays.stream(all)
        .map(x -> x + 0.0)
        .filter(x -> x >= low && x <= high)
        .sorted()
        .distinct()
        .toArray();
  }

  /** The integral over an interval of {@code width} of |d| for d linear from d0 to d1. */
  private static double integralOfAbsLinear(double d0, double d1, double width) {
    double a0 = Math.abs(d0);
    double a1 = Math.abs(d1);
    if (d0 * d1 >= 0) {
      return width * (a0 + a1) / 2;
    }
    // d crosses 0 at the share a0 / (a0 + a1) of the interval: two triangles.
    return width * (a0 * a0 + a1 * a1) / (2 * (a0 + a1));
  }
}
