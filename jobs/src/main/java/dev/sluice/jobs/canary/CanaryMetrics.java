/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.canary;

import static dev.sluice.jobs.canary.MetricResult.FAILURE;
import static dev.sluice.jobs.canary.MetricResult.INCONCLUSIVE;
import static dev.sluice.jobs.canary.MetricResult.SUCCESS;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.var_samp;
import static org.apache.spark.sql.functions.when;

import dev.sluice.model.BaselineProfile;
import dev.sluice.model.CanaryStatistics;
import dev.sluice.model.CanaryStatistics.Interval;
import dev.sluice.model.CanaryStatistics.ZTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The metrics of one canary window, from rows {@code (side, probability, label)} where side is
 * {@link #CHAMPION} or {@link #CHALLENGER} and label is null until it lands. Every metric needs at
 * least {@code min-samples} rows per side, else it is inconclusive.
 */
final class CanaryMetrics {
  static final String SIDE = "side";
  static final String CHAMPION = "champion";
  static final String CHALLENGER = "challenger";
  static final String SCORE = "probability";
  static final String LABEL = "label";

  private CanaryMetrics() {}

  static List<MetricResult> evaluate(Dataset<Row> sides, CanarySpec spec) {
    Map<String, Row> stats = new HashMap<>();
    Column bad = col(SCORE).isNull().or(isnan(col(SCORE)));
    for (Row r :
        sides
            .groupBy(SIDE)
            .agg(
                count(lit(1)),
                sum(when(bad, 1L).otherwise(0L)),
                avg(when(bad, null).otherwise(col(SCORE))),
                var_samp(when(bad, null).otherwise(col(SCORE))))
            .collectAsList()) {
      stats.put(r.getString(0), r);
    }
    long nChampion = rows(stats.get(CHAMPION));
    long nChallenger = rows(stats.get(CHALLENGER));
    List<MetricResult> results = new ArrayList<>();
    boolean enough = nChampion >= spec.minSamples() && nChallenger >= spec.minSamples();
    results.add(psi(sides, spec, nChampion, nChallenger, enough));
    results.add(nullRate(stats, spec, nChampion, nChallenger, enough));
    results.add(meanShift(stats, spec, nChampion, nChallenger, enough));
    auc(sides, spec).ifPresent(results::add);
    return List.copyOf(results);
  }

  private static long rows(Row stats) {
    return stats == null ? 0 : stats.getLong(1);
  }

  private static MetricResult psi(
      Dataset<Row> sides, CanarySpec spec, long nChampion, long nChallenger, boolean enough) {
    String test = "PSI of the score on the champion's " + spec.psiBins() + " quantile bins";
    if (!enough) {
      return tooFew("score_psi", test, nChampion, nChallenger, spec.psiMax(), spec);
    }
    Column valid = col(SCORE).isNotNull().and(col(SCORE).equalTo(col(SCORE)));
    double[] probabilities = new double[spec.psiBins() - 1];
    for (int i = 1; i < spec.psiBins(); i++) {
      probabilities[i - 1] = i / (double) spec.psiBins();
    }
    double[] quantiles =
        sides
            .where(col(SIDE).equalTo(CHAMPION).and(valid))
            .stat()
            .approxQuantile(SCORE, probabilities, 0.0001);
    double[] edges = java.util.Arrays.stream(quantiles).distinct().sorted().toArray();
    long[] champion = new long[edges.length + 1];
    long[] challenger = new long[edges.length + 1];
    for (Row r :
        sides
            .where(valid)
            .groupBy(col(SIDE), BaselineProfile.binIndex(col(SCORE), edges).as("bin"))
            .agg(count(lit(1)))
            .collectAsList()) {
      long[] target = r.getString(0).equals(CHAMPION) ? champion : challenger;
      target[r.getInt(1)] = r.getLong(2);
    }
    double psi = CanaryStatistics.psi(champion, challenger);
    String outcome = psi < spec.psiWarn() ? SUCCESS : psi >= spec.psiMax() ? FAILURE : INCONCLUSIVE;
    return new MetricResult(
        "score_psi",
        0,
        psi,
        nChampion,
        nChallenger,
        test,
        psi,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        spec.psiMax(),
        outcome);
  }

  private static MetricResult nullRate(
      Map<String, Row> stats, CanarySpec spec, long nChampion, long nChallenger, boolean enough) {
    String test = "one-sided two-proportion z-test: challenger rate higher";
    if (!enough) {
      return tooFew("null_rate", test, nChampion, nChallenger, spec.nullRateAlpha(), spec);
    }
    long badChampion = stats.get(CHAMPION).getLong(2);
    long badChallenger = stats.get(CHALLENGER).getLong(2);
    ZTest z = CanaryStatistics.twoProportions(badChampion, nChampion, badChallenger, nChallenger);
    double oneSided = z.z() > 0 ? z.pValue() / 2 : 1 - z.pValue() / 2;
    String outcome = oneSided < spec.nullRateAlpha() ? FAILURE : SUCCESS;
    return new MetricResult(
        "null_rate",
        badChampion / (double) nChampion,
        badChallenger / (double) nChallenger,
        nChampion,
        nChallenger,
        test,
        z.z(),
        oneSided,
        Double.NaN,
        Double.NaN,
        spec.nullRateAlpha(),
        outcome);
  }

  private static MetricResult meanShift(
      Map<String, Row> stats, CanarySpec spec, long nChampion, long nChallenger, boolean enough) {
    String test = "95% normal interval of the mean score difference within +/- max";
    if (!enough) {
      return tooFew("mean_shift", test, nChampion, nChallenger, spec.meanShiftMax(), spec);
    }
    Row c = stats.get(CHAMPION);
    Row k = stats.get(CHALLENGER);
    Interval interval =
        CanaryStatistics.meanDifference(
            c.getDouble(3),
            c.getDouble(4),
            nChampion - c.getLong(2),
            k.getDouble(3),
            k.getDouble(4),
            nChallenger - k.getLong(2));
    double max = spec.meanShiftMax();
    String outcome =
        interval.low() >= -max && interval.high() <= max
            ? SUCCESS
            : interval.low() > max || interval.high() < -max ? FAILURE : INCONCLUSIVE;
    return new MetricResult(
        "mean_shift",
        c.getDouble(3),
        k.getDouble(3),
        nChampion,
        nChallenger,
        test,
        interval.estimate(),
        Double.NaN,
        interval.low(),
        interval.high(),
        max,
        outcome);
  }

  /** AUC once labels landed on enough rows of both sides; absent before. */
  private static java.util.Optional<MetricResult> auc(Dataset<Row> sides, CanarySpec spec) {
    List<Row> labelled =
        sides
            .where(col(LABEL).isNotNull().and(col(SCORE).isNotNull()))
            .select(SIDE, SCORE, LABEL)
            .collectAsList();
    Map<String, List<Row>> bySide = new HashMap<>();
    for (Row r : labelled) {
      bySide.computeIfAbsent(r.getString(0), s -> new ArrayList<>()).add(r);
    }
    List<Row> champion = bySide.getOrDefault(CHAMPION, List.of());
    List<Row> challenger = bySide.getOrDefault(CHALLENGER, List.of());
    if (champion.isEmpty() && challenger.isEmpty()) {
      return java.util.Optional.empty();
    }
    String test =
        "percentile bootstrap 95% interval of AUC(challenger) - AUC(champion), "
            + spec.aucResamples()
            + " resamples";
    if (champion.size() < spec.minSamples() || challenger.size() < spec.minSamples()) {
      return java.util.Optional.of(
          tooFew("auc", test, champion.size(), challenger.size(), spec.aucTolerance(), spec));
    }
    double[] cs = champion.stream().mapToDouble(r -> r.getDouble(1)).toArray();
    int[] cl = champion.stream().mapToInt(r -> r.getInt(2)).toArray();
    double[] ks = challenger.stream().mapToDouble(r -> r.getDouble(1)).toArray();
    int[] kl = challenger.stream().mapToInt(r -> r.getInt(2)).toArray();
    Interval interval =
        CanaryStatistics.bootstrapAucDifference(cs, cl, ks, kl, spec.aucResamples(), spec.seed());
    double tol = spec.aucTolerance();
    String outcome =
        Double.isNaN(interval.low())
            ? INCONCLUSIVE
            : interval.low() > -tol ? SUCCESS : interval.high() < -tol ? FAILURE : INCONCLUSIVE;
    return java.util.Optional.of(
        new MetricResult(
            "auc",
            CanaryStatistics.auc(cs, cl),
            CanaryStatistics.auc(ks, kl),
            cs.length,
            ks.length,
            test,
            interval.estimate(),
            Double.NaN,
            interval.low(),
            interval.high(),
            tol,
            outcome));
  }

  private static MetricResult tooFew(
      String metric,
      String test,
      long nChampion,
      long nChallenger,
      double threshold,
      CanarySpec spec) {
    return new MetricResult(
        metric,
        Double.NaN,
        Double.NaN,
        nChampion,
        nChallenger,
        test + " (not run: fewer than " + spec.minSamples() + " rows in a cohort)",
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        threshold,
        INCONCLUSIVE);
  }
}
