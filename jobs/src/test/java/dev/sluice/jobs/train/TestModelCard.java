/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.ModelLake;
import dev.sluice.jobs.browser.BrowserCheck;
import dev.sluice.jobs.drift.report.ReportPage;
import dev.sluice.jobs.registry.Registries;
import dev.sluice.model.EntityBuckets;
import dev.sluice.model.ModelOutputs;
import dev.sluice.model.ModelTags;
import dev.sluice.registry.ModelRegistry;
import dev.sluice.registry.ModelVersion;
import dev.sluice.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One training of the churn model on the model lake writes its importances and its card: the card's
 * sections, charts and artifacts, and {@code sluice model-card} regenerating it.
 */
class TestModelCard extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path root;
  private static JsonNode metrics;

  @TempDir Path dir;

  @BeforeAll
  static void train() {
    root = ModelLake.withTrainingSet("card");
    CliRun run = ModelLake.train(root);
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    metrics = run.summary().get("metrics");
    // What explaining and the card add to a training, for the record of the test's cost.
    run.stderr()
        .lines()
        .filter(l -> l.contains(" done in ") || l.contains("duration_ms"))
        .forEach(System.out::println);
    System.out.println("train duration_ms " + run.summary().get("duration_ms"));
  }

  private static Path cardDir() {
    return root.resolve("_reports").resolve("model-card").resolve("churn").resolve("v1");
  }

  private static ModelRegistry registry() {
    return Registries.open(
        ModelLake.registryConfig(root), () -> spark.sessionState().newHadoopConf(), Map.of());
  }

  @Test
  void featureImportanceHoldsEveryFeatureByPermutationAndEverySlotNatively() {
    Dataset<Row> rows =
        spark.read().format("delta").load(root.resolve("feature_importance").toString());
    Dataset<Row> v1 =
        rows.where(col("model_name").equalTo("churn").and(col("model_version").equalTo(1)));
    List<Row> permutation =
        v1.where(col("method").equalTo("permutation")).orderBy("rank").collectAsList();
    assertThat(permutation).hasSize(14);
    assertThat(permutation).allSatisfy(r -> assertThat(r.<Integer>getAs("repeats")).isEqualTo(3));
    assertThat(permutation.stream().map(r -> r.<String>getAs("feature")).distinct()).hasSize(14);
    assertThat(permutation.get(0).<Integer>getAs("rank")).isEqualTo(1);
    List<Row> natives = v1.where(col("method").equalTo("native")).collectAsList();
    // gbt: impurity importances over the vector's slots sum to 1.
    assertThat(natives.stream().mapToDouble(r -> r.<Double>getAs("importance")).sum())
        .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(natives)
        .anySatisfy(
            r -> {
              assertThat(r.<String>getAs("feature")).isEqualTo("customer_profile.plan");
              assertThat(r.<String>getAs("category")).isNotNull();
            });
    assertThat(v1.select("run_id").distinct().count()).isEqualTo(1);
  }

  @Test
  void theMarkdownHasEverySectionWithTheDigestAndPins() throws IOException {
    String md = Files.readString(cardDir().resolve("card.md"));
    for (String section : CardRenderer.SECTIONS) {
      assertThat(md).contains("## " + section);
    }
    String digest = metrics.get("digest").asText();
    assertThat(md).contains("| Digest | " + digest + " |");
    try (ModelRegistry registry = registry()) {
      ModelVersion version = registry.getModelVersion("churn", 1);
      assertThat(version.tags()).containsEntry(ModelTags.MODEL_DIGEST, digest);
      String runId = metrics.get("mlflow_run_id").asText();
      JsonNode pins = JSON.readTree(registry.getRun(runId).tags().get(ModelTags.SNAPSHOT_PINS));
      assertThat(md).contains("| Pin: training_set | " + pins.get("training_set").asText() + " |");
      assertThat(md).contains("| Pin: observations | " + pins.get("observations").asText() + " |");
      pins.get("feature_tables").forEach(t -> assertThat(md).contains(t.asText()));
    }
    assertThat(md)
        .contains("Bootstrap 95% confidence intervals (200 resamples)")
        .contains("| plan | basic |")
        .contains("Sluice demo team")
        .contains("| Intended use | Rank active customers");
  }

  @Test
  void theHtmlIsSelfContainedWithEachChartsDataCount() throws IOException {
    String html = Files.readString(cardDir().resolve("card.html"));
    assertThat(
            Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(html).find())
        .as("no external src/href")
        .isFalse();
    Map<String, Integer> points = new HashMap<>();
    Matcher m =
        Pattern.compile(
                "<div class=\"chart\" id=\"([a-z-]+)\" data-chart=\"[a-z]+\" data-points=\"(\\d+)\"")
            .matcher(html);
    while (m.find()) {
      points.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    assertThat(points.keySet())
        .containsExactlyInAnyOrder(
            "chart-roc", "chart-pr", "chart-calibration", "chart-importance", "chart-profile");
    assertThat(points.get("chart-importance")).isEqualTo(14);
    assertThat(points.get("chart-profile")).isEqualTo(14);

    // ROC: one point per distinct holdout score plus the origin; PR: one per distinct score.
    long distinct = holdoutScores().distinct().count();
    assertThat(points.get("chart-roc")).isEqualTo((int) distinct + 1);
    assertThat(points.get("chart-pr")).isEqualTo((int) distinct);
    // Calibration: the non-empty bins of the run's evaluation report.
    try (ModelRegistry registry = registry()) {
      Path reports =
          registry.downloadArtifacts(metrics.get("mlflow_run_id").asText(), "reports", dir);
      JsonNode bins = JSON.readTree(reports.resolve("evaluation.json").toFile()).get("calibration");
      int nonEmpty = 0;
      for (JsonNode b : bins) {
        nonEmpty += b.get("count").asLong() > 0 ? 1 : 0;
      }
      assertThat(points.get("chart-calibration")).isEqualTo(nonEmpty);
    }
    // Each chart's option draws as many points as its container says.
    String open = "<script type=\"application/json\" id=\"" + ReportPage.DATA_ID + "\">";
    int start = html.indexOf(open) + open.length();
    JsonNode data = JSON.readTree(html.substring(start, html.indexOf("</script>", start)));
    for (JsonNode chart : data.get("charts")) {
      assertThat(chart.get("option").get("series").get(0).get("data").size())
          .as(chart.get("id").asText())
          .isEqualTo(points.get(chart.get("id").asText()));
    }
  }

  /** The version's holdout scores, recomputed from the training set and the logged model. */
  private Dataset<Row> holdoutScores() {
    try (ModelRegistry registry = registry()) {
      String runId = metrics.get("mlflow_run_id").asText();
      Path model = registry.downloadArtifacts(runId, "model", dir.resolve("m"));
      Dataset<Row> set =
          spark.read().format("delta").load(root.resolve("training_churn").toString());
      Dataset<Row> holdout =
          set.where(col("churned").isNotNull())
              .withColumn("_label", col("churned").cast("double"))
              .where(
                  EntityBuckets.below(
                      col("customer_id"), "churn-holdout", EntityBuckets.basisPoints(0.2)));
      return PipelineModel.load(model.resolve("sparkml").toString())
          .transform(holdout)
          .select(ModelOutputs.positiveProbability().as("s"));
    }
  }

  @Test
  void theHtmlDrawsEveryChartInABrowser() {
    BrowserCheck.assertDrawsEveryChart(cardDir().resolve("card.html"), 5);
  }

  @Test
  void theArtifactsOfTheVersionsRunAreTheCardAndModelCardRegeneratesIt() throws IOException {
    try (ModelRegistry registry = registry()) {
      ModelVersion version = registry.getModelVersion("churn", 1);
      assertThat(version.tags().get(ModelCards.TAG))
          .isEqualTo("runs:/" + version.runId().orElseThrow() + "/model_card");
      Path logged =
          registry.downloadArtifacts(version.runId().orElseThrow(), "model_card", dir.resolve("a"));
      for (String file : List.of("card.json", "card.md", "card.html")) {
        assertThat(Files.mismatch(logged.resolve(file), cardDir().resolve(file)))
            .as(file)
            .isEqualTo(-1);
      }
      Path out = dir.resolve("again");
      CliRun again =
          ModelLake.execute(
              root, "model-card", "--model", "churn", "--version", "1", "--out", out.toString());
      assertThat(again.exitCode()).as(again.stderr()).isZero();
      assertThat(again.stdout()).contains(out.resolve("card.html").toString());
      assertThat(again.summary().get("metrics").get("model_card").asText())
          .isEqualTo(out.resolve("card.html").toString());
      for (String file : List.of("card.md", "card.html")) {
        assertThat(Files.mismatch(logged.resolve(file), out.resolve(file))).as(file).isEqualTo(-1);
      }
    }
    CliRun champion =
        ModelLake.execute(
            root,
            "model-card",
            "--model",
            "churn",
            "--alias",
            "champion",
            "--out",
            dir.resolve("c").toString());
    assertThat(champion.exitCode()).as(champion.stderr()).isZero();
    assertThat(Files.mismatch(dir.resolve("c").resolve("card.md"), cardDir().resolve("card.md")))
        .as("the champion is version 1")
        .isEqualTo(-1);
    CliRun unknown = ModelLake.execute(root, "model-card", "--model", "churn", "--version", "99");
    assertThat(unknown.exitCode()).isEqualTo(4);
    assertThat(unknown.stderr()).contains("churn").contains("99");
    CliRun noAlias = ModelLake.execute(root, "model-card", "--model", "churn", "--alias", "gold");
    assertThat(noAlias.exitCode()).as("an unknown alias is a usage error").isEqualTo(2);
    assertThat(noAlias.stderr()).contains("no alias 'gold'").contains("its aliases: champion");
  }
}
