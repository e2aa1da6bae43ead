/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.sluice.error.PipelineErrors;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.jobs.trainingset.TrainingSetSpec;
import dev.sluice.model.ColumnProfile;
import dev.sluice.model.EntityBuckets;
import dev.sluice.model.LocalFiles;
import dev.sluice.model.ModelArtifact;
import dev.sluice.model.ModelTags;
import dev.sluice.registry.ModelRegistry;
import dev.sluice.registry.ModelVersion;
import dev.sluice.registry.Run;
import dev.sluice.registry.RunStatus;
import dev.sluice.table.TableId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice train}: reads the model's training set at its recorded version, splits off a
 * holdout by entity hash, fits the pipeline (with an optional grid search), evaluates it on the
 * holdout, writes the checksummed artifact, logs the run and registers the version, judges it by
 * the validation gate and writes its drift baseline.
 */
final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final JobEnv env;

  Trainer(JobEnv env) {
    this.env = env;
  }

  void train(
      TrainSpec spec,
      TrainingSetSpec setSpec,
      LocalDate date,
      Optional<String> trainingSetId,
      JobResult result) {
    TrainingSetRecord set =
        TrainingSetRecord.resolve(env.lake(), spec.model(), date, trainingSetId, result);
    String label =
        set.label()
            .orElseThrow(
                () ->
                    PipelineErrors.invalidArgument(
                        "--model",
                        spec.model(),
                        "its training set "
                            + set.trainingSetId()
                            + " has no label column; set training-set.label"));
    List<FeatureColumn> features = FeatureColumn.resolve(env.lake(), set.features(), result);
    spec.gate().requireKnown("gate", metricNames(spec));
    CardSpec card = CardSpec.fromModel(env.config().reader(), spec.model());
    result.input(set.table());

    Dataset<Row> rows = labelled(spec, set, setSpec.entity(), label, features);
    Column inHoldout =
        EntityBuckets.below(
            col(setSpec.entity()),
            spec.holdoutSalt(),
            EntityBuckets.basisPoints(spec.holdoutShare()));
    Dataset<Row> training = rows.where(not(inHoldout)).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> holdout = rows.where(inHoldout).persist(StorageLevel.MEMORY_AND_DISK());
    Path work = LocalFiles.tempDirectory("sluice-train-");
    ModelRegistry registry = env.registry();
    Run run = startRun(registry, spec, set);
    Evaluation evaluation = null;
    try {
      Counts counts = counts(training, holdout, spec);
      FittedModel fitted =
          env.stages()
              .stage(
                  "fit",
                  String.format(
                      "%s on %,d rows (%,d held out)",
                      spec.algorithm().configName(), counts.training(), counts.holdout()),
                  () -> Fitting.fit(spec, features, training));
      evaluation =
          env.stages()
              .stage(
                  "evaluate",
                  "holdout metrics",
                  () -> Evaluation.of(spec, fitted.model(), holdout));
      List<Importances.Importance> importances =
          env.stages()
              .stage(
                  "explain",
                  String.format(
                      "native and permutation importances (%d repeats)", card.permutationRepeats()),
                  () -> importances(spec, card, fitted.model(), features, holdout));
      ModelArtifact artifact =
          ModelArtifact.write(
              fitted.model(),
              work.resolve(ModelTags.MODEL_ARTIFACT_PATH),
              Artifacts.info(run.runId(), features, spec.task()));
      logRun(registry, run, spec, set, fitted, evaluation, artifact, counts, work);
      ModelVersion version = register(registry, spec, set, run, artifact, evaluation);
      result.modelOutput(spec.model(), version.version());
      List<ColumnProfile> profiles =
          new Baselines(env)
              .write(spec, version.version(), features, training, evaluation.scored(), result);
      ImportanceTable.write(env, spec.model(), version.version(), importances, result);
      ModelCards cards = new ModelCards(env);
      Evaluation evaluated = evaluation;
      CardData cardData =
          env.stages()
              .stage(
                  "model-card",
                  "bootstrap intervals, slices and curves of the holdout",
                  () ->
                      cards.build(
                          new ModelCards.Training(
                              spec,
                              card,
                              set,
                              features,
                              run.runId(),
                              version,
                              artifact.digest(),
                              fitted.bestParams(),
                              counts,
                              evaluated,
                              importances,
                              profiles)));
      cards.publish(cardData, result);
      new Gate(env, work).judge(spec, version, artifact, evaluation, holdout, result);
      registry.endRun(run.runId(), RunStatus.FINISHED);
      result.metric("model_version", version.version());
      result.metric("digest", artifact.digest());
      result.metric("mlflow_run_id", run.runId());
      result.metric("training_rows", counts.training());
      result.metric("holdout_rows", counts.holdout());
      evaluation.metrics().forEach(result::metric);
    } catch (RuntimeException e) {
      endFailed(registry, run);
      throw e;
    } finally {
      if (evaluation != null) {
        evaluation.release();
      }
      training.unpersist();
      holdout.unpersist();
      try {
        LocalFiles.deleteRecursively(work);
      } catch (IOException e) {
        LOG.warn("Cannot delete the scratch directory {}", work, e);
      }
    }
  }

  /** The model's native importances and, unless 0 repeats, its permutation importances. */
  private static List<Importances.Importance> importances(
      TrainSpec spec,
      CardSpec card,
      PipelineModel model,
      List<FeatureColumn> features,
      Dataset<Row> holdout) {
    List<Importances.Importance> all =
        new ArrayList<>(Importances.nativeOf(model, holdout, features));
    if (card.permutationRepeats() > 0) {
      all.addAll(
          PermutationImportance.compute(
              model, holdout, features, spec.task(), card.permutationRepeats(), spec.seed()));
    }
    return all;
  }

  /** The gate may only name metrics the task computes. */
  private static java.util.Set<String> metricNames(TrainSpec spec) {
    return spec.task() == Task.BINARY_CLASSIFICATION
        ? java.util.Set.of(
            "auc_roc",
            "auc_pr",
            "log_loss",
            "accuracy",
            "precision",
            "recall",
            "f1",
            "calibration_error")
        : java.util.Set.of("rmse", "mae", "r2");
  }

  /** The set's rows with a label, the label as a double in {@link ModelPipelines#LABEL}. */
  private Dataset<Row> labelled(
      TrainSpec spec,
      TrainingSetRecord set,
      String entity,
      String label,
      List<FeatureColumn> features) {
    Dataset<Row> table = env.lake().readAt(TableId.of(set.table().table()), set.table().version());
    List<String> columns = List.of(table.columns());
    List<String> needed = new ArrayList<>(List.of(entity, label));
    features.forEach(f -> needed.add(f.column()));
    for (String c : needed) {
      if (!columns.contains(c)) {
        throw PipelineErrors.invalidArgument(
            "training-set", c, "is not a column of " + set.table() + " (rebuild the training set)");
      }
    }
    return table
        .select(needed.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new))
        .where(col(label).isNotNull())
        .withColumn(ModelPipelines.LABEL, col(label).cast("double"));
  }

  /** Row counts, checked: both parts non-empty, binary labels 0 or 1 with both classes. */
  private Counts counts(Dataset<Row> training, Dataset<Row> holdout, TrainSpec spec) {
    Row t = stats(training);
    Row h = stats(holdout);
    Counts counts = new Counts(t.getLong(0), h.getLong(0));
    if (counts.training() == 0 || counts.holdout() == 0) {
      throw PipelineErrors.invalidArgument(
          "train.holdout.share",
          spec.holdoutShare(),
          String.format(
              "leaves %,d training and %,d holdout rows; both need rows (more data or another"
                  + " share)",
              counts.training(), counts.holdout()));
    }
    if (spec.task() == Task.BINARY_CLASSIFICATION) {
      long invalid = t.getLong(2) + h.getLong(2);
      if (invalid > 0) {
        throw PipelineErrors.invalidArgument(
            "training-set.label", invalid + " rows", "a binary label must be 0/1 or false/true");
      }
      if (t.getLong(1) == 0 || t.getLong(1) == counts.training()) {
        throw PipelineErrors.invalidArgument(
            "training-set.label",
            t.getLong(1) + " positives of " + counts.training(),
            "the training rows need both classes");
      }
    }
    return counts;
  }

  private static Row stats(Dataset<Row> rows) {
    Column label = col(ModelPipelines.LABEL);
    return rows.agg(
            count(lit(1)),
            sum(when(label.equalTo(1.0), 1L).otherwise(0L)),
            sum(when(label.isin(0.0, 1.0), 0L).otherwise(1L)))
        .na()
        .fill(0L)
        .first();
  }

  record Counts(long training, long holdout) {}

  private Run startRun(ModelRegistry registry, TrainSpec spec, TrainingSetRecord set) {
    String experiment = registry.getOrCreateExperiment(spec.experiment()).experimentId();
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("mlflow.runName", env.run().runKey().value());
    tags.put("mlflow.source.name", "sluice train");
    tags.put("mlflow.source.type", "JOB");
    tags.put(ModelTags.RUN_KEY, env.run().runKey().value());
    tags.put(ModelTags.CODE_VERSION, env.run().codeVersion());
    tags.put(ModelTags.CONF_HASH, env.run().confHash());
    tags.put(ModelTags.TRAINING_SET_ID, set.trainingSetId());
    tags.put(ModelTags.SNAPSHOT_PINS, Artifacts.json(set.pins()));
    tags.put(ModelTags.FEATURE_HASHES, Artifacts.json(set.definitionHashes()));
    tags.put("sluice.job_run_id", env.run().runId());
    return registry.createRun(experiment, env.run().runKey().value(), tags);
  }

  private void logRun(
      ModelRegistry registry,
      Run run,
      TrainSpec spec,
      TrainingSetRecord set,
      FittedModel fitted,
      Evaluation evaluation,
      ModelArtifact artifact,
      Counts counts,
      Path work) {
    Map<String, String> params = new LinkedHashMap<>();
    spec.conf().forEach(params::put);
    params.put("training_set.id", set.trainingSetId());
    params.put("training_set.table", set.table().toString());
    params.put("holdout.training_rows", Long.toString(counts.training()));
    params.put("holdout.rows", Long.toString(counts.holdout()));
    fitted.bestParams().forEach((k, v) -> params.put("best." + k, v));
    registry.logParams(run.runId(), params);
    Map<String, Double> metrics = new LinkedHashMap<>(evaluation.metrics());
    registry.logMetrics(run.runId(), metrics);
    registry.logMetrics(run.runId(), fitted.tuningMetrics());
    registry.setRunTags(run.runId(), Map.of(ModelTags.MODEL_DIGEST, artifact.digest()));
    registry.uploadArtifacts(run.runId(), artifact.dir(), ModelTags.MODEL_ARTIFACT_PATH);
    Path reports = Artifacts.writeReports(work.resolve("reports"), evaluation, fitted);
    registry.uploadArtifacts(run.runId(), reports, "reports");
  }

  /** The version with this digest if one is registered already (a rerun), else a new version. */
  private ModelVersion register(
      ModelRegistry registry,
      TrainSpec spec,
      TrainingSetRecord set,
      Run run,
      ModelArtifact artifact,
      Evaluation evaluation) {
    registry.createRegisteredModelIfAbsent(spec.model());
    Optional<ModelVersion> same =
        registry.searchVersions(spec.model()).stream()
            .filter(v -> artifact.digest().equals(v.tags().get(ModelTags.MODEL_DIGEST)))
            .findFirst();
    if (same.isPresent()) {
      env.stages()
          .note(
              String.format(
                  "digest %s is already registered as %s version %d; reusing it",
                  artifact.digest(), spec.model(), same.get().version()));
      return same.get();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(ModelTags.MODEL_DIGEST, artifact.digest());
    tags.put(ModelTags.RUN_KEY, env.run().runKey().value());
    tags.put(ModelTags.TRAINING_SET_ID, set.trainingSetId());
    evaluation
        .metrics()
        .forEach((k, v) -> tags.put(ModelTags.METRIC_PREFIX + k, Double.toString(v)));
    String source = run.artifactUri().replaceAll("/+$", "") + "/" + ModelTags.MODEL_ARTIFACT_PATH;
    return registry.createModelVersion(spec.model(), source, run.runId(), tags);
  }

  private static void endFailed(ModelRegistry registry, Run run) {
    try {
      registry.endRun(run.runId(), RunStatus.FAILED);
    } catch (RuntimeException e) {
      LOG.warn("Cannot mark run {} FAILED", run.runId(), e);
    }
  }

  /** A fitted pipeline with what the grid search found. */
  record FittedModel(
      PipelineModel model,
      Map<String, String> bestParams,
      List<dev.sluice.registry.Metric> tuningMetrics) {}
}
