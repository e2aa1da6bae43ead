/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.trainingset;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.ConfigReader;
import dev.sluice.error.PipelineErrors;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a training set is made of: observations (entity, timestamp, optional label) and the features
 * to attach as of each observation's timestamp.
 *
 * @param model the model it is for, when it comes from a model's conf
 * @param observations the observation table (a source read at its pin, or a lake table)
 * @param entity the observations' entity key column
 * @param timestamp the observations' timestamp (or date) column
 * @param label the label column, if any
 * @param features {@code group.feature} names
 * @param out the table to write
 */
public record TrainingSetSpec(
    Optional<String> model,
    String observations,
    String entity,
    String timestamp,
    Optional<String> label,
    List<String> features,
    String out) {
  public TrainingSetSpec {
    requireNonNull(model, "model is null");
    requireNonNull(observations, "observations is null");
    requireNonNull(entity, "entity is null");
    requireNonNull(timestamp, "timestamp is null");
    requireNonNull(label, "label is null");
    features = List.copyOf(requireNonNull(features, "features is null"));
    requireNonNull(out, "out is null");
    if (features.isEmpty()) {
      throw PipelineErrors.invalidArgument("--features", "", "name at least one group.feature");
    }
    for (String f : features) {
      if (!f.matches("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*")) {
        throw PipelineErrors.invalidArgument("--features", f, "each feature is group.feature");
      }
    }
  }

  /** The spec in {@code sluice.models.<model>.training-set}. */
  public static TrainingSetSpec fromModel(ConfigReader sluice, String model) {
    String key = "models." + model + ".training-set";
    if (!sluice.has(key)) {
      throw PipelineErrors.missingConfig(
          sluice.path(key), "model " + model + " needs a training-set section (conf/models/)");
    }
    ConfigReader t = sluice.section(key);
    return new TrainingSetSpec(
        Optional.of(model),
        t.nonEmptyString("observations", "raw_labels"),
        t.nonEmptyString("entity", "customer_id"),
        t.nonEmptyString("timestamp", "observation_date"),
        t.has("label") ? Optional.of(t.nonEmptyString("label", "churned")) : Optional.empty(),
        t.stringList("features"),
        t.has("out") ? t.nonEmptyString("out", "training_churn") : "training_" + model);
  }

  static List<String> split(String features) {
    return Arrays.stream(features.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
