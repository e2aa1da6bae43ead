/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.release;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.build.BuildInfo;
import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.ModelLake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.DynamicTest;

/**
 * Every query of the SQL cookbook ({@code docs/sql/*.sql}, discovered, so a new file is run too)
 * through {@code sluice sql -f} against the release lake, once its canary, rollback, drift, alert
 * and performance tests have run. Each cookbook query is checked against what the lake's tables
 * hold, computed here with the Dataset API (a file without a check here must at least return rows).
 */
final class CookbookChecks {
  static final Path DIR = Path.of("..", "docs", "sql").toAbsolutePath().normalize();

  /** Spark's JSON lines write NaN and Infinity bare. */
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private final SparkSession spark;
  private final Path root;
  private final long champion;
  private final String first;
  private final String date;
  private final Map<String, Runnable> checks = new TreeMap<>();

  /**
   * @param champion the version the registry's champion alias points at
   * @param first the first scored and drift-checked window, whose drift alerts rolled back v2
   * @param date the last scored day
   */
  CookbookChecks(SparkSession spark, Path root, long champion, String first, String date) {
    this.spark = spark;
    this.root = root;
    this.champion = champion;
    this.first = first;
    this.date = date;
    checks.put("alert_history.sql", this::alertHistory);
    checks.put("canary_outcomes_and_promotions.sql", this::canaryOutcomes);
    checks.put("champion_data_and_code.sql", this::championDataAndCode);
    checks.put("deployment_history.sql", this::deploymentHistory);
    checks.put("drift_per_feature_over_time.sql", this::driftPerFeature);
    checks.put("features_breaching_thresholds.sql", this::breachingFeatures);
    checks.put("job_failures_by_exit_code.sql", this::jobFailures);
    checks.put("models_using_feature.sql", this::modelsUsingFeature);
    checks.put("performance_once_labels_land.sql", this::performance);
    checks.put("prediction_volume_per_day.sql", this::predictionVolume);
    checks.put("quality_failures_by_table.sql", this::qualityFailures);
  }

