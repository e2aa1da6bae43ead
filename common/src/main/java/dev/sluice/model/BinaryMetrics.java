/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holdout metrics of a binary classifier; {@link ModelEvaluation#binary} defines each one.
 *
 * @param count the number of examples
 * @param positives the number of examples with label 1
 * @param aucRoc the area under the ROC curve (NaN unless both classes are present)
 * @param aucPr the area under the precision-recall curve (NaN unless both classes are present)
 * @param logLoss the mean negative log-likelihood, probabilities clipped to {@code [1e-15, 1 -
 *     1e-15]}
 * @param accuracy the share of examples whose predicted class equals the label
 * @param precision true positives over predicted positives; 0 with no predicted positive
 * @param recall true positives over positives; 0 with no positive
 * @param f1 the harmonic mean of precision and recall; 0 when both are 0
 * @param threshold the probability at or above which an example is predicted positive
 * @param calibration the calibration bins, all of them (empty bins included), by index
 * @param expectedCalibrationError the count-weighted mean of {@code |meanPredicted - observedRate|}
 *     over the non-empty bins
 */
public record BinaryMetrics(
    long count,
    long positives,
    double aucRoc,
    double aucPr,
    double logLoss,
    double accuracy,
    double precision,
    double recall,
    double f1,
    double threshold,
    List<CalibrationBin> calibration,
    double expectedCalibrationError) {
  public BinaryMetrics {
    calibration = List.copyOf(requireNonNull(calibration, "calibration is null"));
  }

  /**
   * The scalar metrics by snake_case name, in a fixed order: auc_roc, auc_pr, log_loss, accuracy,
   * precision, recall, f1, calibration_error, count, positives.
   */
  public Map<String, Double> asMetrics() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("auc_roc", aucRoc);
    metrics.put("auc_pr", aucPr);
    metrics.put("log_loss", logLoss);
    metrics.put("accuracy", accuracy);
    metrics.put("precision", precision);
    metrics.put("recall", recall);
    metrics.put("f1", f1);
    metrics.put("calibration_error", expectedCalibrationError);
    metrics.put("count", (double) count);
    metrics.put("positives", (double) positives);
    return Collections.unmodifiableMap(metrics);
  }
}
