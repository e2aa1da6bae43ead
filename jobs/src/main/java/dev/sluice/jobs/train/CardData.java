/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.jobs.train.CardMetrics.Interval;
import dev.sluice.jobs.train.Importances.Importance;
import dev.sluice.model.CalibrationBin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a model card shows, as written at registration ({@code model_card/card.json} of the
 * version's run): {@code sluice model-card} renders the same card from it. The sections follow the
 * Model Card Toolkit: model details, model parameters, quantitative analysis, considerations.
 *
 * @param pins the training set's pins (table@version of the set, its observations and feature
 *     tables, comma-separated)
 * @param holdoutMetrics the training run's holdout metrics (Spark's evaluation)
 * @param intervals the bootstrap intervals, from the collected holdout predictions
 * @param roc {@code [fpr, tpr]} points (binary classification; empty for regression)
 * @param pr {@code [recall, precision]} points (binary classification)
 */
record CardData(
    String model,
    long version,
    String digest,
    String runId,
    String createdAt,
    String codeVersion,
    String confHash,
    List<String> owners,
    List<String> references,
    String intendedUse,
    List<String> limitations,
    String task,
    String algorithm,
    Map<String, String> params,
    String trainingSetId,
    Map<String, String> pins,
    Map<String, String> featureHashes,
    List<Input> inputs,
    String output,
    long trainingRows,
    long holdoutRows,
    double threshold,
    Map<String, Double> holdoutMetrics,
    int resamples,
    double confidence,
    List<Interval> intervals,
    List<SliceRow> slices,
    List<double[]> roc,
    List<double[]> pr,
    List<CalibrationBin> calibration,
    List<Importance> importances,
    List<ProfileRow> profile) {

  /** The file name of the card's data among the run's {@code model_card/} artifacts. */
  static final String FILE = "card.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(SerializationFeature.INDENT_OUTPUT, true);

  /** A model input: its feature, training-set column and Spark type. */
  record Input(String feature, String column, String dtype) {}

  /** One value of a configured slice, with its holdout rows and metrics. */
  record SliceRow(String slice, String value, long rows, Map<String, Double> metrics) {}

  /** A feature's profile over the training rows (from its drift baseline). */
  record ProfileRow(
      String column,
      String kind,
      long rows,
      double nullRate,
      Double mean,
      Double stddev,
      Double min,
      Double max,
      Long distinct) {}

  void write(Path file) {
    try {
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the model card data to " + file, e);
    }
  }

  static CardData read(Path file) {
    try {
      return JSON.readValue(file.toFile(), CardData.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the model card data " + file, e);
    }
  }
}
