/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static dev.sluice.drift.BinnedSample.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.sluice.model.CanaryStatistics;
import dev.sluice.model.ProfiledColumn.Kind;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.commons.math3.special.Gamma;

/**
 * Drift statistics of a window sample {@code A} against a baseline sample {@code E} counted into
 * the same bins (docs/drift.md states each definition). Shares are {@code a_i = A_i / sum(A)} and
 * {@code e_i = E_i / sum(E)}.
 *
 * <p>Conventions: when either side has no values (every count 0: an empty window, or a column that
 * is all null or NaN), every statistic of the distributions is NaN, p-values included. Empty bins
 * need no special case except in PSI, which smooths them. Every statistic but the normalized
 * Wasserstein distance is symmetric in the two samples. Every method taking two samples throws
 * {@link IllegalArgumentException} if their bins differ (kind, number of bins or edges).
 */
public final class DriftStatistics {
  private static final double LN_2 = Math.log(2);

  private DriftStatistics() {}

  /**
   * Population stability index: {@code sum_i (a_i - e_i) * ln(a_i / e_i)}, natural log, a share of
   * 0 on either side taken as {@link CanaryStatistics#PSI_EMPTY_BIN_SHARE} (1e-4). The one
   * implementation is {@link CanaryStatistics#psi}, which the canary's score PSI uses too.
   */
  public static double psi(BinnedSample baseline, BinnedSample window) {
    checkSameBins(baseline, window);
    return CanaryStatistics.psi(baseline.counts(), window.counts());
  }

  /**
   * Jensen-Shannon distance: the square root of {@code JSD = (KL(a || m) + KL(e || m)) / 2} with
   * {@code m = (a + e) / 2} and {@code KL(p || q) = sum_i p_i * log2(p_i / q_i)}, log base 2,
   * {@code 0 * log 0 = 0}, no smoothing. In [0, 1]: 0 for equal shares, 1 for disjoint ones.
   */
  public static double jsDistance(BinnedSample baseline, BinnedSample window) {
    checkSameBins(baseline, window);
    if (noValues(baseline, window)) {
      return Double.NaN;
    }
    double[] e = baseline.shares();
    double[] a = window.shares();
    double divergence = 0;
    for (int i = 0; i < a.length; i++) {
      double m = (a[i] + e[i]) / 2;
      divergence += halfKlTerm(a[i], m) + halfKlTerm(e[i], m);
    }
    // Rounding may leave a divergence a hair outside [0, 1].
    return Math.sqrt(Math.min(1.0, Math.max(0.0, divergence)));
  }

