/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import dev.sluice.error.PipelineErrors;
import dev.sluice.jobs.train.Trainer.FittedModel;
import dev.sluice.registry.Metric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Fits a model's pipeline on its training rows: directly, or by searching {@code train.grid} with a
 * seeded CrossValidator or TrainValidationSplit (one candidate at a time, so the result does not
 * depend on thread timing) and keeping the best candidate refitted on all training rows.
 */
final class Fitting {
  private Fitting() {}

  static FittedModel fit(TrainSpec spec, List<FeatureColumn> features, Dataset<Row> training) {
    Pipeline pipeline = ModelPipelines.build(spec, features);
    boolean search = !spec.grid().isEmpty();
    if (search && spec.tuning().method() == TrainSpec.TuningMethod.NONE) {
      throw PipelineErrors.invalidConfig(
          "sluice.models." + spec.model() + ".train.tuning.method",
          "none",
          "must be cross-validation or train-validation-split when train.grid is set");
    }
    if (!search) {
      return new FittedModel(pipeline.fit(training), Map.of(), List.of());
    }
    PipelineStage[] stages = pipeline.getStages();
    PipelineStage estimator = stages[stages.length - 1];
    ParamMap[] grid =
        MllibParams.grid(estimator, "sluice.models." + spec.model() + ".train.grid", spec.grid());
    Evaluator evaluator = ModelPipelines.evaluator(spec);
    double[] scores;
    PipelineModel best;
    if (spec.tuning().method() == TrainSpec.TuningMethod.CROSS_VALIDATION) {
      CrossValidatorModel cv =
          new CrossValidator("cv_" + spec.model())
              .setEstimator(pipeline)
              .setEstimatorParamMaps(grid)
              .setEvaluator(evaluator)
              .setNumFolds(spec.tuning().folds())
              .setSeed(spec.seed())
              .setParallelism(1)
              .fit(training);
      scores = cv.avgMetrics();
      best = (PipelineModel) cv.bestModel();
    } else {
      TrainValidationSplitModel tvs =
          new TrainValidationSplit("tvs_" + spec.model())
              .setEstimator(pipeline)
              .setEstimatorParamMaps(grid)
              .setEvaluator(evaluator)
              .setTrainRatio(spec.tuning().trainRatio())
              .setSeed(spec.seed())
              .setParallelism(1)
              .fit(training);
      scores = tvs.validationMetrics();
      best = (PipelineModel) tvs.bestModel();
    }
    int bestIndex = 0;
    for (int i = 1; i < scores.length; i++) {
      boolean better =
          evaluator.isLargerBetter()
              ? scores[i] > scores[bestIndex]
              : scores[i] < scores[bestIndex];
      if (better) {
        bestIndex = i;
      }
    }
    String metric = spec.task() == Task.BINARY_CLASSIFICATION ? "tuning_auc_roc" : "tuning_rmse";
    Instant now = Instant.now();
    List<Metric> tuning = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      tuning.add(new Metric(metric, scores[i], now, i));
    }
    Map<String, String> bestParams = new LinkedHashMap<>();
    for (ParamPair<?> pair :
        scala.collection.JavaConverters.seqAsJavaList(grid[bestIndex].toSeq())) {
      bestParams.put(pair.param().name(), String.valueOf(pair.value()));
    }
    bestParams.put("grid_index", Integer.toString(bestIndex));
    return new FittedModel(best, bestParams, tuning);
  }
}
