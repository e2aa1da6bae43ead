/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.error.ErrorCode;
import dev.sluice.error.SluiceException;
import dev.sluice.registry.server.RegistryAuth;
import dev.sluice.registry.server.RegistryServer;
import dev.sluice.registry.server.RegistryServerOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.mlflow_project.google.gson.JsonObject;
import org.mlflow_project.google.gson.JsonParser;

/**
 * {@link MlflowModelRegistry} against Sluice's embedded server: the shared contract, what MLflow
 * returns on the wire for what it creates, file system artifact roots and credentials.
 */
class TestMlflowModelRegistry extends ModelRegistryContract {
  private RegistryServer server;

  @Override
  ModelRegistry newRegistry(Path directory) {
    server = RegistryServer.start(RegistryServerOptions.local(directory));
    return MlflowModelRegistry.connect(
        server.uri().toString(), RegistryCredentials.none(), Configuration::new, server);
  }

  @Test
  void aModelVersionReadsBackThroughTheRestApiAsMlflowReturnsIt() throws Exception {
    Run run = newRun(Map.of());
    registry.createRegisteredModelIfAbsent("churn");
    registry.createModelVersion(
        "churn",
        "runs:/" + run.runId() + "/model",
        run.runId(),
        Map.of("sluice.validated_digest", "sha256:ab"));
    registry.setModelVersionTag("churn", 1, "owner", "ml");
    registry.setAlias("churn", "champion", 1);

    JsonObject version =
        getJson("/api/2.0/mlflow/model-versions/get?name=churn&version=1")
            .getAsJsonObject("model_version");
    JsonObject model =
        getJson("/api/2.0/mlflow/registered-models/get?name=churn")
            .getAsJsonObject("registered_model");

    assertThat(version.get("name").getAsString()).isEqualTo("churn");
    assertThat(version.get("version").getAsString())
        .as("MLflow versions are strings")
        .isEqualTo("1");
    assertThat(version.get("source").getAsString()).isEqualTo("runs:/" + run.runId() + "/model");
    assertThat(version.get("run_id").getAsString()).isEqualTo(run.runId());
    assertThat(version.get("status").getAsString()).isEqualTo("READY");
    assertThat(version.get("tags"))
        .as("tags: a list of {key, value}")
        .isEqualTo(
            JsonParser.parseString(
                "[{\"key\":\"owner\",\"value\":\"ml\"},"
                    + "{\"key\":\"sluice.validated_digest\",\"value\":\"sha256:ab\"}]"));
    assertThat(version.get("aliases"))
        .as("ModelVersion.aliases: a list of strings")
        .isEqualTo(JsonParser.parseString("[\"champion\"]"));
    assertThat(model.get("aliases"))
        .as("RegisteredModel.aliases: a list of {alias, version}")
        .isEqualTo(JsonParser.parseString("[{\"alias\":\"champion\",\"version\":\"1\"}]"));
  }

  @Test
  void artifactsUnderAFileSystemRootAreWrittenThroughHadoop() throws Exception {
    Path root = temp.resolve("remote-artifacts");
    String rootUri = LocalAsRemoteFileSystem.SCHEME + "://" + root.toAbsolutePath();
    Configuration hadoop = new Configuration();
    hadoop.set(
        "fs." + LocalAsRemoteFileSystem.SCHEME + ".impl", LocalAsRemoteFileSystem.class.getName());
    hadoop.setBoolean("fs." + LocalAsRemoteFileSystem.SCHEME + ".impl.disable.cache", true);
    try (RegistryServer remoteRootServer =
            RegistryServer.start(
                RegistryServerOptions.local(temp.resolve("s3-style")).withArtifactsRoot(rootUri));
        ModelRegistry client =
            MlflowModelRegistry.connect(
                remoteRootServer.uri().toString(), RegistryCredentials.none(), () -> hadoop)) {
      Experiment experiment = client.getOrCreateExperiment("s3-style");
      Run run = client.createRun(experiment.experimentId(), "train", Map.of());
      Path model = writeModelDirectory(temp.resolve("model"));

      client.uploadArtifacts(run.runId(), model, "model");
      Path back = client.downloadArtifacts(run.runId(), "model", temp.resolve("back"));

      assertThat(run.artifactUri())
          .isEqualTo(rootUri + "/" + experiment.experimentId() + "/" + run.runId() + "/artifacts");
      Path written =
          root.resolve(experiment.experimentId()).resolve(run.runId()).resolve("artifacts/model");
      assertSameTree(model, written);
      assertSameTree(model, back);
    }
  }

