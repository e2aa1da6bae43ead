/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.jobs.train.Importances.Importance;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.SluiceTables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code feature_importance}: a model version's native and permutation importances, replacing any
 * earlier rows of the same version in one commit. {@code rank} orders a method's rows by the
 * absolute importance, 1 the most important.
 */
final class ImportanceTable {
  static final StructType SCHEMA =
      new StructType()
          .add("model_name", DataTypes.StringType, false)
          .add("model_version", DataTypes.LongType, false)
          .add("feature", DataTypes.StringType, false)
          .add("category", DataTypes.StringType, true)
          .add("method", DataTypes.StringType, false)
          .add("metric", DataTypes.StringType, false)
          .add("importance", DataTypes.DoubleType, false)
          .add("importance_std", DataTypes.DoubleType, true)
          .add("repeats", DataTypes.IntegerType, true)
          .add("rank", DataTypes.IntegerType, false)
          .add("run_id", DataTypes.StringType, false)
          .add("created_ts", DataTypes.TimestampType, false);

  private ImportanceTable() {}

  static void write(
      JobEnv env, String model, long version, List<Importance> importances, JobResult result) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (String method : List.of(Importances.NATIVE, Importances.PERMUTATION)) {
      List<Importance> ranked = ranked(importances, method);
      for (int i = 0; i < ranked.size(); i++) {
        Importance m = ranked.get(i);
        rows.add(
            RowFactory.create(
                model,
                version,
                m.feature(),
                m.category(),
                m.method(),
                m.metric(),
                m.importance(),
                m.std(),
                m.repeats(),
                i + 1,
                env.run().runId(),
                now));
      }
    }
    result.output(
        DeltaWriter.replaceWhere(
            env.lake(),
            SluiceTables.FEATURE_IMPORTANCE,
            env.spark().createDataFrame(rows, SCHEMA).coalesce(1),
            String.format("model_name = '%s' AND model_version = %d", model, version),
            env.run().commitTag()));
    env.catalog().register(SluiceTables.FEATURE_IMPORTANCE);
  }

  /** A method's importances, the largest absolute value first (ties by feature and category). */
  static List<Importance> ranked(List<Importance> importances, String method) {
    return importances.stream()
        .filter(m -> m.method().equals(method))
        .sorted(
            Comparator.comparingDouble((Importance m) -> -Math.abs(m.importance()))
                .thenComparing(Importance::feature)
                .thenComparing(m -> m.category() == null ? "" : m.category()))
        .toList();
  }
}
