/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.trainingset;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import dev.sluice.error.PipelineErrors;
import dev.sluice.features.PointInTimeJoin;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.jobs.features.FeatureRetrieval;
import dev.sluice.jobs.quality.QualityRunner;
import dev.sluice.snapshot.SnapshotSet;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import dev.sluice.table.TableVersion;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Builds a point-in-time training set: observations read at their pin, each joined with the latest
 * feature values valid at its timestamp (the same {@link PointInTimeJoin} that serves scoring),
 * written in one commit to the output table, and recorded in {@code training_sets} with the
 * observation and feature table versions and definition hashes it read.
 */
final class TrainingSetBuilder {
  static final StructType RECORD_SCHEMA =
      createStructType(
          List.of(
              createStructField("training_set_id", StringType, false),
              createStructField("run_key", StringType, false),
              createStructField("model_name", StringType, true),
              createStructField("logical_date", DateType, false),
              createStructField("observation_table", StringType, false),
              createStructField("observation_version", LongType, false),
              createStructField("feature_tables", createArrayType(StringType), false),
              createStructField("definition_hashes", createMapType(StringType, StringType), false),
              createStructField("features", createArrayType(StringType), false),
              createStructField("label_column", StringType, true),
              createStructField("out_table", StringType, false),
              createStructField("out_version", LongType, false),
              createStructField("row_count", LongType, false),
              createStructField("created_ts", TimestampType, false)));

  private final JobEnv env;

  TrainingSetBuilder(JobEnv env) {
    this.env = env;
  }

  void build(TrainingSetSpec spec, SnapshotSet pins, LocalDate date, JobResult result) {
    Lakehouse lake = env.lake();
    TableVersion observationVersion;
    Dataset<Row> observations;
    TableId observationTable = TableId.of(spec.observations());
    if (pins.pin(observationTable).isPresent()) {
      QualityRunner quality = new QualityRunner(env);
      quality.gate(pins, List.of(spec.observations()), result);
      observations =
          quality.validRows(spec.observations(), pins.read(lake, observationTable, result));
      observationVersion =
          new TableVersion(spec.observations(), pins.pin(observationTable).get().deltaVersion());
    } else if (lake.exists(observationTable)) {
      observationVersion = lake.latest(observationTable);
      observations = lake.readAt(observationTable, observationVersion.version());
      result.input(observationVersion);
    } else {
      throw PipelineErrors.upstreamMissing(
          String.format(
              "Observation table %s not found (pin it as a source, or write it under the lake root)",
              spec.observations()));
    }
    List<String> keep = new ArrayList<>(List.of(spec.entity(), spec.timestamp()));
    spec.label().ifPresent(keep::add);
    for (String column : keep) {
      if (!List.of(observations.columns()).contains(column)) {
        throw PipelineErrors.invalidArgument(
            "--entity/--timestamp/--label", column, "is not a column of " + spec.observations());
      }
    }
    Dataset<Row> obs =
        observations
            .select(
                keep.stream()
                    .map(org.apache.spark.sql.functions::col)
                    .toArray(org.apache.spark.sql.Column[]::new))
            .withColumn(spec.timestamp(), col(spec.timestamp()).cast("timestamp"));

    FeatureRetrieval retrieval =
        FeatureRetrieval.of(env, spec.features(), spec.entity(), date, result);
    retrieval.checkDefinitions();
    List<String> featureTables = retrieval.featureTables();
    Map<String, String> hashes = new LinkedHashMap<>(retrieval.definitionHashes());
    Dataset<Row> joined =
        retrieval
            .join(obs, spec.timestamp())
            .withColumn("_training_set_id", lit(env.run().runId()));
    TableId out = TableId.of(spec.out());
    TableVersion written =
        env.stages()
            .stage(
                "join",
                String.format(
                    "point-in-time join of %s with %s into %s",
                    spec.observations(), featureTables, out),
                () -> DeltaWriter.overwrite(lake, out, joined, env.run().commitTag()));
    long rows = lake.readAt(out, written.version()).count();
    result.output(written);
    env.catalog().register(out);
    Row record =
        RowFactory.create(
            env.run().runId(),
            env.run().runKey().value(),
            spec.model().orElse(null),
            Date.valueOf(date),
            spec.observations(),
            observationVersion.version(),
            featureTables,
            hashes,
            spec.features(),
            spec.label().orElse(null),
            spec.out(),
            written.version(),
            rows,
            Timestamp.from(Instant.now()));
    // A rerun of the run key replaces its record, as the output table is replaced.
    result.output(
        DeltaWriter.replaceWhere(
            lake,
            SluiceTables.TRAINING_SETS,
            env.spark().createDataFrame(List.of(record), RECORD_SCHEMA),
            String.format("run_key = '%s'", env.run().runKey()),
            env.run().commitTag()));
    env.catalog().register(SluiceTables.TRAINING_SETS);
    result.metric("rows", rows);
    result.metric("training_set_id", env.run().runId());
  }
}
