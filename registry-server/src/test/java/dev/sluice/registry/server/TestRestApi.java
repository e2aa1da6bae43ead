/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.registry.server.RestClient.Response;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow_project.google.gson.JsonArray;
import org.mlflow_project.google.gson.JsonElement;
import org.mlflow_project.google.gson.JsonObject;

/** Raw HTTP for what the Java client lacks: aliases, deletes, PATCH updates and error codes. */
class TestRestApi {
  private static final String API = "/api/2.0/mlflow/";
  @TempDir Path directory;
  private RegistryFixture registry;
  private RestClient rest;

  @BeforeEach
  void start() {
    registry = new RegistryFixture(directory);
    rest = registry.rest;
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void healthAnswersOk() {
    Response response = rest.get("/health");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("OK");
  }

  @Test
  void aliasesAreSetReadMovedAndDeleted() {
    createModelWithVersions("m", 2);
    assertThat(
            post(
                    "registered-models/alias",
                    "{\"name\":\"m\",\"alias\":\"champion\",\"version\":\"1\"}")
                .body())
        .isEqualTo("{}");
    post("registered-models/alias", "{\"name\":\"m\",\"alias\":\"challenger\",\"version\":\"2\"}");

    JsonObject model =
        ok(rest.get(API + "registered-models/get?name=m")).getAsJsonObject("registered_model");
    assertThat(model.getAsJsonArray("aliases").toString())
        .isEqualTo(
            "[{\"alias\":\"challenger\",\"version\":\"2\"},{\"alias\":\"champion\",\"version\":\"1\"}]");
    JsonObject v1 =
        ok(rest.get(API + "model-versions/get?name=m&version=1")).getAsJsonObject("model_version");
    assertThat(v1.getAsJsonArray("aliases").toString()).isEqualTo("[\"champion\"]");
    assertThat(
            ok(rest.get(API + "registered-models/alias?name=m&alias=challenger"))
                .getAsJsonObject("model_version")
                .get("version")
                .getAsString())
        .isEqualTo("2");

    post("registered-models/alias", "{\"name\":\"m\",\"alias\":\"champion\",\"version\":\"2\"}");
    assertThat(
            ok(rest.get(API + "model-versions/get?name=m&version=2"))
                .getAsJsonObject("model_version")
                .getAsJsonArray("aliases")
                .toString())
        .isEqualTo("[\"challenger\",\"champion\"]");

    Response deleted =
        rest.delete(API + "registered-models/alias", "{\"name\":\"m\",\"alias\":\"challenger\"}");
    assertThat(deleted.status()).isEqualTo(200);
    Response missing = rest.get(API + "registered-models/alias?name=m&alias=challenger");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
  }

  @Test
  void aliasDeleteAcceptsQueryParameters() {
    createModelWithVersions("m", 1);
    post("registered-models/alias", "{\"name\":\"m\",\"alias\":\"champion\",\"version\":\"1\"}");
    assertThat(rest.delete(API + "registered-models/alias?name=m&alias=champion", "").status())
        .isEqualTo(200);
    assertThat(rest.get(API + "registered-models/alias?name=m&alias=champion").status())
        .isEqualTo(404);
  }

  @Test
  void reservedAliasesAreRefused() {
    createModelWithVersions("m", 1);
    Response response =
        rest.post(
            API + "registered-models/alias",
            "{\"name\":\"m\",\"alias\":\"latest\",\"version\":\"1\"}");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
    assertThat(response.json().get("message").getAsString())
        .isEqualTo("'latest' alias name (case insensitive) is reserved.");
  }

  @Test
  void modelsAndVersionsAreUpdatedRenamedTaggedAndDeleted() {
    createModelWithVersions("m", 2);
    ok(
        rest.patch(
            API + "registered-models/update", "{\"name\":\"m\",\"description\":\"churn model\"}"));
    ok(
        rest.patch(
            API + "model-versions/update",
            "{\"name\":\"m\",\"version\":\"2\",\"description\":\"v2\"}"));
    post("registered-models/set-tag", "{\"name\":\"m\",\"key\":\"owner\",\"value\":\"ana\"}");
    post(
        "model-versions/set-tag",
        "{\"name\":\"m\",\"version\":\"2\",\"key\":\"k\",\"value\":\"v\"}");
    ok(
        rest.delete(
            API + "model-versions/delete-tag", "{\"name\":\"m\",\"version\":\"2\",\"key\":\"k\"}"));

    JsonObject renamed =
        post("registered-models/rename", "{\"name\":\"m\",\"new_name\":\"m2\"}")
            .json()
            .getAsJsonObject("registered_model");
    assertThat(renamed.get("name").getAsString()).isEqualTo("m2");
    assertThat(renamed.get("description").getAsString()).isEqualTo("churn model");
    assertThat(renamed.getAsJsonArray("tags").toString())
        .isEqualTo("[{\"key\":\"owner\",\"value\":\"ana\"}]");
    JsonObject v2 =
        ok(rest.get(API + "model-versions/get?name=m2&version=2")).getAsJsonObject("model_version");
    assertThat(v2.get("description").getAsString()).isEqualTo("v2");
    assertThat(v2.has("tags")).as("the deleted tag is gone").isFalse();
    assertThat(rest.get(API + "registered-models/get?name=m").status()).isEqualTo(404);

    ok(rest.delete(API + "model-versions/delete", "{\"name\":\"m2\",\"version\":\"1\"}"));
    assertThat(rest.get(API + "model-versions/get?name=m2&version=1").errorCode())
        .isEqualTo("RESOURCE_DOES_NOT_EXIST");
    JsonObject v3 =
        post("model-versions/create", "{\"name\":\"m2\",\"source\":\"s3a://b/3\"}").json();
    assertThat(v3.getAsJsonObject("model_version").get("version").getAsString())
        .as("version numbers are never reused")
        .isEqualTo("3");

    ok(rest.delete(API + "registered-models/delete", "{\"name\":\"m2\"}"));
    Response gone = rest.get(API + "registered-models/get?name=m2");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
  }

  @Test
  void searchRegisteredModelsAndLatestVersionsAnswerGetAndPost() {
    createModelWithVersions("churn-a", 1);
    createModelWithVersions("churn-b", 2);
    createModelWithVersions("fraud", 1);
    JsonArray models =
        ok(rest.get(API + "registered-models/search?filter=name+LIKE+%27churn%25%27&max_results=1"))
            .getAsJsonArray("registered_models");
    assertThat(models.size()).isEqualTo(1);
    assertThat(models.get(0).getAsJsonObject().get("name").getAsString()).isEqualTo("churn-a");
    JsonObject posted =
        post("registered-models/search", "{\"filter\":\"name ILIKE 'CHURN%'\"}").json();
    assertThat(posted.getAsJsonArray("registered_models").size()).isEqualTo(2);
    assertThat(posted.has("next_page_token")).isFalse();

    JsonArray latestGet =
        ok(rest.get(API + "registered-models/get-latest-versions?name=churn-b&stages=None"))
            .getAsJsonArray("model_versions");
    JsonArray latestPost =
        post(
                "registered-models/get-latest-versions",
                "{\"name\":\"churn-b\",\"stages\":[\"None\"]}")
            .json()
            .getAsJsonArray("model_versions");
    assertThat(latestGet.size()).isEqualTo(1);
    assertThat(latestGet).isEqualTo(latestPost);
    assertThat(latestGet.get(0).getAsJsonObject().get("version").getAsString()).isEqualTo("2");
  }

  @Test
  void unknownRoutesAnswerEndpointNotFound() {
    for (Response response :
        new Response[] {
          rest.get(API + "no/such/thing"), rest.get("/nothing"), rest.get(API + "runs/create")
        }) {
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.errorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
    }
  }

  @Test
  void malformedAndIncompleteRequestsAnswerMlflowErrors() {
    Response malformed = rest.post(API + "experiments/create", "{not json");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.errorCode()).isEqualTo("BAD_REQUEST");
    Response missing = rest.post(API + "experiments/create", "{}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
    assertThat(missing.json().get("message").getAsString())
        .isEqualTo("Missing value for required parameter 'name'.");
    Response badVersion = rest.get(API + "model-versions/get?name=m&version=abc");
    assertThat(badVersion.status()).isEqualTo(400);
    assertThat(badVersion.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
  }

  @Test
  void int64AcceptedAsStringOrNumberAndWrittenAsNumber() {
    String runId =
        post("runs/create", "{\"experiment_id\":\"0\",\"start_time\":\"1700000000000\"}")
            .json()
            .getAsJsonObject("run")
            .getAsJsonObject("info")
            .get("run_id")
            .getAsString();
    String point =
        "{\"run_id\":\""
            + runId
            + "\",\"key\":\"k\",\"value\":1.5,\"timestamp\":\"17\",\"step\":3}";
    assertThat(post("runs/log-metric", point).body()).isEqualTo("{}");
    assertThat(post("runs/log-metric", point).body()).as("resent identical point").isEqualTo("{}");
    JsonObject history =
        ok(rest.get(API + "metrics/get-history?run_id=" + runId + "&metric_key=k"));
    assertThat(history.getAsJsonArray("metrics").toString())
        .isEqualTo("[{\"key\":\"k\",\"value\":1.5,\"timestamp\":17,\"step\":3}]");
    assertThat(history.has("next_page_token")).isFalse();
    JsonObject info =
        ok(rest.get(API + "runs/get?run_uuid=" + runId))
            .getAsJsonObject("run")
            .getAsJsonObject("info");
    assertThat(info.get("start_time").getAsJsonPrimitive().isNumber()).isTrue();
    assertThat(info.get("run_uuid").getAsString()).isEqualTo(runId);
  }

  @Test
  void runNamesComeFromTheArgumentOrTheTagAndMustAgree() {
    JsonObject named =
        post("runs/create", "{\"run_name\":\"nightly\"}").json().getAsJsonObject("run");
    assertThat(named.getAsJsonObject("info").get("run_name").getAsString()).isEqualTo("nightly");
    assertThat(named.getAsJsonObject("data").getAsJsonArray("tags").toString())
        .isEqualTo("[{\"key\":\"mlflow.runName\",\"value\":\"nightly\"}]");
    JsonObject tagged =
        post("runs/create", "{\"tags\":[{\"key\":\"mlflow.runName\",\"value\":\"t\"}]}")
            .json()
            .getAsJsonObject("run");
    assertThat(tagged.getAsJsonObject("info").get("run_name").getAsString()).isEqualTo("t");
    JsonObject unnamed = post("runs/create", "{}").json().getAsJsonObject("run");
    assertThat(unnamed.getAsJsonObject("info").get("run_name").getAsString())
        .as("a generated adjective-animal-number name")
        .matches("[a-z]+-[a-z]+-\\d+");
    Response conflict =
        rest.post(
            API + "runs/create",
            "{\"run_name\":\"a\",\"tags\":[{\"key\":\"mlflow.runName\",\"value\":\"b\"}]}");
    assertThat(conflict.status()).isEqualTo(400);
    assertThat(conflict.json().get("message").getAsString())
        .isEqualTo(
            "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different"
                + " values (run_name='a', mlflow.runName='b').");
  }

  @Test
  void loggedModelsAppendToTheRunModelHistoryTag() {
    String runId =
        post("runs/create", "{\"experiment_id\":\"0\"}")
            .json()
            .getAsJsonObject("run")
            .getAsJsonObject("info")
            .get("run_id")
            .getAsString();
    String model = "{\"artifact_path\":\"model\",\"flavors\":{\"spark\":{}}}";
    JsonObject request = new JsonObject();
    request.addProperty("run_id", runId);
    request.addProperty("model_json", model);
    assertThat(post("runs/log-model", request.toString()).body()).isEqualTo("{}");
    post("runs/log-model", request.toString());
    JsonArray tags =
        ok(rest.get(API + "runs/get?run_id=" + runId))
            .getAsJsonObject("run")
            .getAsJsonObject("data")
            .getAsJsonArray("tags");
    String history = null;
    for (JsonElement tag : tags) {
      if (tag.getAsJsonObject().get("key").getAsString().equals("mlflow.log-model.history")) {
        history = tag.getAsJsonObject().get("value").getAsString();
      }
    }
    assertThat(history).isEqualTo("[" + model + "," + model + "]");

    request.addProperty("model_json", "{\"flavors\":{}}");
    Response invalid = rest.post(API + "runs/log-model", request.toString());
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().get("message").getAsString())
        .isEqualTo("Model json is missing mandatory field 'artifact_path'");
  }

  @Test
  void experimentSearchByGetPagesWithOpaqueTokens() {
    post("experiments/create", "{\"name\":\"e1\"}");
    post("experiments/create", "{\"name\":\"e2\"}");
    JsonObject first = ok(rest.get(API + "experiments/search?max_results=2&order_by=name+ASC"));
    assertThat(first.getAsJsonArray("experiments").size()).isEqualTo(2);
    String token = first.get("next_page_token").getAsString();
    JsonObject second =
        ok(
            rest.get(
                API + "experiments/search?max_results=2&order_by=name+ASC&page_token=" + token));
    assertThat(
            second.getAsJsonArray("experiments").get(0).getAsJsonObject().get("name").getAsString())
        .isEqualTo("e2");
    Response bad = rest.get(API + "experiments/search?page_token=garbage");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
  }

  private void createModelWithVersions(String name, int versions) {
    post("registered-models/create", "{\"name\":\"" + name + "\"}");
    for (int i = 0; i < versions; i++) {
      post(
          "model-versions/create",
          "{\"name\":\"" + name + "\",\"source\":\"s3a://b/" + name + "/" + i + "\"}");
    }
  }

  private Response post(String endpoint, String json) {
    Response response = rest.post(API + endpoint, json);
    ok(response);
    return response;
  }

  private static JsonObject ok(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }
}