  /** One test per file of docs/sql. */
  Stream<DynamicTest> tests() {
    List<String> files;
    try (Stream<Path> list = Files.list(DIR)) {
      files =
          list.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".sql"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(files).as("the cookbook's files").containsAll(checks.keySet());
    return files.stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name, () -> checks.getOrDefault(name, () -> returnsRows(name)).run()));
  }

  private void returnsRows(String file) {
    assertThat(query(file)).as("%s returns rows on the release lake", file).isNotEmpty();
  }

  private void driftPerFeature() {
    List<JsonNode> rows = query("drift_per_feature_over_time.sql");
    Dataset<Row> baseline = driftRows().where(col("drift_type").equalTo("BASELINE"));
    assertThat(keys(rows, "window_end", "model_version", "column_name", "drift_detected"))
        .as("one row per window, version and column judged against the baseline")
        .containsExactlyInAnyOrderElementsOf(
            keys(baseline, "window_end", "model_version", "column_name", "drift_detected"));
    // Test 16 judged FIRST with psi.alert = 0: the score and events_7d drifted (test 19).
    assertThat(
            rows.stream()
                .filter(r -> r.get("window_end").asText().equals(first))
                .filter(r -> r.get("drift_detected").asBoolean())
                .map(r -> r.get("column_name").asText()))
        .contains("probability", "customer_activity__events_7d");
    assertThat(
            rows.stream()
                .filter(r -> r.has("psi_vs_previous_window"))
                .map(r -> r.get("window_end").asText())
                .collect(Collectors.toSet()))
        .as("windows compared with the one before")
        .isEqualTo(
            Set.copyOf(
                strings(
                    driftRows().where(col("drift_type").equalTo("CONSECUTIVE")), "window_end")));
  }

  private void breachingFeatures() {
    for (String asOf : List.of(date, LocalDate.parse(first).minusDays(1).toString())) {
      List<JsonNode> rows =
          query(
              "features_breaching_thresholds.sql",
              "--set",
              "sluice.as_of=" + asOf,
              "--set",
              "sluice.days=7");
      Dataset<Row> breaches =
          driftRows()
              .where(
                  col("drift_type")
                      .equalTo("BASELINE")
                      .and(col("severity").isin("warn", "alert"))
                      .and(col("window_end").gt(LocalDate.parse(asOf).minusDays(7).toString()))
                      .and(col("window_end").leq(asOf)));
      Map<String, String> expected = new TreeMap<>();
      for (Row r :
          breaches
              .groupBy("column_name")
              .agg(
                  org.apache.spark.sql.functions.countDistinct("window_end"),
                  org.apache.spark.sql.functions.count_if(col("severity").equalTo("alert")))
              .collectAsList()) {
        expected.put(r.getString(0), r.getLong(1) + " windows, " + r.getLong(2) + " alerts");
      }
      Map<String, String> found = new TreeMap<>();
      rows.forEach(
          r ->
              found.put(
                  r.get("column_name").asText(),
                  r.get("windows_breached").asLong()
                      + " windows, "
                      + r.get("alerts").asLong()
                      + " alerts"));
      assertThat(found).as("columns breaching in the 7 days to %s", asOf).isEqualTo(expected);
      if (asOf.equals(date)) {
        assertThat(found).containsKeys("probability", "customer_activity__events_7d");
      } else {
        assertThat(found).as("no window ends before %s", first).isEmpty();
      }
    }
  }

  private void championDataAndCode() {
    List<JsonNode> rows = query("champion_data_and_code.sql");
    Row trainingSet = table("training_sets").where(col("model_name").equalTo("churn")).first();
    // The pins the training data was built from: the template's snapshot, the first commit of
    // sluice.snapshots (a later snapshot of the same date replaced its rows).
    Map<String, Long> pins = new TreeMap<>();
    spark
        .read()
        .format("delta")
        .option("versionAsOf", 0)
        .load(root.resolve("snapshots").toString())
        .collectAsList()
        .forEach(r -> pins.put(r.getAs("source_table"), r.<Long>getAs("delta_version")));
    Map<String, Long> pinned = new TreeMap<>();
    rows.stream()
        .filter(r -> r.get("role").asText().equals("source pin"))
        .forEach(r -> pinned.put(r.get("input_name").asText(), r.get("input_version").asLong()));
    assertThat(pinned).as("the snapshot pins behind champion v%s", champion).isEqualTo(pins);
    assertThat(pinned.get(trainingSet.<String>getAs("observation_table")))
        .isEqualTo(trainingSet.<Long>getAs("observation_version"));

    String trainingTable =
        trainingSet.<String>getAs("out_table") + "@" + trainingSet.<Long>getAs("out_version");
    assertThat(inputs(rows, "train")).contains(trainingTable);
    assertThat(inputs(rows, "training-set"))
        .as("the feature tables the training set recorded")
        .containsAll(featureTables(trainingSet));
    assertThat(rows)
        .extracting(r -> r.get("code_version").asText())
        .as("every run of the chain ran this build")
        .containsOnly(BuildInfo.codeVersion());
    Long registered =
        table("lineage")
            .where(
                col("run_id")
                    .equalTo(
                        rows.stream()
                            .filter(r -> r.get("step").asInt() == 1)
                            .findFirst()
                            .orElseThrow()
                            .get("run_id")
                            .asText())
                    .and(col("output_kind").equalTo("model")))
            .first()
            .getAs("output_version");
    assertThat(registered).as("step 1 is the run that registered the champion").isEqualTo(champion);
  }

  private static List<String> featureTables(Row trainingSet) {
    return trainingSet.getList(trainingSet.fieldIndex("feature_tables"));
  }

  private static List<String> inputs(List<JsonNode> rows, String job) {
    return rows.stream()
        .filter(r -> r.get("job").asText().equals(job))
        .map(r -> r.get("input_name").asText() + "@" + r.get("input_version").asLong())
        .toList();
  }

  private void modelsUsingFeature() {
    List<JsonNode> rows = query("models_using_feature.sql");
    assertThat(rows)
        .extracting(r -> r.get("model_version").asLong())
        .as("every version with a baseline of the feature's column")
        .containsExactlyInAnyOrderElementsOf(
            table("model_baselines")
                .where(col("column_name").equalTo("customer_activity__events_7d"))
                .select("model_version")
                .distinct()
                .as(org.apache.spark.sql.Encoders.LONG())
                .collectAsList());
    assertThat(
            rows.stream()
                .filter(r -> r.get("model_version").asLong() == champion)
                .findFirst()
                .orElseThrow()
                .get("aliases")
                .toString())
        .contains("\"champion\"");
  }

  private void qualityFailures() {
    List<JsonNode> rows = query("quality_failures_by_table.sql");
    Map<String, String> expected = new TreeMap<>();
    table("data_quality")
        .groupBy("table_name")
        .agg(
            org.apache.spark.sql.functions.countDistinct("run_id"),
            org.apache.spark.sql.functions.count_if(
                col("status").equalTo("failure").and(col("check_level").equalTo("error"))),
            org.apache.spark.sql.functions.count_if(
                col("status").equalTo("failure").and(col("check_level").equalTo("warning"))))
        .collectAsList()
        .forEach(
            r ->
                expected.put(
                    r.getString(0), r.getLong(1) + " runs " + r.getLong(2) + "/" + r.getLong(3)));
    assertThat(
            rows.stream()
                .collect(
                    Collectors.toMap(
                        r -> r.get("table_name").asText(),
                        r ->
                            r.get("check_runs").asLong()
                                + " runs "
                                + r.get("error_failures").asLong()
                                + "/"
                                + r.get("warning_failures").asLong())))
        .isEqualTo(expected);
  }

  private void canaryOutcomes() {
    List<JsonNode> rows = query("canary_outcomes_and_promotions.sql");
    assertThat(keys(rows, "window_end", "challenger_version"))
        .containsExactlyInAnyOrderElementsOf(
            keys(
                table("canary_analyses").select("window_end", "challenger_version").distinct(),
                "window_end",
                "challenger_version"));
    // Test 8: three successful windows of v2 against v1 → hold, hold, promote.
    List<JsonNode> v2 =
        rows.stream().filter(r -> r.get("challenger_version").asLong() == 2).toList();
    assertThat(v2)
        .extracting(r -> r.get("decision").asText())
        .containsExactly("hold", "hold", "promote");
    assertThat(v2.get(2).get("moves").toString()).contains("champion 1 -> 2 (promote)");
    // Test 9: v3's window on DATE failed its score PSI → abort.
    JsonNode v3 =
        rows.stream()
            .filter(r -> r.get("challenger_version").asLong() == 3)
            .findFirst()
            .orElseThrow();
    assertThat(v3.get("window_end").asText()).isEqualTo(date);
    assertThat(v3.get("decision").asText()).isEqualTo("abort");
    assertThat(v3.get("moves").toString()).contains("challenger 3 -> - (canary_abort)");
    assertThat(v3.get("metric_outcomes").toString()).contains("score_psi: failure");
  }

  private void performance() {
    List<JsonNode> rows = query("performance_once_labels_land.sql");
    Dataset<Row> stored = table("performance_metrics");
    assertThat(keys(rows, "window_end", "model_version", "label_count"))
        .as("the labelled windows (FIRST, test 17) with their label counts")
        .containsExactlyInAnyOrderElementsOf(
            keys(
                stored.select("window_end", "model_version", "label_count").distinct(),
                "window_end",
                "model_version",
                "label_count"));
    for (JsonNode r : rows) {
      Row auc =
          stored
              .where(
                  col("window_end")
                      .equalTo(r.get("window_end").asText())
                      .and(col("model_version").equalTo(r.get("model_version").asLong()))
                      .and(col("metric").equalTo("log_loss")))
              .first();
      assertThat(r.get("log_loss").asDouble())
          .isCloseTo(auc.<Double>getAs("value"), org.assertj.core.api.Assertions.within(1e-4));
    }
  }

  private void alertHistory() {
    List<JsonNode> rows = query("alert_history.sql");
    Map<String, Long> expected = new TreeMap<>();
    table("alerts")
        .groupBy("window_end", "model_version")
        .count()
        .collectAsList()
        .forEach(r -> expected.put(r.get(0) + " v" + r.getLong(1), r.getLong(2)));
    assertThat(
            rows.stream()
                .collect(
                    Collectors.toMap(
                        r -> r.get("window_end").asText() + " v" + r.get("model_version").asLong(),
                        r -> r.get("alerts").asLong())))
        .isEqualTo(expected);
    // Test 16: every column of FIRST alerted and the policy rolled v2 back to v1.
    assertThat(
            rows.stream()
                .filter(r -> r.get("window_end").asText().equals(first))
                .map(r -> r.get("actions").toString()))
        .isNotEmpty()
        .allMatch(actions -> actions.contains("rollback to version 1"));
  }

  private void deploymentHistory() {
    List<JsonNode> rows = query("deployment_history.sql");
    Function<Row, String> move =
        r ->
            String.format(
                "%s %s->%s %s: %s",
                r.getAs("alias"),
                r.getAs("from_version"),
                r.getAs("to_version"),
                r.getAs("action"),
                r.getAs("reason"));
    List<String> expected = table("deployments").collectAsList().stream().map(move).toList();
    List<String> found =
        rows.stream()
            .map(
                r ->
                    String.format(
                        "%s %s->%s %s: %s",
                        r.get("alias").asText(),
                        r.has("from_version") ? r.get("from_version").asLong() : null,
                        r.has("to_version") ? r.get("to_version").asLong() : null,
                        r.get("action").asText(),
                        r.get("reason").asText()))
            .toList();
    assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(rows)
        .extracting(r -> r.get("at_ts").asText())
        .as("in time order")
        .isSortedAccordingTo(java.util.Comparator.naturalOrder());
    assertThat(jobOf(rows, "drift on events_7d")).as("test 11's rollback").isEqualTo("rollback");
    assertThat(jobOf(rows, "drift alert on version 2")).as("test 16's rollback").isEqualTo("drift");
  }

  private static String jobOf(List<JsonNode> rows, String reason) {
    return rows.stream()
        .filter(r -> r.get("reason").asText().equals(reason))
        .findFirst()
        .orElseThrow()
        .get("job")
        .asText();
  }

  private void jobFailures() {
    List<JsonNode> rows = query("job_failures_by_exit_code.sql");
    Map<String, Long> expected = new TreeMap<>();
    table("job_runs")
        .where(col("exit_code").notEqual(0))
        .groupBy("exit_code", "job")
        .count()
        .collectAsList()
        .forEach(r -> expected.put(r.getInt(0) + " " + r.getString(1), r.getLong(2)));
    Map<String, Long> found = new TreeMap<>();
    rows.forEach(
        r ->
            found.put(
                r.get("exit_code").asInt() + " " + r.get("job").asText(),
                r.get("attempts").asLong()));
    assertThat(found).isEqualTo(expected).containsKey("4 canary-analyze");
  }

  private void predictionVolume() {
    List<JsonNode> rows = query("prediction_volume_per_day.sql");
    Map<String, Long> expected = new TreeMap<>();
    table("predictions")
        .groupBy("score_date", "model_version", "cohort", "served")
        .count()
        .collectAsList()
        .forEach(
            r ->
                expected.put(
                    r.get(0) + " v" + r.getLong(1) + " " + r.getString(2) + " " + r.getBoolean(3),
                    r.getLong(4)));
    Map<String, Long> found = new TreeMap<>();
    rows.forEach(
        r ->
            found.put(
                r.get("score_date").asText()
                    + " v"
                    + r.get("model_version").asLong()
                    + " "
                    + r.get("cohort").asText()
                    + " "
                    + r.get("served").asBoolean(),
                r.get("predictions").asLong()));
    assertThat(found).isEqualTo(expected);
  }

  /** The churn model's drift rows of the whole population, daily windows. */
  private Dataset<Row> driftRows() {
    return table("drift_metrics")
        .where(
            col("model_name")
                .equalTo("churn")
                .and(col("granularity").equalTo("1d"))
                .and(col("slice_key").equalTo("all")));
  }

  /** Runs a cookbook file through {@code sluice sql -f} and parses its JSON lines. */
  private List<JsonNode> query(String file, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "sql",
                "-f",
                DIR.resolve(file).toString(),
                "--format",
                "json",
                "--max-rows",
                "100000"));
    args.addAll(List.of(extra));
    CliRun run = ModelLake.execute(root, args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<JsonNode> rows = new ArrayList<>();
    try {
      for (String line : run.stdout().lines().toList()) {
        rows.add(JSON.readTree(line));
      }
    } catch (IOException e) {
      throw new AssertionError("Not JSON lines: " + run, e);
    }
    return rows;
  }

  private static List<String> keys(List<JsonNode> rows, String... fields) {
    return rows.stream()
        .map(
            r ->
                Stream.of(fields)
                    .map(f -> r.has(f) ? r.get(f).asText() : "null")
                    .collect(Collectors.joining("|")))
        .toList();
  }

  private static List<String> keys(Dataset<Row> rows, String... fields) {
    return rows.collectAsList().stream()
        .map(
            r ->
                Stream.of(fields)
                    .map(f -> String.valueOf(r.<Object>getAs(f)))
                    .collect(Collectors.joining("|")))
        .toList();
  }

  private static List<String> strings(Dataset<Row> rows, String field) {
    return rows.select(field).distinct().collectAsList().stream()
        .map(r -> String.valueOf(r.get(0)))
        .toList();
  }

  private Dataset<Row> table(String name) {
    return spark.read().format("delta").load(root.resolve(name).toString());
  }
}
