/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import dev.sluice.error.PipelineErrors;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.RandomForestRegressor;

/** The MLlib estimators a model conf can name, each for the tasks it supports. */
public enum Algorithm {
  LOGISTIC_REGRESSION("logistic-regression", Set.of(Task.BINARY_CLASSIFICATION)),
  RANDOM_FOREST("random-forest", Set.of(Task.BINARY_CLASSIFICATION, Task.REGRESSION)),
  GBT("gbt", Set.of(Task.BINARY_CLASSIFICATION, Task.REGRESSION)),
  LINEAR_REGRESSION("linear-regression", Set.of(Task.REGRESSION));

  private final String configName;
  private final Set<Task> tasks;

  Algorithm(String configName, Set<Task> tasks) {
    this.configName = configName;
    this.tasks = tasks;
  }

  public String configName() {
    return configName;
  }

  /** A new, unfitted estimator with the given uid (uids are part of the model's digest). */
  Predictor<?, ?, ?> estimator(Task task, String uid) {
    if (!tasks.contains(task)) {
      throw new IllegalStateException(configName + " does not support " + task.configName());
    }
    boolean binary = task == Task.BINARY_CLASSIFICATION;
    return switch (this) {
      case LOGISTIC_REGRESSION -> new LogisticRegression(uid).setFamily("binomial");
      case RANDOM_FOREST ->
          binary ? new RandomForestClassifier(uid) : new RandomForestRegressor(uid);
      case GBT -> binary ? new GBTClassifier(uid) : new GBTRegressor(uid);
      case LINEAR_REGRESSION -> new LinearRegression(uid);
    };
  }

  static Algorithm parse(String key, String value, Task task) {
    Algorithm algorithm =
        Arrays.stream(values())
            .filter(a -> a.configName.equals(value))
            .findFirst()
            .orElseThrow(
                () ->
                    PipelineErrors.invalidConfig(
                        key,
                        value,
                        "must be one of "
                            + Arrays.stream(values())
                                .map(Algorithm::configName)
                                .collect(Collectors.joining(", "))));
    if (!algorithm.tasks.contains(task)) {
      throw PipelineErrors.invalidConfig(
          key,
          value,
          "does not support task "
              + task.configName()
              + "; use one of "
              + Arrays.stream(values())
                  .filter(a -> a.tasks.contains(task))
                  .map(Algorithm::configName)
                  .collect(Collectors.joining(", ")));
    }
    return algorithm;
  }
}