  @Test
  void bearerAndBasicCredentialsComeFromTheEnvironment() throws Exception {
    RegistryAuth auth =
        new RegistryAuth(
            java.util.Optional.of("t0ken-s3cret"),
            java.util.Optional.of("alice"),
            java.util.Optional.of("pa55word"));
    try (RegistryServer secured =
        RegistryServer.start(RegistryServerOptions.local(temp.resolve("secured")).withAuth(auth))) {
      for (Map<String, String> env :
          java.util.List.of(
              Map.of(RegistryCredentials.TOKEN_ENV, "t0ken-s3cret"),
              Map.of(
                  RegistryCredentials.USERNAME_ENV, "alice",
                  RegistryCredentials.PASSWORD_ENV, "pa55word"))) {
        try (ModelRegistry client =
            MlflowModelRegistry.connect(
                secured.uri().toString(),
                RegistryCredentials.fromEnvironment(env),
                Configuration::new)) {
          Experiment experiment = client.getOrCreateExperiment("secured");
          Run run = client.createRun(experiment.experimentId(), "r", Map.of());
          client.uploadArtifacts(
              run.runId(), writeModelDirectory(temp.resolve("m" + env.size())), "m");
          client.createRegisteredModelIfAbsent("secured");
          assertThat(client.downloadArtifacts(run.runId(), "m", temp.resolve("d" + env.size())))
              .isDirectory();
        }
      }
      try (ModelRegistry wrong =
          MlflowModelRegistry.connect(
              secured.uri().toString(),
              RegistryCredentials.fromEnvironment(
                  Map.of(RegistryCredentials.TOKEN_ENV, "wrong-t0ken")),
              Configuration::new)) {
        assertThatThrownBy(() -> wrong.getOrCreateExperiment("secured"))
            .isInstanceOf(SluiceException.class)
            .hasMessageContaining("UNAUTHENTICATED")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-t0ken"));
      }
    }
  }

  @Test
  void anUnreachableServerNamesTheUriAndTheFix() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (ModelRegistry client =
        MlflowModelRegistry.connect(
            "http://127.0.0.1:" + port, RegistryCredentials.none(), Configuration::new)) {
      assertThatThrownBy(() -> client.getRegisteredModel("churn"))
          .isInstanceOf(SluiceException.class)
          .hasMessageStartingWith("Cannot reach the model registry at http://127.0.0.1:" + port)
          .hasMessageContaining("sluice.registry.tracking-uri")
          .satisfies(e -> assertThat(((SluiceException) e).code()).isEqualTo(ErrorCode.INTERNAL));
    }
  }

  @Test
  void credentialsNeverShowInToString() {
    RegistryCredentials credentials =
        RegistryCredentials.fromEnvironment(
            Map.of(
                RegistryCredentials.TOKEN_ENV, "t0ken-s3cret",
                RegistryCredentials.USERNAME_ENV, "alice",
                RegistryCredentials.PASSWORD_ENV, "pa55word"));

    assertThat(credentials.toString())
        .isEqualTo("RegistryCredentials[token=***, basic=alice:***]")
        .doesNotContain("t0ken-s3cret", "pa55word");
  }

  private JsonObject getJson(String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.uri() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }
}
