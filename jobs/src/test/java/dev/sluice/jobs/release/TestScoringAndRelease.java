/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.release;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.config.RegistryConfig;
import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.ModelLake;
import dev.sluice.jobs.RunbookCommands;
import dev.sluice.jobs.TinyLake;
import dev.sluice.jobs.browser.BrowserCheck;
import dev.sluice.jobs.notebooks.NotebookRunner;
import dev.sluice.jobs.registry.Registries;
import dev.sluice.model.ModelTags;
import dev.sluice.registry.MlflowModelRegistry;
import dev.sluice.registry.ModelRegistry;
import dev.sluice.registry.RegistryCredentials;
import dev.sluice.registry.server.RegistryServer;
import dev.sluice.testing.SparkTestBase;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Scoring (split and shadow cohorts, reruns, backfills), then the release cycle on the same lake:
 * canary windows → promotion, a failed window → abort, hand-made moves through the same checks
 * (promote without a canary, rollback to the last known good, a tampered or never-validated version
 * refused), each move audited in {@code deployments}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestScoringAndRelease extends SparkTestBase {
  private static final String DATE = ModelLake.DATE;

  /** Cohorts of about half the population, so both hold more than min-samples rows. */
  private static final List<String> HALF_CANARY =
      List.of(
          "-Dsluice.models.churn.score.canary.share=0.5",
          "-Dsluice.models.churn.canary.min-samples=20");

  /** Thresholds no pair of models fails. */
  private static final List<String> LENIENT =
      List.of(
          "-Dsluice.models.churn.canary.score-psi.warn=1000",
          "-Dsluice.models.churn.canary.score-psi.max=1001",
          "-Dsluice.models.churn.canary.mean-shift.max=1",
          "-Dsluice.models.churn.canary.auc.tolerance=1");

  private static final String FIRST = TinyLake.END.minusDays(2).toString();

  /** The canary cohort as the conf defines it, written independently of EntityBuckets. */
  private static final String CANARY =
      "pmod(xxhash64(cast(customer_id AS STRING), 'churn-canary'), 10000) < 1000";

  private static Path root;

  @BeforeAll
  static void lake() {
    root = ModelLake.trained("release");
  }

  private static CliRun sluice(List<String> extra, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(HALF_CANARY);
    all.addAll(extra);
    return ModelLake.execute(root, all.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void analyzingBeforeAnyScoringExitsFour() {
    CliRun run = sluice(List.of(), "canary", "analyze", "--model", "churn", "--date", DATE);
    assertThat(run.exitCode()).isEqualTo(4);
    assertThat(run.stderr()).contains("sluice score --model churn");
  }

  @Test
  @Order(2)
  void splitModeScoresTheCanaryWithTheChallengerAndEveryoneElseWithTheChampion() {
    Timestamp started = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS));
    ModelLake.run(root, "score", "--model", "churn", "--date", DATE);
    Timestamp finished = Timestamp.from(Instant.now());

    Dataset<Row> predictions = table("predictions").where(col("score_date").equalTo(DATE));
    long population =
        table("raw_customers")
            .where(
                col("signup_date")
                    .leq(DATE)
                    .and(col("cancel_date").isNull().or(col("cancel_date").gt(DATE))))
            .select("customer_id")
            .distinct()
            .count();
    assertThat(predictions.count()).isEqualTo(population);
    assertThat(predictions.where(col("served").equalTo(false)).count()).isZero();
    assertThat(predictions.where(expr(CANARY).and(col("cohort").notEqual("canary"))).count())
        .isZero();
    assertThat(predictions.where(expr(CANARY).and(col("model_version").notEqual(2))).count())
        .as("the challenger scores the canary cohort")
        .isZero();
    assertThat(
            predictions.where(expr("NOT " + CANARY).and(col("model_version").notEqual(1))).count())
        .as("the champion scores everyone else")
        .isZero();
    assertThat(predictions.where(col("probability").isNull().or(col("probability").gt(1))).count())
        .isZero();
    Row scored = predictions.agg(min("scored_ts"), max("scored_ts")).first();
    assertThat(scored.getTimestamp(0)).as("scored during the run").isAfterOrEqualTo(started);
    assertThat(scored.getTimestamp(1)).isBeforeOrEqualTo(finished);
    double canaryShare =
        predictions.where(col("cohort").equalTo("canary")).count() / (double) population;
    assertThat(canaryShare).isBetween(0.05, 0.15);

    Dataset<Row> inputs = table("scoring_inputs").where(col("score_date").equalTo(DATE));
    assertThat(inputs.count()).isEqualTo(population);
    assertThat(inputs.columns())
        .contains(
            "customer_activity__events_7d", "customer_profile__plan", "cohort", "model_version");
  }

  @Test
  @Order(3)
  void scoringInputsAreTheFeatureValuesAsOfTheScoreDate() {
    // Independently: the newest customer_activity row stamped at or before the score date's
    // midnight and less than its TTL (3 days) older; else null.
    Dataset<Row> expected =
        spark.sql(
            String.format(
                "SELECT customer_id, events_7d FROM ("
                    + " SELECT customer_id, events_7d, row_number() OVER (PARTITION BY customer_id"
                    + " ORDER BY event_ts DESC, _run_id DESC) AS rn FROM delta.`%s`"
                    + " WHERE event_ts <= TIMESTAMP'%s 00:00:00'"
                    + " AND event_ts > TIMESTAMP'%s 00:00:00' - INTERVAL 3 DAYS) WHERE rn = 1",
                root.resolve("features_customer_activity"), DATE, DATE));
    Dataset<Row> inputs =
        table("scoring_inputs")
            .where(col("score_date").equalTo(DATE))
            .select(col("customer_id"), col("customer_activity__events_7d").as("events_7d"));
    Dataset<Row> joined =
        inputs.join(
            expected, inputs.col("customer_id").equalTo(expected.col("customer_id")), "left");
    assertThat(
            joined
                .where(
                    expected
                        .col("events_7d")
                        .isNull()
                        .and(inputs.col("events_7d").isNotNull())
                        .or(
                            expected
                                .col("events_7d")
                                .isNotNull()
                                .and(inputs.col("events_7d").isNull()))
                        .or(expected.col("events_7d").notEqual(inputs.col("events_7d"))))
                .count())
        .isZero();
    assertThat(inputs.where(col("events_7d").isNotNull()).count()).isPositive();
  }

  @Test
  @Order(4)
  void rescoringADateReplacesItsRows() {
    long before = table("predictions").count();
    long version = predictionsVersion();
    ModelLake.run(root, "score", "--model", "churn", "--date", DATE);
    assertThat(table("predictions").count()).isEqualTo(before);
    long after = predictionsVersion();
    assertThat(after).isEqualTo(version + 1);
  }

  @Test
  @Order(5)
  void cohortsAreStableAcrossDays() {
    ModelLake.run(root, "score", "--model", "churn", "--from", FIRST, "--to", DATE);
    Dataset<Row> predictions = table("predictions");
    assertThat(predictions.select("score_date").distinct().count()).isEqualTo(3);
    assertThat(
            predictions
                .groupBy("customer_id")
                .agg(countDistinct("cohort").as("cohorts"))
                .where(col("cohorts").gt(1))
                .count())
        .isZero();
  }

  @Test
  @Order(6)
  void shadowModeScoresEveryoneWithBothAndServesTheChampion() {
    ModelLake.run(
        root,
        "score",
        "--model",
        "churn",
        "--date",
        DATE,
        "-Dsluice.models.churn.score.canary.mode=shadow");
    Dataset<Row> predictions = table("predictions").where(col("score_date").equalTo(DATE));
    long population = predictions.where(col("model_version").equalTo(1)).count();
    assertThat(predictions.where(col("model_version").equalTo(2)).count()).isEqualTo(population);
    assertThat(
            predictions
                .where(col("model_version").equalTo(1).and(col("served").equalTo(false)))
                .count())
        .isZero();
    assertThat(
            predictions
                .where(col("model_version").equalTo(2).and(col("served").equalTo(true)))
                .count())
        .isZero();
    assertThat(predictions.where(col("served")).count())
        .as("one served prediction per entity")
        .isEqualTo(population);
  }

  @Test
  @Order(7)
  void aMissingPopulationColumnIsAConfigError() {
    CliRun run =
        ModelLake.execute(
            root,
            "score",
            "--model",
            "churn",
            "--date",
            DATE,
            "-Dsluice.models.churn.score.population.entity=client_id");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .contains("sluice.models.churn.score.population.entity")
        .contains("client_id");
  }

  @Test
  @Order(7)
  void aFeatureTableBuiltUnderAnOlderDefinitionIsRefusedBeforeAnythingIsWritten() {
    long before = predictionsVersion();
    CliRun run =
        sluice(
            List.of("-Dsluice.features.groups.customer_activity.features.events_7d.window=6d"),
            "score",
            "--model",
            "churn",
            "--date",
            DATE);
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(4);
    assertThat(run.stderr())
        .contains("features_customer_activity@")
        .contains("customer_activity is now defined as")
        .contains("sluice features build --from <first day> --to " + DATE);
    assertThat(predictionsVersion()).as("no predictions were committed").isEqualTo(before);
  }

  private static long predictionsVersion() {
    return DeltaTable.forPath(spark, root.resolve("predictions").toString())
        .history(1)
        .first()
        .getLong(0);
  }

  @Test
  @Order(8)
  void threeSuccessfulWindowsPromoteTheChallenger() {
    String snapshotId = snapshotId();
    String first = TinyLake.END.minusDays(2).toString();
    assertThat(
            sluice(List.of(), "score", "--model", "churn", "--from", first, "--to", DATE)
                .exitCode())
        .isZero();
    List<String> decisions = new ArrayList<>();
    for (int back = 2; back >= 0; back--) {
      CliRun run =
          sluice(
              LENIENT,
              "canary",
              "analyze",
              "--model",
              "churn",
              "--date",
              TinyLake.END.minusDays(back).toString(),
              "--snapshot-id",
              snapshotId);
      assertThat(run.exitCode()).as(run.stderr()).isZero();
      decisions.add(run.summary().get("decision").get("action").asText());
    }
    assertThat(decisions).containsExactly("hold", "hold", "promote");
    assertThat(alias(ModelTags.CHAMPION)).contains(2L);
    assertThat(alias(ModelTags.CHALLENGER)).isEmpty();
    Dataset<Row> analyses = table("canary_analyses");
    assertThat(analyses.select("window_end").distinct().count()).isEqualTo(3);
    assertThat(analyses.where(col("window_outcome").notEqual("success")).count()).isZero();
    List<Row> promote =
        table("deployments")
            .where(col("action").equalTo("promote"))
            .orderBy("alias")
            .collectAsList();
    assertThat(promote).hasSize(2);
    assertThat(promote.get(0).<String>getAs("alias")).isEqualTo("challenger");
    assertThat(promote.get(1).<String>getAs("alias")).isEqualTo("champion");
    assertThat(promote.get(1).<Long>getAs("from_version")).isEqualTo(1L);
    assertThat(promote.get(1).<Long>getAs("to_version")).isEqualTo(2L);
  }

  @Test
  @Order(9)
  void aFailedWindowAbortsTheCanaryWithExitFive() {
    assertThat(
            ModelLake.train(
                    root, ModelLake.NO_PERMUTATION, "-Dsluice.models.churn.train.params.maxIter=5")
                .exitCode())
        .isZero();
    assertThat(alias(ModelTags.CHALLENGER)).contains(3L);
    assertThat(sluice(List.of(), "score", "--model", "churn", "--date", DATE).exitCode()).isZero();
    CliRun run =
        sluice(
            List.of(
                "-Dsluice.models.churn.canary.score-psi.warn=0",
                "-Dsluice.models.churn.canary.score-psi.max=0.000001"),
            "canary",
            "analyze",
            "--model",
            "churn",
            "--date",
            DATE,
            "--snapshot-id",
            snapshotId());
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(5);
    assertThat(run.summary().get("decision").get("action").asText()).isEqualTo("canary_abort");
    assertThat(run.summary().get("decision").get("reason").asText()).contains("score_psi");
    assertThat(alias(ModelTags.CHALLENGER)).isEmpty();
    assertThat(table("deployments").where(col("action").equalTo("canary_abort")).count())
        .isEqualTo(1);
  }

  @Test
  @Order(10)
  void promotingByHandStillNeedsASuccessfulCanary() {
    assertThat(
            ModelLake.train(
                    root, ModelLake.NO_PERMUTATION, "-Dsluice.models.churn.train.params.maxIter=6")
                .exitCode())
        .isZero();
    CliRun run = sluice(List.of(), "promote", "--model", "churn", "--reason", "looks good");
    assertThat(run.exitCode()).isEqualTo(5);
    assertThat(run.stderr()).contains("no canary analysis");
    assertThat(alias(ModelTags.CHAMPION)).contains(2L);
  }

  @Test
  @Order(11)
  void rollbackReturnsToTheLastKnownGoodAndNotToARolledBackChampion() {
    CliRun back =
        sluice(List.of(), "rollback", "--model", "churn", "--reason", "drift on events_7d");
    assertThat(back.exitCode()).as(back.stderr()).isZero();
    assertThat(alias(ModelTags.CHAMPION)).contains(1L);
    Row audit = table("deployments").where(col("action").equalTo("rollback")).first();
    assertThat(audit.<Long>getAs("from_version")).isEqualTo(2L);
    assertThat(audit.<Long>getAs("to_version")).isEqualTo(1L);
    assertThat(audit.<String>getAs("reason")).isEqualTo("drift on events_7d");

    // Version 2's tenure ended in a rollback, and 1 is champion: nothing earlier is known good.
    CliRun again = sluice(List.of(), "rollback", "--model", "churn", "--reason", "again");
    assertThat(again.exitCode()).isEqualTo(5);
    assertThat(again.stderr()).contains("no earlier champion");
  }

  @Test
  @Order(12)
  void aTamperedVersionIsRefusedWithExitFour() throws IOException {
    Path file = anyDataFile(2);
    byte[] original = Files.readAllBytes(file);
    byte[] changed = original.clone();
    changed[changed.length / 2] ^= 1;
    Files.write(file, changed);
    try {
      CliRun run =
          sluice(List.of(), "rollback", "--model", "churn", "--to-version", "2", "--reason", "x");
      assertThat(run.exitCode()).isEqualTo(4);
      assertThat(run.stderr()).contains(file.getFileName().toString());
      assertThat(alias(ModelTags.CHAMPION)).contains(1L);
    } finally {
      Files.write(file, original);
    }
  }

  @Test
  @Order(13)
  void aNeverValidatedVersionIsRefusedForRollbackAndScoring() {
    CliRun failed =
        ModelLake.train(
            root,
            ModelLake.NO_PERMUTATION,
            "-Dsluice.models.churn.train.params.maxIter=4",
            "-Dsluice.models.churn.gate.minimums.auc_roc=0.99999");
    assertThat(failed.exitCode()).isEqualTo(5);
    long version = failed.summary().get("metrics").get("model_version").asLong();
    CliRun run =
        sluice(
            List.of(),
            "rollback",
            "--model",
            "churn",
            "--to-version",
            Long.toString(version),
            "--reason",
            "x");
    assertThat(run.exitCode()).isEqualTo(5);
    assertThat(run.stderr()).contains("never passed the validation gate");

    withRegistry(
        registry -> {
          registry.setAlias("churn", ModelTags.CHALLENGER, version);
          return null;
        });
    CliRun score = sluice(List.of(), "score", "--model", "churn", "--date", DATE);
    assertThat(score.exitCode()).isEqualTo(5);
    assertThat(score.stderr()).contains("never passed the validation gate");
  }

  /** Drift with every window judged, whatever its size. */
  private static final String ANY_COUNT = "-Dsluice.models.churn.drift.min-count=0";

  /**
   * The tiny sample's labels land two days after their observation date (FIRST's on DATE), so with
   * a two-day horizon FIRST's window is labelled as of DATE.
   */
  private static final String HORIZON = "-Dsluice.models.churn.drift.performance.horizon-days=2";

  /** Drift over the scored days, every window judged, FIRST labelled. */
  private static CliRun driftFirstToDate() {
    return sluice(
        List.of(ANY_COUNT, HORIZON), "drift", "--model", "churn", "--from", FIRST, "--to", DATE);
  }

  @Test
  @Order(14)
  void driftProfilesEachWindowInOneQueryAgainstTheBaselineAndThePreviousWindow() throws Exception {
    Map<String, Set<String>> executions = new ConcurrentHashMap<>();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart job) {
            String group = job.properties().getProperty("spark.jobGroup.id", "");
            String description = job.properties().getProperty("spark.job.description", "");
            String execution = job.properties().getProperty("spark.sql.execution.id");
            // Delta's own queries (listing a table's files for the scan) are not the profile's.
            if (group.startsWith("drift:profile-")
                && !description.startsWith("Delta")
                && execution != null) {
              executions.computeIfAbsent(group, g -> ConcurrentHashMap.newKeySet()).add(execution);
            }
          }
        };
    AtomicReference<CliRun> drifted = new AtomicReference<>();
    listening(listener, () -> drifted.set(driftFirstToDate()));
    CliRun run = drifted.get();
    assertThat(run.exitCode()).as(run.stderr()).isIn(0, 5);
    assertThat(executions).as("one profiling query per window").hasSize(3);
    executions.values().forEach(ids -> assertThat(ids).hasSize(1));

    Dataset<Row> profiles = table("profile_metrics");
    List<Row> served =
        table("scoring_inputs")
            .where(col("served").and(col("score_date").geq(FIRST)))
            .groupBy("model_version", "score_date")
            .count()
            .collectAsList();
    assertThat(served).isNotEmpty();
    for (Row r : served) {
      Row profile =
          profiles
              .where(
                  col("model_version")
                      .equalTo(r.getLong(0))
                      .and(col("window_end").equalTo(r.getDate(1)))
                      .and(col("slice_key").equalTo("all"))
                      .and(col("column_name").equalTo("customer_activity__events_7d")))
              .first();
      assertThat(profile.<Long>getAs("count"))
          .as("rows profiled for v%d on %s", r.getLong(0), r.getDate(1))
          .isEqualTo(r.getLong(2));
    }
    Dataset<Row> drift = table("drift_metrics");
    assertThat(drift.where(col("drift_type").equalTo("BASELINE")).count())
        .as("every profile is compared with its baseline")
        .isEqualTo(profiles.count());
    assertThat(
            drift
                .where(col("drift_type").equalTo("CONSECUTIVE"))
                .select("window_end")
                .distinct()
                .count())
        .as("every window after the first is compared with the one before")
        .isEqualTo(2);
    assertThat(
            drift
                .where(
                    col("drift_type")
                        .equalTo("BASELINE")
                        .and(col("column_name").equalTo("probability")))
                .count())
        .as("prediction drift on the score")
        .isPositive();
  }

  @Test
  @Order(15)
  void rerunningDriftReplacesItsRows() {
    long profiles = table("profile_metrics").count();
    long drift = table("drift_metrics").count();
    List<Row> performance = table("performance_metrics").collectAsList();
    CliRun run = driftFirstToDate();
    assertThat(run.exitCode()).as(run.stderr()).isIn(0, 5);
    assertThat(table("performance_metrics").collectAsList())
        .as("no label landed and nothing was rescored: the window is not evaluated again")
        .containsExactlyInAnyOrderElementsOf(performance);
    assertThat(table("profile_metrics").count()).isEqualTo(profiles);
    assertThat(table("drift_metrics").count()).isEqualTo(drift);
  }

  @Test
  @Order(16)
  void anAlertOnTheChampionIsRecordedPostedAndRollsItBackWithExitFive() throws Exception {
    // Version 2 passed its canary (test 8) and is promoted again by hand: champion 2, and 1,
    // whose last tenure ended in a promotion, is the last known good version.
    CliRun promote =
        sluice(List.of(), "promote", "--model", "churn", "--to-version", "2", "--reason", "fixed");
    assertThat(promote.exitCode()).as(promote.stderr()).isZero();
    assertThat(alias(ModelTags.CHAMPION)).contains(2L);
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          received.add(new String(exchange.getRequestBody().readAllBytes(), UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    CliRun run;
    try {
      run =
          sluice(
              List.of(
                  ANY_COUNT,
                  "-Dsluice.models.churn.drift.psi.warn=0",
                  "-Dsluice.models.churn.drift.psi.alert=0", // every column alerts
                  "-Dsluice.models.churn.drift.on-alert=rollback",
                  "-Dsluice.models.churn.drift.webhook=http://127.0.0.1:"
                      + receiver.getAddress().getPort()
                      + "/hook"),
              "drift",
              "--model",
              "churn",
              "--date",
              FIRST);
    } finally {
      receiver.stop(0);
    }
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(5);
    Dataset<Row> alerts = table("alerts").where(col("window_end").equalTo(FIRST));
    long columns =
        table("drift_metrics")
            .where(
                col("window_end")
                    .equalTo(FIRST)
                    .and(col("drift_type").equalTo("BASELINE"))
                    .and(col("slice_key").equalTo("all")))
            .count();
    assertThat(alerts.where(col("metric").equalTo("psi")).count())
        .as("one alert per column of the whole population")
        .isEqualTo(columns);
    assertThat(alerts.where(col("metric").equalTo("drifted_share")).count()).isPositive();
    // Version 2 served the canary cohort on FIRST (test 8), so the champion's rows drifted: the
    // policy rolls it back to version 1 through the code of `sluice rollback`, audited.
    assertThat(
            table("scoring_inputs")
                .where(
                    col("score_date")
                        .equalTo(FIRST)
                        .and(col("served"))
                        .and(col("model_version").equalTo(2L)))
                .isEmpty())
        .isFalse();
    assertThat(alerts.select("action").distinct().collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("rollback to version 1");
    assertThat(alias(ModelTags.CHAMPION)).contains(1L);
    Row audit =
        table("deployments")
            .where(col("action").equalTo("rollback").and(col("from_version").equalTo(2L)))
            .orderBy(col("at_ts").desc())
            .first();
    assertThat(audit.<Long>getAs("to_version")).isEqualTo(1L);
    assertThat(audit.<String>getAs("reason")).isEqualTo("drift alert on version 2");
    assertThat(audit.<String>getAs("evidence")).contains("customer_activity__events_7d");
    assertThat(run.summary().get("decision").get("action").asText()).isEqualTo("rollback");
    assertThat(received).hasSize(1);
    JsonNode payload = new ObjectMapper().readTree(received.get(0));
    assertThat(payload.get("model").asText()).isEqualTo("churn");
    assertThat(payload.get("alerts").size()).isEqualTo((int) alerts.count());
  }

  @Test
  @Order(17)
  void performanceOfALabelledWindowMatchesAPlainComputation() {
    // Evaluated by test 14: FIRST's window, labelled as of DATE with a two-day horizon.
    assertPerformanceMatchesLabels();
    assertThat(table("performance_metrics").where(col("window_end").notEqual(FIRST)).isEmpty())
        .as("DATE and the day before are not labelled yet")
        .isTrue();
  }

  @Test
  @Order(18)
  void aLateLabelRecomputesItsWindowAndALabelLandingAfterTheDateDoesNot() {
    long before = labelCount();
    // Two served customers of FIRST without a label: one label lands late but by the end of DATE,
    // the other only the day after DATE.
    List<Row> unlabelled =
        spark
            .sql(
                String.format(
                    "SELECT DISTINCT p.customer_id FROM delta.`%s` p LEFT ANTI JOIN delta.`%s` l"
                        + " ON p.customer_id = l.customer_id AND p.score_date = l.observation_date"
                        + " WHERE p.served AND p.model_name = 'churn' AND p.score_date = DATE'%s'"
                        + " ORDER BY 1 LIMIT 2",
                    root.resolve("predictions"), root.resolve("raw_labels"), FIRST))
            .collectAsList();
    assertThat(unlabelled).hasSize(2);
    Dataset<Row> labels = table("raw_labels");
    Dataset<Row> late =
        spark
            .sql(
                String.format(
                    "SELECT '%s' AS customer_id, DATE'%s' AS observation_date, 1 AS churned,"
                        + " TIMESTAMP'%s 23:00:00' AS landed_ts, 9 AS _append_day UNION ALL"
                        + " SELECT '%s', DATE'%s', 1, TIMESTAMP'%s 01:00:00', 10",
                    unlabelled.get(0).getString(0),
                    FIRST,
                    DATE,
                    unlabelled.get(1).getString(0),
                    FIRST,
                    TinyLake.END.plusDays(1)))
            .select(
                java.util.Arrays.stream(labels.schema().fields())
                    .map(f -> col(f.name()).cast(f.dataType()))
                    .toArray(org.apache.spark.sql.Column[]::new));
    late.write().format("delta").mode("append").save(root.resolve("raw_labels").toString());
    assertThat(ModelLake.execute(root, "snapshot", "--date", DATE).exitCode()).isZero();

    CliRun run = sluice(List.of(ANY_COUNT, HORIZON), "drift", "--model", "churn", "--date", DATE);
    assertThat(run.exitCode()).as(run.stderr()).isIn(0, 5);
    assertThat(labelCount())
        .as("exactly the label that landed by DATE joins")
        .isEqualTo(before + 1);
    assertPerformanceMatchesLabels();
  }

  /**
   * performance_metrics of FIRST against a plain computation over the served predictions joined
   * with the labels that landed by the end of DATE: the label count, the label mean, AUC-ROC by
   * counting ranked pairs and the log loss.
   */
  private void assertPerformanceMatchesLabels() {
    List<Row> joined =
        spark
            .sql(
                String.format(
                    "SELECT p.model_version, p.probability, CAST(l.churned AS DOUBLE) AS y"
                        + " FROM delta.`%s` p JOIN (SELECT customer_id, observation_date,"
                        + " max_by(churned, landed_ts) AS churned FROM delta.`%s` WHERE landed_ts"
                        + " < TIMESTAMP'%s 00:00:00' GROUP BY 1, 2) l ON p.customer_id ="
                        + " l.customer_id AND p.score_date = l.observation_date WHERE p.served AND"
                        + " p.model_name = 'churn' AND p.score_date = DATE'%s'",
                    root.resolve("predictions"),
                    root.resolve("raw_labels"),
                    TinyLake.END.plusDays(1),
                    FIRST))
            .collectAsList();
    assertThat(joined).isNotEmpty();
    Map<Long, List<Row>> byVersion = new java.util.TreeMap<>();
    joined.forEach(r -> byVersion.computeIfAbsent(r.getLong(0), v -> new ArrayList<>()).add(r));
    Dataset<Row> stored = table("performance_metrics").where(col("window_end").equalTo(FIRST));
    assertThat(stored.select("model_version").distinct().count()).isEqualTo(byVersion.size());
    byVersion.forEach(
        (version, rows) -> {
          Dataset<Row> mine = stored.where(col("model_version").equalTo(version));
          assertThat(mine.select("label_count").distinct().first().getLong(0))
              .isEqualTo(rows.size());
          double positives = rows.stream().filter(r -> r.getDouble(2) == 1).count();
          assertThat(metric(mine, "label_mean")).isCloseTo(positives / rows.size(), within(1e-12));
          double pairs = 0;
          double wins = 0;
          double loss = 0;
          for (Row a : rows) {
            double p = Math.min(Math.max(a.getDouble(1), 1e-15), 1 - 1e-15);
            loss -= a.getDouble(2) == 1 ? Math.log(p) : Math.log(1 - p);
            for (Row b : rows) {
              if (a.getDouble(2) == 1 && b.getDouble(2) == 0) {
                pairs++;
                wins += Double.compare(a.getDouble(1), b.getDouble(1)) > 0 ? 1 : 0;
                wins += a.getDouble(1) == b.getDouble(1) ? 0.5 : 0;
              }
            }
          }
          assertThat(metric(mine, "log_loss")).isCloseTo(loss / rows.size(), within(1e-9));
          if (pairs == 0) {
            assertThat(mine.where(col("metric").equalTo("auc_roc")).first().isNullAt(6))
                .as("no pair to rank: AUC undefined")
                .isTrue();
          } else {
            assertThat(metric(mine, "auc_roc")).isCloseTo(wins / pairs, within(1e-9));
          }
        });
  }

  /** The labelled rows of FIRST's window, summed over versions. */
  private long labelCount() {
    return table("performance_metrics")
        .where(col("window_end").equalTo(FIRST))
        .select("model_version", "label_count")
        .distinct()
        .collectAsList()
        .stream()
        .mapToLong(r -> r.getLong(1))
        .sum();
  }

  private static double metric(Dataset<Row> rows, String metric) {
    return rows.where(col("metric").equalTo(metric)).first().<Double>getAs("value");
  }

  @Test
  @Order(19)
  void theDriftReportShowsTheDriftedColumnsAndIsLoggedToTheVersionsRun() throws Exception {
    CliRun run = sluice(List.of(), "drift", "report", "--model", "churn", "--date", FIRST);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode metrics = run.summary().get("metrics");
    Path file = Path.of(metrics.get("report").asText());
    assertThat(file)
        .as("under the lake's _reports by default")
        .isEqualTo(root.resolve("_reports/drift/churn/drift-" + FIRST + ".html"))
        .exists();
    String html = Files.readString(file, UTF_8);
    long version = metrics.get("model_version").asLong();
    // Test 16 judged window FIRST with psi.alert = 0: every column of every version drifted.
    List<String> drifted =
        table("drift_metrics")
            .where(
                col("window_end")
                    .equalTo(FIRST)
                    .and(col("model_version").equalTo(version))
                    .and(col("drift_type").equalTo("BASELINE"))
                    .and(col("slice_key").equalTo("all"))
                    .and(col("drift_detected")))
            .select("column_name")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertThat(drifted).contains("probability", "customer_activity__events_7d");
    assertThat(metrics.get("drifted").asInt()).isEqualTo(drifted.size());
    assertThat(html).contains("<th>Drifted features</th><td>" + drifted.size() + ": ");
    for (String column : drifted) {
      assertThat(html)
          .contains(column)
          .contains("id=\"hist-" + column + "\"")
          .contains("id=\"stats-" + column + "\"");
    }
    assertThat(html).contains("<table class=\"alerts\" id=\"alerts\">");

    String runId = withRegistry(r -> r.getModelVersion("churn", version).runId().orElseThrow());
    assertThat(metrics.get("artifact").asText())
        .isEqualTo("runs:/" + runId + "/drift/drift-" + FIRST + ".html");
    Path downloaded = Files.createTempDirectory("report");
    withRegistry(r -> r.downloadArtifacts(runId, "drift", downloaded));
    assertThat(downloaded.resolve("drift-" + FIRST + ".html"))
        .as("the report is an artifact of the run that produced the version")
        .hasSameTextualContentAs(file);

    CliRun unknown =
        sluice(List.of(), "drift", "report", "--model", "churn", "--date", "2020-01-01");
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(4);
    assertThat(unknown.stderr())
        .contains("no 1d drift window ending 2020-01-01")
        .contains(FIRST)
        .contains("sluice drift --model churn --date 2020-01-01");
  }

  /**
   * Runs the commands of a runbook (docs/runbooks) against this lake as written, with the lake's
   * settings appended; each must end with an exit code the runbook states. Returns their stdout.
   */
  private static List<String> runbook(String name, Map<String, String> variables) {
    List<String> outputs = new ArrayList<>();
    for (RunbookCommands.Command command : RunbookCommands.of(name, variables)) {
      CliRun run = sluice(List.of(), command.args().toArray(String[]::new));
      assertThat(command.exitCodes())
          .as("%s: %s%n%s", name, command.line(), run)
          .contains(run.exitCode());
      outputs.add(run.stdout());
    }
    return outputs;
  }

  @Test
  @Order(60)
  void theDriftIncidentRunbooksCommandsWorkOnTheAlertedWindow() {
    // Test 16's alert on FIRST: the runbook's queries find it, its rollback and the report.
    List<String> out = runbook("drift-incident.md", Map.of("DATE", FIRST));

    String all = String.join("\n", out);
    assertThat(out.get(0))
        .as("step 1 lists the window's alerts with the action taken")
        .contains("customer_activity__events_7d")
        .contains("rollback to version 1");
    assertThat(all).contains("drift alert on version 2");
    Path report = root.resolve("_reports/drift/churn/drift-" + FIRST + ".html");
    assertThat(all).contains(report.getFileName().toString());
    assertThat(report).exists();
  }

  @Test
  @Order(61)
  void theManualRollbackRunbookRollsTheChampionBackAndRescoresWithIt() {
    // Test 13 planted a never-validated challenger by hand, which no scoring run accepts: take it
    // away as the registry's admin would. Then a release to undo: version 2 (it passed its canary)
    // promoted again; 1 is the last known good.
    withRegistry(
        registry -> {
          registry.deleteAlias("churn", ModelTags.CHALLENGER);
          return null;
        });
    CliRun promote =
        sluice(List.of(), "promote", "--model", "churn", "--to-version", "2", "--reason", "again");
    assertThat(promote.exitCode()).as(promote.toString()).isZero();
    List<RunbookCommands.Command> commands = RunbookCommands.of("manual-rollback.md", Map.of());
    String reason =
        commands.stream()
            .filter(c -> c.args().get(0).equals("rollback"))
            .map(c -> c.args().get(c.args().indexOf("--reason") + 1))
            .findFirst()
            .orElseThrow();

    runbook("manual-rollback.md", Map.of("DATE", DATE));

    assertThat(alias(ModelTags.CHAMPION)).contains(1L);
    Row audit =
        table("deployments")
            .where(col("action").equalTo("rollback"))
            .orderBy(col("at_ts").desc())
            .first();
    assertThat(audit.<Long>getAs("from_version")).isEqualTo(2L);
    assertThat(audit.<Long>getAs("to_version")).isEqualTo(1L);
    assertThat(audit.<String>getAs("reason")).isEqualTo(reason);
    assertThat(
            table("predictions")
                .where(
                    col("score_date")
                        .equalTo(DATE)
                        .and(col("served"))
                        .and(col("cohort").notEqual("canary")))
                .select("model_version")
                .distinct()
                .collectAsList())
        .as("outside the canary cohort, the rescored date is served by the restored champion")
        .extracting(r -> r.getLong(0))
        .containsExactly(1L);
  }

  @Test
  @Order(70)
  void theJavaNotebooksRunCellByCellAgainstTheLake() {
    List<Path> notebooks = NotebookRunner.notebooks();
    assertThat(notebooks)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("drift.ipynb", "features.ipynb", "lineage.ipynb");
    Map<String, NotebookRunner.Run> runs = new java.util.HashMap<>();
    notebooks.forEach(nb -> runs.put(nb.getFileName().toString(), NotebookRunner.run(nb, root)));

    // Test 19 found every column of window FIRST drifted: the drift notebook counts it.
    assertThat(runs.get("drift.ipynb").lastValue())
        .contains("customer_activity__events_7d=")
        .contains("probability=");
    long champion = alias("champion").orElseThrow();
    assertThat(runs.get("lineage.ipynb").lastValue())
        .as("the champion as the registry names it, and its training set")
        .contains("churn version " + champion + " is the champion")
        .contains("training_churn@");
    Row newest =
        table("training_sets")
            .where(col("model_name").equalTo("churn"))
            .orderBy(col("created_ts").desc())
            .first();
    long rows =
        spark.read().format("delta").load(root.resolve("training_churn").toString()).count();
    assertThat(runs.get("features.ipynb").lastValue())
        .as("the newest training set, its rows and features (JShell quotes a String value)")
        .contains(
            "training_churn@"
                + newest.<Long>getAs("out_version")
                + ": "
                + rows
                + " rows, "
                + newest.getList(newest.fieldIndex("features")).size()
                + " features");
  }

  @Test
  @Order(71)
  void theDriftReportDrawsEveryChartInABrowser() {
    Path report = root.resolve("_reports/drift/churn/drift-" + FIRST + ".html");
    BrowserCheck.assertDrawsEveryChart(report, 3);
  }

  @Test
  @Order(20)
  void theChampionsLineageNamesItsPinnedSourcesFeatureTablesTrainingSetAndCodeVersion()
      throws Exception {
    long champion = alias("champion").orElseThrow();
    CliRun run = sluice(List.of(), "lineage", "--model", "churn", "--format", "json");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode doc = lineageDocument(run);
    assertThat(doc.get("version").asLong()).isEqualTo(champion);
    assertThat(doc.get("alias").asText()).isEqualTo("champion");
    Set<String> tables = new java.util.HashSet<>();
    doc.get("tables").forEach(t -> tables.add(t.asText()));
    Map<String, JsonNode> upstream = new java.util.HashMap<>();
    doc.get("upstream").forEach(n -> upstream.put(n.get("node").asText(), n));

    // The training run, from lineage's model output edge and job_runs.
    Row trainEdge =
        table("lineage")
            .where(
                col("output_kind")
                    .equalTo("model")
                    .and(col("output_name").equalTo("churn"))
                    .and(col("output_version").equalTo(champion)))
            .first();
    String trainRun = trainEdge.getAs("run_id");
    Row trainAttempt = table("job_runs").where(col("run_id").equalTo(trainRun)).first();
    assertThat(doc.get("trained_by").get("run_id").asText()).isEqualTo(trainRun);
    assertThat(doc.get("trained_by").get("code_version").asText())
        .isEqualTo(trainAttempt.<String>getAs("code_version"));
    assertThat(doc.get("trained_by").get("conf_hash").asText())
        .isEqualTo(trainAttempt.<String>getAs("conf_hash"));

    // The training set it read: training_sets names its table, feature tables and their hashes.
    Set<String> trainInputs =
        new java.util.HashSet<>(
            table("lineage")
                .where(col("run_id").equalTo(trainRun))
                .select(expr("concat(input_name, '@', input_version)"))
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList());
    Row set =
        table("training_sets").collectAsList().stream()
            .filter(r -> trainInputs.contains(r.getAs("out_table") + "@" + r.getAs("out_version")))
            .findFirst()
            .orElseThrow();
    String setTable = set.getAs("out_table") + "@" + set.<Long>getAs("out_version");
    assertThat(tables).contains(setTable);
    assertThat(upstream.get(setTable).get("facts").get("training_set_id").asText())
        .isEqualTo(set.<String>getAs("training_set_id"));
    Map<String, String> hashes = set.getJavaMap(set.fieldIndex("definition_hashes"));
    List<String> featureTables = set.getList(set.fieldIndex("feature_tables"));
    assertThat(featureTables).isNotEmpty();
    for (String featureTable : featureTables) {
      assertThat(tables).contains(featureTable);
      String group = featureTable.substring("features_".length(), featureTable.indexOf('@'));
      assertThat(upstream.get(featureTable).get("facts").get("definition_hash").asText())
          .isEqualTo(hashes.get(group));
    }

    // The pins of the training date's snapshot as the training set was built: the lake's first
    // snapshots commit (ModelLake's template snapshotted, then built the training set; later
    // tests snapshot again). By version, not by time: a copied lake's commit files carry the time
    // of the copy. Every source table at its version and fingerprint.
    List<Row> pins =
        spark
            .read()
            .format("delta")
            .option("versionAsOf", 0L)
            .load(root.resolve("snapshots").toString())
            .where(col("run_key").equalTo("snapshot/" + set.getAs("logical_date")))
            .collectAsList();
    assertThat(pins).hasSizeGreaterThanOrEqualTo(3);
    for (Row pin : pins) {
      String node = pin.getAs("source_table") + "@" + pin.<Long>getAs("delta_version");
      assertThat(tables).contains(node);
      assertThat(upstream.get(node).get("facts").get("fingerprint").asText())
          .isEqualTo(pin.<String>getAs("fingerprint"));
    }

    // Downstream: every predictions version a score run of this version committed (Delta history).
    Set<String> scoredBy = runsWriting("predictions", champion);
    List<String> predictionVersions =
        DeltaTable.forPath(spark, root.resolve("predictions").toString())
            .history()
            .collectAsList()
            .stream()
            .filter(
                c -> {
                  String tag = c.getAs("userMetadata");
                  return tag != null && scoredBy.contains(tag.substring(tag.lastIndexOf(':') + 1));
                })
            .map(c -> "predictions@" + c.<Long>getAs("version"))
            .toList();
    assertThat(predictionVersions).isNotEmpty();
    assertThat(tables).containsAll(predictionVersions);
    Set<String> driftRuns = runsWriting("profile_metrics", champion);
    Set<String> downstreamRuns = new java.util.HashSet<>();
    doc.get("downstream").forEach(d -> downstreamRuns.add(d.get("run").get("run_id").asText()));
    assertThat(driftRuns).isNotEmpty();
    assertThat(downstreamRuns).containsAll(driftRuns).containsAll(scoredBy);
    assertThat(doc.get("deployments"))
        .hasSize(
            (int)
                table("deployments")
                    .where(
                        col("model_name")
                            .equalTo("churn")
                            .and(
                                col("to_version")
                                    .equalTo(champion)
                                    .or(col("from_version").equalTo(champion))))
                    .count());

    CliRun text = sluice(List.of(), "lineage", "--model", "churn", "--alias", "champion");
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.stdout())
        .contains("Model churn version " + champion + " (alias champion)")
        .contains("trained by train run " + trainRun)
        .contains("code " + trainAttempt.<String>getAs("code_version"))
        .contains(setTable)
        .contains(predictionVersions.get(0));
    assertThat(text.summary().get("metrics").get("tables").asInt()).isEqualTo(tables.size());
  }

  @Test
  @Order(21)
  void theLineageSqlFileNamesTheSameTableVersionsAsTheCommand() throws Exception {
    CliRun command = sluice(List.of(), "lineage", "--model", "churn", "--format", "json");
    Set<String> expected = new java.util.TreeSet<>();
    lineageDocument(command).get("tables").forEach(t -> expected.add(t.asText()));

    Path file = Path.of("..", "docs", "sql", "lineage_of_model_version.sql").toAbsolutePath();
    CliRun sql = sluice(List.of(), "sql", "-f", file.toString(), "--format", "json");
    assertThat(sql.exitCode()).as(sql.toString()).isZero();
    ObjectMapper json = new ObjectMapper();
    Set<String> found = new java.util.TreeSet<>();
    for (String line : sql.stdout().lines().toList()) {
      JsonNode row = json.readTree(line);
      if (row.has("direction") && row.get("node_kind").asText().equals("table")) {
        found.add(row.get("node_name").asText() + "@" + row.get("node_version").asLong());
      }
    }
    assertThat(found).isEqualTo(expected);
  }

  @Test
  @Order(22)
  void aVersionWithoutLineageExitsFourAndAnUnknownAliasExitsTwo() throws IOException {
    long champion = alias("champion").orElseThrow();
    // The same registry over a lake with no lineage: the version is registered, its lineage is not.
    Path empty = Files.createTempDirectory("sluice-lake-no-lineage");
    CliRun missing =
        ModelLake.execute(
            empty,
            "lineage",
            "--model",
            "churn",
            "--version",
            String.valueOf(champion),
            "-Dsluice.registry.store=" + root.resolve("_registry/registry.db"),
            "-Dsluice.registry.artifacts-root=" + root.resolve("_registry/artifacts"));
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(4);
    assertThat(missing.stderr())
        .contains("Model churn version " + champion + " has no recorded lineage")
        .contains("--alias champion");

    CliRun alias = sluice(List.of(), "lineage", "--model", "churn", "--alias", "nightly");
    assertThat(alias.exitCode()).as(alias.toString()).isEqualTo(2);
    assertThat(alias.stderr())
        .contains("Model churn has no alias 'nightly'")
        .contains("champion")
        .contains("--alias");
  }

  /** The runs whose rows of {@code version} are in {@code table} now. */
  private Set<String> runsWriting(String table, long version) {
    return new java.util.HashSet<>(
        table(table)
            .where(col("model_version").equalTo(version))
            .select("run_id")
            .distinct()
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList());
  }

  /** The JSON document {@code sluice lineage --format json} prints before its summary line. */
  private static JsonNode lineageDocument(CliRun run) throws IOException {
    String out = run.stdout().strip();
    return new ObjectMapper().readTree(out.substring(0, out.lastIndexOf('\n')));
  }

  private static RegistryServer server() {
    Path registry = root.resolve("_registry");
    return Registries.start(
        Registries.serverOptions(
            new RegistryConfig(
                "embedded",
                registry.resolve("registry.db").toString(),
                registry.resolve("artifacts").toString(),
                "127.0.0.1",
                0)));
  }

  private static Optional<Long> alias(String alias) {
    return withRegistry(r -> r.versionByAlias("churn", alias).map(v -> v.version()));
  }

  /** Calls the lake's registry (its embedded server started for the call). */
  private static <T> T withRegistry(Function<ModelRegistry, T> call) {
    try (RegistryServer server = server();
        ModelRegistry registry =
            MlflowModelRegistry.connect(
                server.uri().toString(),
                RegistryCredentials.none(),
                () -> spark.sessionState().newHadoopConf())) {
      return call.apply(registry);
    }
  }

  private static Path anyDataFile(long version) throws IOException {
    String runId = withRegistry(r -> r.getModelVersion("churn", version).runId().orElseThrow());
    try (Stream<Path> files = Files.walk(root.resolve("_registry/artifacts"))) {
      return files
          .filter(p -> p.toString().contains(runId) && p.toString().endsWith(".parquet"))
          .findFirst()
          .orElseThrow();
    }
  }

  private static String snapshotId() {
    return spark
        .read()
        .format("delta")
        .load(root.resolve("snapshots").toString())
        .first()
        .getAs("snapshot_id");
  }

  private Dataset<Row> table(String name) {
    return spark.read().format("delta").load(root.resolve(name).toString());
  }

  /** Every docs/sql query on this lake, against what the tests above did (CookbookChecks). */
  @TestFactory
  @Order(40)
  Stream<DynamicTest> theSqlCookbookFindsWhatTheReleaseCycleDid() {
    return new CookbookChecks(spark, root, alias(ModelTags.CHAMPION).orElseThrow(), FIRST, DATE)
        .tests();
  }
}
