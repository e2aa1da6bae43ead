/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import static org.apache.spark.sql.functions.col;

import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.model.BaselineProfile;
import dev.sluice.model.BaselineRecords;
import dev.sluice.model.BaselineSettings;
import dev.sluice.model.ColumnProfile;
import dev.sluice.model.ProfiledColumn;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.SluiceTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The drift baseline of a model version in {@code model_baselines}: the profile of every feature
 * over the training rows (the raw values the model is fed, before imputation), of the label over
 * the training rows ({@link BaselineRecords#LABEL}) and of the score over the holdout, replacing
 * any earlier baseline of the same version in one commit.
 */
final class Baselines {
  private final JobEnv env;

  Baselines(JobEnv env) {
    this.env = env;
  }

  /** Writes the baseline; returns the profiles (the features', the score's and the label's). */
  List<ColumnProfile> write(
      TrainSpec spec,
      long version,
      List<FeatureColumn> features,
      Dataset<Row> training,
      Dataset<Row> scoredHoldout,
      JobResult result) {
    BaselineSettings settings = new BaselineSettings(spec.baselineBins(), spec.baselineTopK());
    List<ProfiledColumn> columns =
        features.stream()
            .map(
                f ->
                    f.categorical()
                        ? ProfiledColumn.categorical(f.column())
                        : ProfiledColumn.numeric(f.column()))
            .toList();
    String score = spec.task().scoreColumn();
    // The label's distribution, for label drift once labels land: 0/1 as categories, else bins.
    boolean binary = spec.task() == Task.BINARY_CLASSIFICATION;
    Dataset<Row> labels =
        training.select(
            binary
                ? col(ModelPipelines.LABEL).cast("int").as(BaselineRecords.LABEL)
                : col(ModelPipelines.LABEL).as(BaselineRecords.LABEL));
    ProfiledColumn label =
        binary
            ? ProfiledColumn.categorical(BaselineRecords.LABEL)
            : ProfiledColumn.numeric(BaselineRecords.LABEL);
    List<ColumnProfile> profiles =
        env.stages()
            .stage(
                "baseline",
                "drift baseline of " + columns.size() + " features, the score and the label",
                () -> {
                  List<ColumnProfile> all =
                      new ArrayList<>(BaselineProfile.compute(training, columns, settings));
                  all.addAll(
                      BaselineProfile.compute(
                          scoredHoldout.select(col(Evaluation.SCORE).as(score)),
                          List.of(ProfiledColumn.numeric(score)),
                          settings));
                  all.addAll(BaselineProfile.compute(labels, List.of(label), settings));
                  return all;
                });
    List<Row> rows =
        BaselineRecords.toRows(profiles, spec.model(), version, env.run().runId(), Instant.now());
    result.output(
        DeltaWriter.replaceWhere(
            env.lake(),
            SluiceTables.MODEL_BASELINES,
            env.spark().createDataFrame(rows, BaselineRecords.SCHEMA).coalesce(1),
            String.format("model_name = '%s' AND model_version = %d", spec.model(), version),
            env.run().commitTag()));
    env.catalog().register(SluiceTables.MODEL_BASELINES);
    return profiles;
  }
}
