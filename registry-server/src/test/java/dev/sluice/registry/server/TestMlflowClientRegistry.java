/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;

/**
 * Registered models and model versions through the MLflow Java client. The client cannot create
 * them, so creation goes through its {@code sendPost}, as Sluice's registry client does.
 */
class TestMlflowClientRegistry {
  @TempDir Path directory;
  private RegistryFixture registry;
  private MlflowClient client;

  @BeforeEach
  void start() {
    registry = new RegistryFixture(directory);
    client = registry.client;
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void createdVersionsReadBackThroughTheClient() {
    String runId = client.createRun().getRunId();
    createModel("churn");
    ModelVersion v1 = createVersion("churn", "runs:/" + runId + "/model", runId);
    assertThat(v1.getVersion()).isEqualTo("1");
    assertThat(v1.getStatus()).isEqualTo(ModelVersionStatus.READY);
    assertThat(v1.getCurrentStage()).isEqualTo("None");

    ModelVersion read = client.getModelVersion("churn", "1");
    assertThat(read.getSource()).isEqualTo("runs:/" + runId + "/model");
    assertThat(read.getRunId()).isEqualTo(runId);
    assertThat(read.getTagsList())
        .extracting(t -> t.getKey() + "=" + t.getValue())
        .containsExactly("sluice.validated_digest=abc");

    RegisteredModel model = client.getRegisteredModel("churn");
    assertThat(model.getName()).isEqualTo("churn");
    assertThat(model.getLatestVersionsList())
        .extracting(ModelVersion::getVersion)
        .containsExactly("1");
  }

  @Test
  void downloadUriResolvesRunSourcesToTheRunArtifactUri() {
    String runId = client.createRun().getRunId();
    createModel("m");
    createVersion("m", "runs:/" + runId + "/model", runId);
    createVersion("m", "s3a://bucket/models/m/2", "");
    String artifactUri = client.getRun(runId).getInfo().getArtifactUri();
    assertThat(client.getModelVersionDownloadUri("m", "1")).isEqualTo(artifactUri + "/model");
    assertThat(client.getModelVersionDownloadUri("m", "2")).isEqualTo("s3a://bucket/models/m/2");
  }

  @Test
  void latestVersionsFollowStageTransitions() {
    createModel("m");
    for (int i = 0; i < 4; i++) {
      createVersion("m", "s3a://bucket/m/" + i, "");
    }
    transition("m", "1", "Production", false);
    transition("m", "2", "Staging", false);
    transition("m", "3", "Production", true);

    assertThat(client.getModelVersion("m", "1").getCurrentStage())
        .as("archive_existing_versions moved the old Production version")
        .isEqualTo("Archived");
    assertThat(client.getLatestVersions("m", List.of("Production")))
        .extracting(ModelVersion::getVersion)
        .containsExactly("3");
    assertThat(client.getLatestVersions("m"))
        .extracting(v -> v.getCurrentStage() + ":" + v.getVersion())
        .containsExactlyInAnyOrder("Archived:1", "Staging:2", "Production:3", "None:4");
  }

  @Test
  void searchModelVersionsFiltersAndPages() {
    createModel("a");
    createModel("b");
    for (int i = 0; i < 5; i++) {
      createVersion("a", "s3a://bucket/a/" + i, "");
    }
    createVersion("b", "s3a://bucket/b/0", "");
    List<String> seen = new ArrayList<>();
    ModelVersionsPage page =
        client.searchModelVersions("name = 'a'", 2, List.of("version_number ASC"));
    int pages = 1;
    page.getItems().forEach(v -> seen.add(v.getName() + "/" + v.getVersion()));
    while (page.hasNextPage()) {
      page = (ModelVersionsPage) page.getNextPage();
      page.getItems().forEach(v -> seen.add(v.getName() + "/" + v.getVersion()));
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly("a/1", "a/2", "a/3", "a/4", "a/5");
    assertThat(client.searchModelVersions().getItems()).hasSize(6);
  }

  @Test
  void unknownModelVersionAnswersResourceDoesNotExist() {
    createModel("m");
    assertThatThrownBy(() -> client.getModelVersion("m", "7"))
        .isInstanceOf(MlflowHttpException.class)
        .hasMessageContaining("RESOURCE_DOES_NOT_EXIST")
        .hasMessageContaining("Model Version (name=m, version=7) not found");
    assertThatThrownBy(() -> client.getRegisteredModel("nope"))
        .isInstanceOf(MlflowHttpException.class)
        .hasMessageContaining("RESOURCE_DOES_NOT_EXIST")
        .hasMessageContaining("Registered Model with name=nope not found");
  }

  @Test
  void creatingAnExistingModelAnswersResourceAlreadyExists() {
    createModel("m");
    assertThatThrownBy(() -> createModel("m"))
        .isInstanceOf(MlflowHttpException.class)
        .hasMessageContaining("RESOURCE_ALREADY_EXISTS")
        .hasMessageContaining("Registered Model (name=m) already exists.");
  }

  private void createModel(String name) {
    client.sendPost("registered-models/create", "{\"name\": \"" + name + "\"}");
  }

  private ModelVersion createVersion(String name, String source, String runId) {
    String body =
        "{\"name\": \""
            + name
            + "\", \"source\": \""
            + source
            + "\", \"run_id\": \""
            + runId
            + "\", \"tags\": [{\"key\": \"sluice.validated_digest\", \"value\": \"abc\"}]}";
    String response = client.sendPost("model-versions/create", body);
    ModelVersion.Builder version = ModelVersion.newBuilder();
    org.mlflow.api.proto.ModelRegistry.CreateModelVersion.Response.Builder parsed =
        org.mlflow.api.proto.ModelRegistry.CreateModelVersion.Response.newBuilder();
    dev.sluice.registry.server.api.ProtoJson.parse(response, parsed);
    return version.mergeFrom(parsed.getModelVersion()).build();
  }

  private void transition(String name, String version, String stage, boolean archive) {
    client.sendPost(
        "model-versions/transition-stage",
        String.format(
            "{\"name\": \"%s\", \"version\": \"%s\", \"stage\": \"%s\","
                + " \"archive_existing_versions\": %s}",
            name, version, stage, archive));
  }
}
