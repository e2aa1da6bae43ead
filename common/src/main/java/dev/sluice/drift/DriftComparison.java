/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import dev.sluice.drift.DriftPolicy.Verdict;
import dev.sluice.drift.DriftStatistics.ChiSquaredResult;
import dev.sluice.drift.DriftStatistics.KsResult;
import dev.sluice.model.ColumnProfile;
import dev.sluice.model.ColumnProfile.Bin;
import dev.sluice.model.ColumnProfile.NumericStats;
import dev.sluice.model.ProfiledColumn.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One column of one window compared with a reference on the same bins: the version's training
 * baseline ({@link #BASELINE}) or the previous window's profile ({@link #CONSECUTIVE}). Numeric
 * columns get PSI, KS, JS, normalized Wasserstein, chi-square, TV and L∞; categorical columns all
 * but KS and Wasserstein, plus new and missing categories (docs/drift.md).
 */
public final class DriftComparison {
  public static final String BASELINE = "BASELINE";
  public static final String CONSECUTIVE = "CONSECUTIVE";

  /**
   * The statistics of one comparison (NaN where undefined, e.g. KS of a categorical column).
   *
   * @param newCategories categories with window values that the reference had none of
   * @param missingCategories named categories the reference had and the window has none of
   */
  public record Result(
      String driftType,
      WindowProfile window,
      long referenceCount,
      long countDelta,
      double nullRateDelta,
      double psi,
      double ksStatistic,
      double ksPValue,
      double jsDistance,
      double wasserstein,
      double chiSquared,
      double chiSquaredPValue,
      double tvDistance,
      double lInfinity,
      List<String> newCategories,
      List<String> missingCategories,
      Verdict verdict) {
    public Result {
      newCategories = List.copyOf(newCategories);
      missingCategories = List.copyOf(missingCategories);
    }
  }

  private DriftComparison() {}

  /**
   * Compares {@code window} with {@code reference}, the baseline or the previous window's profile
   * of the same version, slice and column (so the same bins).
   *
   * @param referenceUnseen categories the reference saw outside the named bins (a previous window's
   *     unseen categories; empty for the baseline)
   */
  public static Result compare(
      String driftType,
      WindowProfile window,
      ColumnProfile reference,
      List<String> referenceUnseen,
      DriftPolicy policy) {
    ColumnProfile w = window.profile();
    BinnedSample a = sample(w);
    BinnedSample e = sample(reference);
    boolean numeric = w.kind() == Kind.NUMERIC;
    double psi = DriftStatistics.psi(e, a);
    double js = DriftStatistics.jsDistance(e, a);
    KsResult ks = numeric ? DriftStatistics.ks(e, a) : new KsResult(Double.NaN, Double.NaN, 0);
    double wasserstein =
        numeric
            ? DriftStatistics.wassersteinNormalized(
                e, a, reference.stats().map(NumericStats::stddev).orElse(Double.NaN))
            : Double.NaN;
    ChiSquaredResult chi = DriftStatistics.chiSquared(e, a);
    List<String> added = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    if (!numeric) {
      for (int i = 0; i < w.bins().size(); i++) {
        Bin bin = w.bins().get(i);
        String category = bin.category().orElseThrow();
        if (category.equals(ColumnProfile.OTHER)) {
          continue;
        }
        long before = reference.bins().get(i).count();
        if (before == 0 && bin.count() > 0) {
          added.add(category);
        } else if (before > 0 && bin.count() == 0) {
          missing.add(category);
        }
      }
      Set<String> unseen = new TreeSet<>(window.unseenCategories());
      unseen.removeAll(referenceUnseen);
      added.addAll(unseen);
    }
    long values = a.total();
    return new Result(
        driftType,
        window,
        reference.rowCount(),
        DriftStatistics.countDelta(reference.rowCount(), w.rowCount()),
        DriftStatistics.nullRateDelta(
            reference.nullCount(), reference.rowCount(), w.nullCount(), w.rowCount()),
        psi,
        ks.statistic(),
        ks.pValue(),
        js,
        wasserstein,
        chi.statistic(),
        chi.pValue(),
        DriftStatistics.tvDistance(e, a),
        DriftStatistics.lInfinity(e, a),
        added,
        missing,
        policy.judge(values, psi, js, ks.statistic(), ks.pValue()));
  }

  /** A profile's counts on its bins. */
  static BinnedSample sample(ColumnProfile p) {
    long[] counts = p.bins().stream().mapToLong(Bin::count).toArray();
    if (p.kind() == Kind.CATEGORICAL) {
      return BinnedSample.categorical(counts);
    }
    return BinnedSample.numeric(
        counts,
        p.innerEdges(),
        p.stats().map(NumericStats::min).orElse(null),
        p.stats().map(NumericStats::max).orElse(null));
  }
}