  /** Total variation distance: {@code sum_i |a_i - e_i| / 2}, in [0, 1]. */
  public static double tvDistance(BinnedSample baseline, BinnedSample window) {
    checkSameBins(baseline, window);
    if (noValues(baseline, window)) {
      return Double.NaN;
    }
    double[] e = baseline.shares();
    double[] a = window.shares();
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - e[i]);
    }
    return sum / 2;
  }

  /** L-infinity distance of the shares: {@code max_i |a_i - e_i|}, in [0, 1]. */
  public static double lInfinity(BinnedSample baseline, BinnedSample window) {
    checkSameBins(baseline, window);
    if (noValues(baseline, window)) {
      return Double.NaN;
    }
    double[] e = baseline.shares();
    double[] a = window.shares();
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - e[i]));
    }
    return max;
  }

  /**
   * A chi-square test's statistic, degrees of freedom and p-value.
   *
   * @param degreesOfFreedom the non-empty bins less one (0 when fewer than 2 are non-empty)
   */
  public record ChiSquaredResult(double statistic, int degreesOfFreedom, double pValue) {}

  /**
   * Chi-square test of homogeneity on the 2 x k' table of counts (baseline and window rows) of the
   * k' bins not empty on both sides: {@code sum (O - X)^2 / X} with expected counts {@code X = row
   * total * column total / grand total}, {@code k' - 1} degrees of freedom, and the p-value {@code
   * P(chi2(k' - 1) >= statistic)}. With fewer than 2 such bins: statistic 0, p-value 1.
   */
  public static ChiSquaredResult chiSquared(BinnedSample baseline, BinnedSample window) {
    checkSameBins(baseline, window);
    int nonEmpty = 0;
    for (int i = 0; i < baseline.bins(); i++) {
      if (baseline.count(i) + window.count(i) > 0) {
        nonEmpty++;
      }
    }
    int df = Math.max(nonEmpty - 1, 0);
    if (noValues(baseline, window)) {
      return new ChiSquaredResult(Double.NaN, df, Double.NaN);
    }
    if (df == 0) {
      return new ChiSquaredResult(0, 0, 1);
    }
    double rowE = baseline.total();
    double rowA = window.total();
    double grand = rowE + rowA;
    double statistic = 0;
    for (int i = 0; i < baseline.bins(); i++) {
      double column = baseline.count(i) + (double) window.count(i);
      if (column > 0) {
        statistic += squaredDeviation(baseline.count(i), rowE * column / grand);
        statistic += squaredDeviation(window.count(i), rowA * column / grand);
      }
    }
    // P(chi2(df) >= x) = Q(df / 2, x / 2), the regularized upper incomplete gamma function, which
    // stays accurate where 1 - CDF would round to 0.
    double p = Gamma.regularizedGammaQ(df / 2.0, statistic / 2);
    return new ChiSquaredResult(statistic, df, p);
  }

  /**
   * The binned two-sample Kolmogorov-Smirnov test.
   *
   * @param statistic {@code D}, the largest gap between the binned ECDFs
   * @param pValue the asymptotic p-value {@code P(K > sqrt(n m / (n + m)) D)}, K of Kolmogorov's
   *     distribution
   * @param errorBound the binning error: the D of the raw values lies in {@code [statistic,
   *     statistic + errorBound]}
   */
  public record KsResult(double statistic, double pValue, double errorBound) {}

  /**
   * Two-sample Kolmogorov-Smirnov test on numeric bins. {@code D = max_k |A_cdf(k) - E_cdf(k)|}
   * over the inner edges, where {@code cdf(k) = sum_{i < k} share_i} is the share of values below
   * edge {@code k} (0 without an inner edge). The p-value is that of the asymptotic two-sample
   * Kolmogorov distribution with {@code n = sum(E)}, {@code m = sum(A)}: conservative on binned
   * (tied) values. The raw values' D is at least the binned D and at most the binned D plus {@code
   * max_i max(a_i, e_i)}, the error bound (docs/drift.md proves both). NaN throughout when a side
   * has no values.
   *
   * @throws IllegalArgumentException for categorical samples (their bins have no order)
   */
  public static KsResult ks(BinnedSample baseline, BinnedSample window) {
    checkSameBins(baseline, window);
    checkArgument(baseline.kind() == Kind.NUMERIC, "Cannot compute KS of categorical samples");
    if (noValues(baseline, window)) {
      return new KsResult(Double.NaN, Double.NaN, Double.NaN);
    }
    double[] e = baseline.shares();
    double[] a = window.shares();
    double cdfE = 0;
    double cdfA = 0;
    double d = 0;
    double bound = 0;
    for (int i = 0; i < a.length; i++) {
      if (i > 0) {
        d = Math.max(d, Math.abs(cdfA - cdfE));
      }
      cdfE += e[i];
      cdfA += a[i];
      bound = Math.max(bound, Math.max(a[i], e[i]));
    }
    double n = baseline.total();
    double m = window.total();
    double p = Kolmogorov.survival(Math.sqrt(n * m / (n + m)) * d);
    return new KsResult(d, p, bound);
  }

  /**
   * The 1-Wasserstein distance {@code W1 = integral |F_A(x) - F_E(x)| dx} between the two numeric
   * samples, each side's CDF {@code F} being that of its values with every bin's count spread
   * uniformly over the bin clipped to the side's own [min, max] (a point mass where that is a
   * single point): so F is piecewise linear, 0 below the side's min and 1 from its max. NaN when a
   * side has no values or an infinite min or max.
   *
   * @throws IllegalArgumentException for categorical samples
   */
  public static double wasserstein(BinnedSample baseline, BinnedSample window) {
    checkSameBins(baseline, window);
    checkArgument(
        baseline.kind() == Kind.NUMERIC, "Cannot compute Wasserstein of categorical samples");
    return BinnedWasserstein.distance(baseline, window);
  }

  /**
   * {@link #wasserstein} over a scale (Evidently's normalization): the baseline's standard
   * deviation when it is finite and positive; else (a constant or single-valued baseline, stddev 0
   * or NaN) the range of both samples together, {@code max(max) - min(min)}, when positive; else
   * (both sides one and the same value) the distance is 0. NaN when {@link #wasserstein} is.
   *
   * @param baselineStddev the baseline's sample standard deviation ({@code stddev} in {@code
   *     model_baselines}; NaN where that is null)
   */
  public static double wassersteinNormalized(
      BinnedSample baseline, BinnedSample window, double baselineStddev) {
    double distance = wasserstein(baseline, window);
    if (Double.isNaN(distance)) {
      return Double.NaN;
    }
    if (Double.isFinite(baselineStddev) && baselineStddev > 0) {
      return distance / baselineStddev;
    }
    BinnedSample.Range b = baseline.range().orElseThrow();
    BinnedSample.Range w = window.range().orElseThrow();
    double range = Math.max(b.max(), w.max()) - Math.min(b.min(), w.min());
    return range > 0 ? distance / range : 0.0;
  }

  /** The window's categories that are not among the baseline's, sorted. */
  public static SortedSet<String> newCategories(
      Set<String> baselineCategories, Set<String> windowCategories) {
    return difference(windowCategories, baselineCategories);
  }

  /** The baseline's categories that the window lacks, sorted. */
  public static SortedSet<String> missingCategories(
      Set<String> baselineCategories, Set<String> windowCategories) {
    return difference(baselineCategories, windowCategories);
  }

  /** {@code windowRows - baselineRows}. */
  public static long countDelta(long baselineRows, long windowRows) {
    checkArgument(baselineRows >= 0, "Invalid baseline rows: %s (negative)", baselineRows);
    checkArgument(windowRows >= 0, "Invalid window rows: %s (negative)", windowRows);
    return windowRows - baselineRows;
  }

  /**
   * {@code windowNulls / windowRows - baselineNulls / baselineRows}; NaN when a side has no rows.
   * An all-null column has a null rate of 1, so the delta is defined for it.
   */
  public static double nullRateDelta(
      long baselineNulls, long baselineRows, long windowNulls, long windowRows) {
    checkNulls("baseline", baselineNulls, baselineRows);
    checkNulls("window", windowNulls, windowRows);
    if (baselineRows == 0 || windowRows == 0) {
      return Double.NaN;
    }
    return windowNulls / (double) windowRows - baselineNulls / (double) baselineRows;
  }

  private static void checkSameBins(BinnedSample baseline, BinnedSample window) {
    requireNonNull(baseline, "baseline is null");
    requireNonNull(window, "window is null");
    checkArgument(
        baseline.hasSameBins(window),
        "Cannot compare samples over different bins: baseline %s, window %s",
        baseline,
        window);
  }

  private static boolean noValues(BinnedSample baseline, BinnedSample window) {
    return baseline.total() == 0 || window.total() == 0;
  }

  /** {@code p / 2 * log2(p / m)}, 0 when p is 0 (then also when m is). */
  private static double halfKlTerm(double p, double m) {
    return p == 0 ? 0 : p / 2 * Math.log(p / m) / LN_2;
  }

  private static double squaredDeviation(long observed, double expected) {
    double deviation = observed - expected;
    return deviation * deviation / expected;
  }

  private static SortedSet<String> difference(Set<String> from, Set<String> without) {
    requireNonNull(from, "categories are null");
    requireNonNull(without, "categories are null");
    TreeSet<String> result = new TreeSet<>(from);
    result.removeAll(without);
    return Collections.unmodifiableSortedSet(result);
  }

  private static void checkNulls(String side, long nulls, long rows) {
    checkArgument(rows >= 0, "Invalid %s rows: %s (negative)", side, rows);
    checkArgument(
        nulls >= 0 && nulls <= rows,
        "Invalid %s nulls: %s (must be in [0, %s])",
        side,
        nulls,
        rows);
  }
}
