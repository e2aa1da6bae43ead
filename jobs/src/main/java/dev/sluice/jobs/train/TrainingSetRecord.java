/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.error.PipelineErrors;
import dev.sluice.job.JobResult;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import dev.sluice.table.TableVersion;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code training_sets} row a training run reads: which table version holds the set, its
 * features and label, and the pins and definition hashes it was built from.
 */
record TrainingSetRecord(
    String trainingSetId,
    String runKey,
    TableVersion table,
    TableVersion observations,
    List<String> featureTables,
    Map<String, String> definitionHashes,
    List<String> features,
    Optional<String> label,
    long rowCount) {

  /**
   * The newest set built for {@code model} on {@code date}, or the set {@code id}; none is an
   * upstream-missing error naming the command that builds one.
   */
  static TrainingSetRecord resolve(
      Lakehouse lake, String model, LocalDate date, Optional<String> id, JobResult result) {
    String build = String.format("sluice training-set build --model %s --date %s", model, date);
    if (!lake.exists(SluiceTables.TRAINING_SETS)) {
      throw PipelineErrors.upstreamMissing(
          "No training sets have been built yet (run `" + build + "`)");
    }
    TableVersion version = lake.latest(SluiceTables.TRAINING_SETS);
    Dataset<Row> sets = lake.readAt(SluiceTables.TRAINING_SETS, version.version());
    Dataset<Row> chosen =
        id.isPresent()
            ? sets.where(col("training_set_id").equalTo(lit(id.get())))
            : sets.where(
                col("model_name")
                    .equalTo(lit(model))
                    .and(col("logical_date").equalTo(lit(java.sql.Date.valueOf(date)))));
    List<Row> rows = chosen.orderBy(col("created_ts").desc()).limit(1).collectAsList();
    if (rows.isEmpty()) {
      throw PipelineErrors.upstreamMissing(
          id.map(i -> "Training set " + i + " is not in sluice.training_sets@" + version.version())
                  .orElse(
                      String.format(
                          "No training set for model %s on %s in sluice.training_sets@%s",
                          model, date, version.version()))
              + " (run `"
              + build
              + "`)");
    }
    Row r = rows.get(0);
    result.input(version);
    TrainingSetRecord record =
        new TrainingSetRecord(
            r.getAs("training_set_id"),
            r.getAs("run_key"),
            new TableVersion(r.getAs("out_table"), r.<Long>getAs("out_version")),
            new TableVersion(r.getAs("observation_table"), r.<Long>getAs("observation_version")),
            r.getList(r.fieldIndex("feature_tables")),
            r.getJavaMap(r.fieldIndex("definition_hashes")),
            r.getList(r.fieldIndex("features")),
            Optional.ofNullable(r.<String>getAs("label_column")),
            r.<Long>getAs("row_count"));
    if (!lake.exists(TableId.of(record.table().table()))) {
      throw PipelineErrors.upstreamMissing(
          String.format(
              "Training set %s names table %s, which no longer exists (run `%s`)",
              record.trainingSetId(), record.table(), build));
    }
    return record;
  }

  /** The pins the set was built from: the observation table and feature tables with versions. */
  Map<String, Object> pins() {
    return Map.of(
        "training_set", table.toString(),
        "observations", observations.toString(),
        "feature_tables", featureTables);
  }
}
