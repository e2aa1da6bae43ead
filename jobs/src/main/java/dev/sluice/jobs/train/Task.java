/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import dev.sluice.error.PipelineErrors;
import java.util.Arrays;

/** What a model predicts. */
public enum Task {
  /** A 0/1 label; the model outputs P(label = 1). */
  BINARY_CLASSIFICATION("binary-classification"),
  /** A numeric label. */
  REGRESSION("regression");

  private final String configName;

  Task(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** The score's column in {@code predictions} and {@code model_baselines}. */
  public String scoreColumn() {
    return this == BINARY_CLASSIFICATION ? "probability" : "prediction";
  }

  static Task parse(String key, String value) {
    return Arrays.stream(values())
        .filter(t -> t.configName.equals(value))
        .findFirst()
        .orElseThrow(
            () ->
                PipelineErrors.invalidConfig(
                    key, value, "must be binary-classification or regression"));
  }
}
