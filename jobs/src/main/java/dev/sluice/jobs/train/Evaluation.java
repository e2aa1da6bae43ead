/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import static org.apache.spark.sql.functions.col;

import dev.sluice.model.BinaryMetrics;
import dev.sluice.model.ModelEvaluation;
import dev.sluice.model.ModelOutputs;
import dev.sluice.model.RegressionMetrics;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * A model's holdout evaluation: the scored holdout (with {@link #SCORE}: P(label = 1) for binary
 * classification, the prediction for regression) and its metrics. The scored holdout is cached,
 * since the metrics and the score's baseline read it several times: the model transforms it once.
 * {@link #release()} frees it.
 *
 * @param calibration the calibration bins of a binary model (empty for regression)
 */
record Evaluation(Dataset<Row> scored, Map<String, Double> metrics, List<?> calibration) {
  /** The model's score column on the scored holdout. */
  static final String SCORE = "_score";

  static Evaluation of(TrainSpec spec, PipelineModel model, Dataset<Row> holdout) {
    Dataset<Row> transformed = model.transform(holdout);
    if (spec.task() == Task.BINARY_CLASSIFICATION) {
      Dataset<Row> scored =
          transformed
              .withColumn(SCORE, ModelOutputs.positiveProbability())
              .persist(StorageLevel.MEMORY_AND_DISK());
      BinaryMetrics m =
          ModelEvaluation.binary(
              scored, ModelPipelines.LABEL, SCORE, spec.threshold(), spec.calibrationBins());
      return new Evaluation(scored, m.asMetrics(), m.calibration());
    }
    Dataset<Row> scored =
        transformed
            .withColumn(SCORE, col(ModelPipelines.PREDICTION))
            .persist(StorageLevel.MEMORY_AND_DISK());
    RegressionMetrics m = ModelEvaluation.regression(scored, ModelPipelines.LABEL, SCORE);
    return new Evaluation(scored, m.asMetrics(), List.of());
  }

  /** Frees the cached scored holdout. */
  void release() {
    scored.unpersist();
  }
}
