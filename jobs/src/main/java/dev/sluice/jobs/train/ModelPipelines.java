/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;

/**
 * The training pipeline of a model: preprocessing built from the feature types (an {@link Imputer}
 * for numeric features; a {@link StringIndexer} and {@link OneHotEncoder} for string features,
 * unseen and null categories kept in their own slot), a {@link VectorAssembler}, and the configured
 * estimator. Built-in stages only, so PySpark can load the fitted model, and every stage gets a uid
 * derived from the model name, so identical trainings produce identical models (uids are part of
 * the saved model and of its digest).
 */
final class ModelPipelines {
  /** The label column the trainer adds (the configured label as a double). */
  static final String LABEL = "_label";

  /** The assembled feature vector. */
  static final String FEATURES = "_features";

  /** MLlib's output columns. */
  static final String PREDICTION = "prediction";

  static final String PROBABILITY = "probability";
  static final String RAW_PREDICTION = "rawPrediction";

  private ModelPipelines() {}

  /** The unfitted pipeline, with the conf's hyper-parameters set on the estimator. */
  static Pipeline build(TrainSpec spec, List<FeatureColumn> features) {
    String m = spec.model();
    List<PipelineStage> stages = new ArrayList<>();
    List<String> assembled = new ArrayList<>();
    List<FeatureColumn> numeric = features.stream().filter(f -> !f.categorical()).toList();
    List<FeatureColumn> categorical = features.stream().filter(FeatureColumn::categorical).toList();
    if (!numeric.isEmpty()) {
      String[] in = numeric.stream().map(FeatureColumn::column).toArray(String[]::new);
      String[] out = numeric.stream().map(f -> "_imputed_" + f.column()).toArray(String[]::new);
      stages.add(
          new Imputer("imputer_" + m)
              .setInputCols(in)
              .setOutputCols(out)
              .setStrategy(spec.imputerStrategy()));
      assembled.addAll(List.of(out));
    }
    if (!categorical.isEmpty()) {
      String[] in = categorical.stream().map(FeatureColumn::column).toArray(String[]::new);
      String[] index = categorical.stream().map(f -> "_index_" + f.column()).toArray(String[]::new);
      String[] onehot =
          categorical.stream().map(f -> "_onehot_" + f.column()).toArray(String[]::new);
      stages.add(
          new StringIndexer("indexer_" + m)
              .setInputCols(in)
              .setOutputCols(index)
              .setHandleInvalid("keep")
              .setStringOrderType("alphabetAsc"));
      stages.add(
          new OneHotEncoder("onehot_" + m)
              .setInputCols(index)
              .setOutputCols(onehot)
              .setHandleInvalid("keep"));
      assembled.addAll(List.of(onehot));
    }
    stages.add(
        new VectorAssembler("assembler_" + m)
            .setInputCols(assembled.toArray(String[]::new))
            .setOutputCol(FEATURES));
    stages.add(estimator(spec));
    return new Pipeline("pipeline_" + m).setStages(stages.toArray(PipelineStage[]::new));
  }

  /** The configured estimator with its hyper-parameters, seed and Sluice's columns. */
  static Predictor<?, ?, ?> estimator(TrainSpec spec) {
    String uid = spec.algorithm().configName().replace("-", "_") + "_" + spec.model();
    Predictor<?, ?, ?> estimator = spec.algorithm().estimator(spec.task(), uid);
    estimator.set(estimator.featuresCol(), FEATURES);
    estimator.set(estimator.labelCol(), LABEL);
    if (estimator.hasParam("seed")) {
      estimator.set(estimator.getParam("seed"), spec.seed());
    }
    ParamMap params =
        MllibParams.paramMap(
            estimator, "sluice.models." + spec.model() + ".train.params", spec.params());
    return (Predictor<?, ?, ?>) estimator.copy(params);
  }

  /** The tuning evaluator: AUC-ROC for binary classification, RMSE for regression. */
  static Evaluator evaluator(TrainSpec spec) {
    String uid = "evaluator_" + spec.model();
    return spec.task() == Task.BINARY_CLASSIFICATION
        ? new BinaryClassificationEvaluator(uid)
            .setLabelCol(LABEL)
            .setRawPredictionCol(RAW_PREDICTION)
            .setMetricName("areaUnderROC")
        : new RegressionEvaluator(uid)
            .setLabelCol(LABEL)
            .setPredictionCol(PREDICTION)
            .setMetricName("rmse");
  }
}
