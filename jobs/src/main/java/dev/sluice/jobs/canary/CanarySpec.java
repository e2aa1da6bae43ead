/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.canary;

import dev.sluice.config.ConfigReader;
import dev.sluice.error.PipelineErrors;
import java.util.Optional;

/**
 * The canary policy of a model ({@code sluice.models.<model>.canary}, docs/scoring.md): the minimum
 * sample size per cohort, the thresholds of each metric's test, how many consecutive successful
 * windows promote, and where labels come from.
 *
 * @param psiWarn PSI of the score distributions below which the metric succeeds
 * @param psiMax PSI at or above which it fails (in between: inconclusive)
 * @param nullRateAlpha significance of the one-sided test "the challenger has more null or NaN
 *     predictions"
 * @param meanShiftMax the largest acceptable absolute shift of the mean score
 * @param aucTolerance how much lower the challenger's AUC may be than the champion's
 */
public record CanarySpec(
    long minSamples,
    int promoteAfter,
    int psiBins,
    double psiWarn,
    double psiMax,
    double nullRateAlpha,
    double meanShiftMax,
    double aucTolerance,
    int aucResamples,
    long seed,
    Optional<Labels> labels) {

  /**
   * Where labels land: a source table read at its snapshot pin (so exactly the labels that had
   * landed by then), joined to predictions on entity and date.
   */
  public record Labels(String table, String entity, String date, String label) {}

  static CanarySpec fromModel(ConfigReader sluice, String model) {
    String key = "models." + model + ".canary";
    if (!sluice.has(key)) {
      throw PipelineErrors.missingConfig(
          sluice.path(key), "model " + model + " needs a canary section (conf/models/)");
    }
    ConfigReader c = sluice.section(key);
    double warn = c.has("score-psi.warn") ? c.nonNegativeDouble("score-psi.warn") : 0.1;
    double max = c.has("score-psi.max") ? c.nonNegativeDouble("score-psi.max") : 0.2;
    if (warn > max) {
      throw PipelineErrors.invalidConfig(
          c.path("score-psi.warn"), warn, "must not exceed score-psi.max " + max);
    }
    Optional<Labels> labels =
        c.has("labels")
            ? Optional.of(
                new Labels(
                    c.nonEmptyString("labels.table", "raw_labels"),
                    c.nonEmptyString("labels.entity", "customer_id"),
                    c.nonEmptyString("labels.date", "observation_date"),
                    c.nonEmptyString("labels.label", "churned")))
            : Optional.empty();
    return new CanarySpec(
        c.has("min-samples") ? c.positiveLong("min-samples") : 200,
        c.has("promote-after") ? c.positiveInt("promote-after") : 3,
        c.has("score-psi.bins") ? c.positiveInt("score-psi.bins") : 10,
        warn,
        max,
        c.has("null-rate.alpha") ? c.fraction("null-rate.alpha") : 0.05,
        c.has("mean-shift.max") ? c.fraction("mean-shift.max") : 0.05,
        c.has("auc.tolerance") ? c.fraction("auc.tolerance") : 0.02,
        c.has("auc.resamples") ? c.positiveInt("auc.resamples") : 200,
        c.has("seed") ? c.longValue("seed", "an integer") : 7L,
        labels);
  }
}
