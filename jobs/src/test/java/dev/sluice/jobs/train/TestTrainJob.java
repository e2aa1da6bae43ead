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
import dev.sluice.config.RegistryConfig;
import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.ModelLake;
import dev.sluice.jobs.TinyLake;
import dev.sluice.jobs.registry.Registries;
import dev.sluice.model.ModelArtifact;
import dev.sluice.model.ModelTags;
import dev.sluice.registry.server.RegistryServer;
import dev.sluice.testing.SparkTestBase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;

/**
 * {@code sluice train} end to end on a tiny lake and the embedded registry; what was registered is
 * read back through the real MLflow Java client against a server on the same store.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestTrainJob extends SparkTestBase {
  private static final String DATE = ModelLake.DATE;
  private static Path root;
  private static RegistryServer server;
  private static MlflowClient mlflow;

  @BeforeAll
  static void buildTrainingSet() {
    root = ModelLake.withTrainingSet("train");
  }

  private static CliRun execute(List<String> args) {
    return CliRun.execute(ModelLake.args(root, args.toArray(String[]::new)));
  }

  @AfterAll
  static void stopServer() {
    if (mlflow != null) {
      mlflow.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** A client of a server on the jobs' embedded store, started once the store exists. */
  private static MlflowClient mlflow() {
    if (mlflow == null) {
      RegistryConfig config = ModelLake.registryConfig(root);
      server = Registries.start(Registries.serverOptions(config));
      mlflow = new MlflowClient(server.uri().toString());
    }
    return mlflow;
  }

  /**
   * Gate settings every test run passes unless it overrides them; no permutation importance
   * (TestModelCard and TestImportances check it).
   */
  private static CliRun train(String... overrides) {
    List<String> args = new ArrayList<>(List.of("train", "--model", "churn", "--date", DATE));
    args.addAll(ModelLake.permissiveGate());
    args.add(ModelLake.NO_PERMUTATION);
    args.addAll(List.of(overrides));
    return execute(args);
  }

  @Test
  @Order(1)
  void firstModelBecomesChampionAndRetrainingReproducesItsDigestAndMetrics() throws IOException {
    CliRun first = train();
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    JsonNode m1 = first.summary().get("metrics");
    String digest = m1.get("digest").asText();
    assertThat(digest).startsWith("sha256:");
    assertThat(m1.get("model_version").asLong()).isEqualTo(1);
    assertThat(first.summary().get("decision").get("reason").asText()).contains("champion");

    CliRun second = train();
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    JsonNode m2 = second.summary().get("metrics");
    assertThat(m2.get("digest").asText()).isEqualTo(digest);
    assertThat(m2.get("model_version").asLong()).as("same digest, same version").isEqualTo(1);
    for (String metric : List.of("auc_roc", "auc_pr", "log_loss", "accuracy", "f1")) {
      assertThat(m2.get(metric).asDouble()).as(metric).isEqualTo(m1.get(metric).asDouble());
    }
    assertThat(m2.get("mlflow_run_id").asText()).isNotEqualTo(m1.get("mlflow_run_id").asText());

    // Through the MLflow Java client: the model, its alias, the version's tags and source.
    RegisteredModel model = mlflow().getRegisteredModel("churn");
    assertThat(model.getAliasesList())
        .anySatisfy(
            a -> {
              assertThat(a.getAlias()).isEqualTo(ModelTags.CHAMPION);
              assertThat(a.getVersion()).isEqualTo("1");
            });
    ModelVersion version = mlflow().getModelVersion("churn", "1");
    Map<String, String> versionTags =
        version.getTagsList().stream()
            .collect(Collectors.toMap(t -> t.getKey(), t -> t.getValue()));
    assertThat(versionTags)
        .containsEntry(ModelTags.MODEL_DIGEST, digest)
        .containsEntry(ModelTags.VALIDATED_DIGEST, digest)
        .containsEntry(ModelTags.GATE, "passed")
        .containsKey(ModelTags.METRIC_PREFIX + "auc_roc");
    String runId = m1.get("mlflow_run_id").asText();
    assertThat(version.getRunId()).isEqualTo(runId);
    assertThat(version.getSource()).contains(runId).endsWith("/model");

    Service.Run run = mlflow().getRun(runId);
    Map<String, String> params =
        run.getData().getParamsList().stream()
            .collect(Collectors.toMap(p -> p.getKey(), p -> p.getValue()));
    assertThat(params)
        .containsEntry("train.algorithm", "gbt")
        .containsEntry("train.params.maxIter", "20")
        .containsEntry("training-set.label", "churned")
        .containsKey("training_set.id");
    Map<String, String> tags =
        run.getData().getTagsList().stream()
            .collect(Collectors.toMap(t -> t.getKey(), t -> t.getValue()));
    assertThat(tags)
        .containsEntry(ModelTags.MODEL_DIGEST, digest)
        .containsKeys(
            ModelTags.CODE_VERSION,
            ModelTags.CONF_HASH,
            ModelTags.SNAPSHOT_PINS,
            ModelTags.FEATURE_HASHES);
    assertThat(tags.get(ModelTags.SNAPSHOT_PINS)).contains("raw_labels@").contains("features_");
    Map<String, Double> metrics =
        run.getData().getMetricsList().stream()
            .collect(Collectors.toMap(x -> x.getKey(), x -> x.getValue()));
    assertThat(metrics.get("auc_roc")).isEqualTo(m1.get("auc_roc").asDouble());
    // The MLflow REST API lists the model's files (the Java client lists through Python).
    assertThat(listArtifacts(runId, "model"))
        .contains("model/MLmodel", "model/manifest.json", "model/sparkml");

    // The uploaded artifact verifies against the registered digest.
    Path downloaded = Files.createTempDirectory("sluice-downloaded");
    try (dev.sluice.registry.ModelRegistry registry =
        dev.sluice.registry.MlflowModelRegistry.connect(
            server.uri().toString(),
            dev.sluice.registry.RegistryCredentials.none(),
            () -> spark.sessionState().newHadoopConf())) {
      registry.downloadArtifacts(runId, "model", downloaded);
    }
    assertThat(ModelArtifact.verify(downloaded, digest).digest()).isEqualTo(digest);

    // The audit row, the drift baseline and the lineage edge to the model version.
    List<Row> deployments = table("deployments").collectAsList();
    assertThat(deployments).hasSize(1);
    assertThat(deployments.get(0).<String>getAs("alias")).isEqualTo(ModelTags.CHAMPION);
    assertThat(deployments.get(0).<Long>getAs("to_version")).isEqualTo(1L);
    assertThat(deployments.get(0).<String>getAs("digest")).isEqualTo(digest);
    assertThat(
            table("model_baselines")
                .where(col("model_version").equalTo(1))
                .select("column_name")
                .distinct()
                .count())
        .as("14 features, the score and the label")
        .isEqualTo(16);
    assertThat(
            table("model_baselines")
                .where(col("model_version").equalTo(1).and(col("column_name").equalTo("_label")))
                .where(col("bin_count").gt(0))
                .select("category")
                .collectAsList()
                .stream()
                .map(r -> r.getString(0))
                .sorted()
                .toList())
        .as("a 0/1 label's baseline: its two classes")
        .containsExactly("0", "1");
    assertThat(
            table("lineage")
                .where(
                    col("output_kind")
                        .equalTo("model")
                        .and(col("output_name").equalTo("churn"))
                        .and(col("input_name").equalTo("training_churn")))
                .count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  @Order(2)
  void failingTheGateExitsFiveAndMovesNoAlias() {
    CliRun run =
        train(
            "-Dsluice.models.churn.train.params.maxIter=5",
            "-Dsluice.models.churn.gate.minimums.auc_roc=0.9999");
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(5);
    JsonNode decision = run.summary().get("decision");
    assertThat(decision.get("action").asText()).isEqualTo("reject");
    assertThat(decision.get("reason").asText()).contains("auc_roc").contains("below the minimum");
    long version = run.summary().get("metrics").get("model_version").asLong();
    assertThat(version).isEqualTo(2);
    Map<String, String> tags =
        mlflow().getModelVersion("churn", "2").getTagsList().stream()
            .collect(Collectors.toMap(t -> t.getKey(), t -> t.getValue()));
    assertThat(tags)
        .containsEntry(ModelTags.GATE, "failed")
        .doesNotContainKey(ModelTags.VALIDATED_DIGEST);
    assertThat(aliases()).containsExactly(Map.entry(ModelTags.CHAMPION, "1"));
    assertThat(table("deployments").count()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void aCandidatePassingAgainstTheChampionBecomesChallenger() {
    CliRun run = train("-Dsluice.models.churn.train.params.maxIter=10");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.summary().get("metrics").get("model_version").asLong()).isEqualTo(3);
    assertThat(aliases())
        .containsOnly(Map.entry(ModelTags.CHAMPION, "1"), Map.entry(ModelTags.CHALLENGER, "3"));
    Row audit = table("deployments").where(col("alias").equalTo(ModelTags.CHALLENGER)).first();
    assertThat(audit.<Long>getAs("to_version")).isEqualTo(3L);
    assertThat(audit.<String>getAs("action")).isEqualTo("register");
    assertThat(audit.<String>getAs("evidence")).contains("champion_on_same_holdout");
  }

  @Test
  @Order(4)
  void aTamperedChampionArtifactIsRefusedWithExitFour() throws IOException {
    Path model = championArtifactDir();
    Path metadata;
    try (Stream<Path> files = Files.walk(model.resolve("sparkml"))) {
      metadata =
          files
              .filter(p -> p.toString().contains("metadata") && Files.isRegularFile(p))
              .findFirst()
              .orElseThrow();
    }
    byte[] original = Files.readAllBytes(metadata);
    byte[] changed = original.clone();
    changed[changed.length / 2] ^= 1;
    Files.write(metadata, changed);
    try {
      CliRun run = train("-Dsluice.models.churn.train.params.maxIter=7");
      assertThat(run.exitCode()).as(run.stderr()).isEqualTo(4);
      assertThat(run.stderr()).contains("refused").contains(metadata.getFileName().toString());
      assertThat(aliases()).containsEntry(ModelTags.CHAMPION, "1");
    } finally {
      Files.write(metadata, original);
    }
  }

  @Test
  @Order(5)
  void noTrainingSetForTheDateExitsFourNamingTheCommand() {
    CliRun run = execute(List.of("train", "--model", "churn", "--date", TinyLake.START.toString()));
    assertThat(run.exitCode()).isEqualTo(4);
    assertThat(run.stderr())
        .contains("sluice training-set build --model churn --date " + TinyLake.START);
  }

  @Test
  @Order(6)
  void anUnknownHyperParameterExitsTwoNamingTheKeyAndTheChoices() {
    CliRun run = train("-Dsluice.models.churn.train.params.maxIterations=3");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .contains("sluice.models.churn.train.params.maxIterations")
        .contains("maxIter");
  }

  private static List<String> listArtifacts(String runId, String path) throws IOException {
    mlflow();
    URI uri =
        server.uri().resolve("/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=" + path);
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      List<String> paths = new ArrayList<>();
      new ObjectMapper()
          .readTree(response.body())
          .get("files")
          .forEach(f -> paths.add(f.get("path").asText()));
      return paths;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static Map<String, String> aliases() {
    return mlflow().getRegisteredModel("churn").getAliasesList().stream()
        .collect(Collectors.toMap(a -> a.getAlias(), a -> a.getVersion()));
  }

  private static Path championArtifactDir() throws IOException {
    String runId = mlflow().getModelVersion("churn", "1").getRunId();
    try (Stream<Path> dirs = Files.walk(root.resolve("_registry/artifacts"))) {
      return dirs.filter(
              p -> p.getFileName().toString().equals("model") && p.toString().contains(runId))
          .findFirst()
          .orElseThrow();
    }
  }

  private org.apache.spark.sql.Dataset<Row> table(String name) {
    return spark.read().format("delta").load(root.resolve(name).toString());
  }
}
