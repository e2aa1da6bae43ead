/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.error.PipelineErrors;
import dev.sluice.jobs.train.Trainer.FittedModel;
import dev.sluice.model.ArtifactInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** What a training run writes besides the model: MLmodel's signature, and reports beside it. */
final class Artifacts {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private Artifacts() {}

  /** The signature: the feature columns in, the prediction (and probability) out. */
  static ArtifactInfo info(String runId, List<FeatureColumn> features, Task task) {
    StructType inputs = new StructType();
    for (FeatureColumn f : features) {
      inputs = inputs.add(f.column(), DataType.fromDDL(f.dtype()), true);
    }
    StructType outputs =
        new StructType().add(ModelPipelines.PREDICTION, DataTypes.DoubleType, false);
    return new ArtifactInfo(runId, Instant.now(), inputs, outputs);
  }

  /** {@code reports/evaluation.json}: holdout metrics, calibration bins and the grid search. */
  static Path writeReports(Path dir, Evaluation evaluation, FittedModel fitted) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("holdout_metrics", evaluation.metrics());
    report.put("calibration", evaluation.calibration());
    report.put("best_params", fitted.bestParams());
    report.put(
        "tuning",
        fitted.tuningMetrics().stream()
            .map(m -> Map.of("candidate", m.step(), m.key(), m.value()))
            .toList());
    try {
      Files.createDirectories(dir);
      JSON.writerWithDefaultPrettyPrinter()
          .writeValue(dir.resolve("evaluation.json").toFile(), report);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the evaluation report to " + dir, e);
    }
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw PipelineErrors.internal("Cannot render " + value + " as JSON", e);
    }
  }
}
