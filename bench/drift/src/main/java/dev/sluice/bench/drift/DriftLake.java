/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.bench.drift;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.sluice.model.BaselineProfile;
import dev.sluice.model.BaselineRecords;
import dev.sluice.model.BaselineSettings;
import dev.sluice.model.ColumnProfile;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.LakeCatalog;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The lake {@code sluice drift} reads, written without training or scoring anything: model {@value
 * #MODEL}'s conf (entity and drift policy), its baselines in {@code model_baselines} (the real
 * {@link BaselineProfile#compute} and {@link BaselineRecords#toRows} over synthetic training rows),
 * and the served rows of two score dates in {@code scoring_inputs} and {@code predictions}, with
 * the columns, types and partitioning of {@code sluice score}: the day before the measured date as
 * trained, the measured date with some features shifted ({@link SyntheticColumns}).
 *
 * @param root the lake's root
 * @param rows served rows per score date (every entity scored once a day)
 * @param features feature columns
 * @param versions 1: the champion serves every row; 2: a challenger serves the 10% canary cohort
 *     (split mode), with its own copy of the baseline
 * @param slice profile a slice by the first categorical feature besides the whole population
 */
record DriftLake(Path root, long rows, int features, int versions, boolean slice) {
  static final String MODEL = "bench";
  static final String ENTITY = "customer_id";
  static final LocalDate DATE = LocalDate.parse("2026-10-30");

  private static final int TRAINING_ROWS = 200_000;
  private static final long TRAINING_SEED = 17;

  /** The config file the benchmark's {@code sluice} runs take: {@code conf} plus the model. */
  Path conf() {
    return root.resolve("drift-bench.conf");
  }

  /** Whether the root already holds this lake (a root given again is reused). */
  boolean exists() throws IOException {
    return Files.isRegularFile(conf()) && Files.readString(conf()).startsWith(header());
  }

  /** Writes the conf, the baselines and both days' served rows. */
  void write(Path baseConf, Lakehouse lake) throws IOException {
    Files.createDirectories(root);
    Files.writeString(conf(), header() + modelConf(baseConf));
    baselines(lake);
    served(lake, DATE.minusDays(1), false);
    served(lake, DATE, true);
    LakeCatalog catalog = new LakeCatalog(lake);
    List.of(SluiceTables.MODEL_BASELINES, SluiceTables.SCORING_INPUTS, SluiceTables.PREDICTIONS)
        .forEach(catalog::register);
  }

  private String header() {
    return String.format(
        "# drift bench lake: rows=%d features=%d versions=%d slice=%b%n",
        rows, features, versions, slice);
  }

  private String modelConf(Path baseConf) {
    String observed =
        IntStream.range(0, features)
            .mapToObj(i -> '"' + SyntheticColumns.name(i).replace("__", ".") + '"')
            .collect(Collectors.joining(", "));
    String slices = slice ? String.format("{ first_category = \"%s\" }", firstCategory()) : "{}";
    return String.join(
        "\n",
        "include file(\"" + baseConf.toAbsolutePath() + "\")",
        "sluice.models." + MODEL + " {",
        "  training-set {",
        "    observations = \"raw_labels\"",
        "    entity = \"" + ENTITY + "\"",
        "    timestamp = \"observation_date\"",
        "    features = [" + observed + "]",
        "  }",
        "  # drift reads the task (the score column) from the train section",
        "  train { task = \"binary-classification\", algorithm = \"logistic-regression\" }",
        "  drift {",
        "    granularity = \"1d\"",
        "    slices " + slices,
        "    min-count = 100",
        "    on-alert = \"none\"",
        "    webhook = \"\"",
        "  }",
        "}",
        "");
  }

  private String firstCategory() {
    return IntStream.range(0, features)
        .filter(SyntheticColumns::categorical)
        .mapToObj(SyntheticColumns::name)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("slice=true needs features >= 3"));
  }

  /** Each version's baseline: the profile of synthetic training rows and scores. */
  private void baselines(Lakehouse lake) {
    Dataset<Row> training =
        rowsOf(lake, TRAINING_ROWS, TRAINING_SEED, false).persist(StorageLevel.MEMORY_AND_DISK());
    List<ColumnProfile> profiles;
    try {
      profiles =
          BaselineProfile.compute(
              training, SyntheticColumns.profiled(features), BaselineSettings.DEFAULTS);
    } finally {
      training.unpersist();
    }
    List<Row> records = new ArrayList<>();
    for (long v = 1; v <= versions; v++) {
      records.addAll(BaselineRecords.toRows(profiles, MODEL, v, "bench-train-" + v, Instant.now()));
    }
    DeltaWriter.replaceWhere(
        lake,
        SluiceTables.MODEL_BASELINES,
        lake.spark().createDataFrame(records, BaselineRecords.SCHEMA).coalesce(1),
        "model_name = '" + MODEL + "'",
        "bench");
  }

  /** One score date's served scoring inputs and predictions, as {@code sluice score} writes. */
  private void served(Lakehouse lake, LocalDate date, boolean shifted) {
    long seed = date.toEpochDay();
    Dataset<Row> scored = rowsOf(lake, rows, seed, shifted);
    Column canary = SyntheticColumns.uniform(seed, 2).lt(0.1);
    Column version = versions == 2 ? when(canary, lit(2L)).otherwise(lit(1L)) : lit(1L);
    String runId = "bench-score-" + date;
    List<Column> inputs = new ArrayList<>();
    inputs.add(col(ENTITY));
    inputs.add(lit(Date.valueOf(date)).as("score_date"));
    inputs.add(lit(MODEL).as("model_name"));
    inputs.add(version.as("model_version"));
    inputs.add(when(canary, lit("canary")).otherwise(lit("champion")).as("cohort"));
    inputs.add(lit(true).as("served"));
    IntStream.range(0, features).forEach(i -> inputs.add(col(SyntheticColumns.name(i))));
    inputs.add(lit(runId).as("run_id"));
    List<Column> predictions =
        List.of(
            col(ENTITY),
            lit(Date.valueOf(date)).as("score_date"),
            when(col(SyntheticColumns.SCORE).geq(0.15), 1.0).otherwise(0.0).as("prediction"),
            col(SyntheticColumns.SCORE),
            lit(MODEL).as("model_name"),
            version.as("model_version"),
            when(canary, lit("canary")).otherwise(lit("champion")).as("cohort"),
            lit(true).as("served"),
            lit(runId).as("run_id"),
            lit(Timestamp.valueOf(date.atStartOfDay())).as("scored_ts"));
    String where = String.format("model_name = '%s' AND score_date = DATE'%s'", MODEL, date);
    write(lake, SluiceTables.SCORING_INPUTS, scored.select(inputs.toArray(Column[]::new)), where);
    write(lake, SluiceTables.PREDICTIONS, scored.select(predictions.toArray(Column[]::new)), where);
  }

  private static void write(Lakehouse lake, TableId table, Dataset<Row> rows, String where) {
    DeltaWriter.replaceWhere(
        lake, table, rows, where, List.of("model_name", "score_date"), "bench");
  }

  /**
   * {@code n} rows of the id, the entity, every feature and the score, in as many files as
   * partitions.
   */
  private Dataset<Row> rowsOf(Lakehouse lake, long n, long seed, boolean shifted) {
    int partitions = Integer.parseInt(lake.spark().conf().get("spark.sql.shuffle.partitions", "8"));
    List<Column> columns = new ArrayList<>();
    columns.add(col("id"));
    columns.add(format_string("C%08d", col("id")).as(ENTITY));
    IntStream.range(0, features)
        .forEach(i -> columns.add(SyntheticColumns.feature(i, seed, shifted)));
    columns.add(SyntheticColumns.score(seed, shifted).as(SyntheticColumns.SCORE));
    return lake.spark().range(0, n, 1, partitions).select(columns.toArray(Column[]::new));
  }
}
