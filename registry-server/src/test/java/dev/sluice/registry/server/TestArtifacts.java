/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.registry.server.RestClient.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlflow_project.google.gson.JsonObject;

/** The mlflow-artifacts API, run artifact listing, path traversal and size limits. */
class TestArtifacts {
  private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";
  @TempDir Path directory;

  @Test
  void uploadedArtifactsAreListedDownloadedAndDeleted() {
    try (RegistryFixture registry = new RegistryFixture(directory)) {
      RestClient rest = registry.rest;
      String runId = registry.client.createRun().getRunId();
      String base = ARTIFACTS + "/0/" + runId + "/artifacts";
      byte[] manifest = "{\"files\": {}}".getBytes(StandardCharsets.UTF_8);
      assertThat(rest.put(base + "/model/manifest.json", manifest).body()).isEqualTo("{}");
      assertThat(rest.put(base + "/model/sparkml/metadata/part-0", new byte[] {1, 2, 3}).status())
          .isEqualTo(200);

      assertThat(rest.getBytes(base + "/model/manifest.json")).isEqualTo(manifest);
      JsonObject listing = rest.get(ARTIFACTS + "?path=0/" + runId + "/artifacts/model").json();
      assertThat(listing.getAsJsonArray("files").toString())
          .isEqualTo(
              "[{\"path\":\"manifest.json\",\"is_dir\":false,\"file_size\":13},"
                  + "{\"path\":\"sparkml\",\"is_dir\":true}]");
      JsonObject runListing =
          rest.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=model").json();
      assertThat(runListing.get("root_uri").getAsString())
          .isEqualTo("mlflow-artifacts:/0/" + runId + "/artifacts");
      assertThat(runListing.getAsJsonArray("files").toString())
          .isEqualTo(
              "[{\"path\":\"model/manifest.json\",\"is_dir\":false,\"file_size\":13},"
                  + "{\"path\":\"model/sparkml\",\"is_dir\":true}]");

      assertThat(rest.delete(base + "/model", "").body()).isEqualTo("{}");
      Response missing = rest.get(base + "/model/manifest.json");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
      assertThat(rest.get(ARTIFACTS + "?path=0/" + runId + "/artifacts").body()).isEqualTo("{}");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../escape.txt",
        "/a/../../escape.txt",
        "/%2e%2e/escape.txt",
        "/a/%2E%2E/%2e%2e/escape.txt",
        "/..%2fescape.txt",
        "/a%5c..%5c..%5cescape.txt",
        "//etc/escape.txt",
        "/%2fetc/escape.txt",
        "/a/%252e%252e/%252e%252e/escape.txt"
      })
  void traversalAttemptsAreRefused(String path) throws Exception {
    Path root = directory.resolve("registry");
    try (RegistryFixture registry = new RegistryFixture(root)) {
      Response upload = registry.rest.put(ARTIFACTS + path, new byte[] {42});
      assertThat(upload.status()).as("PUT %s answered %s", path, upload.body()).isEqualTo(400);
      assertThat(upload.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
      assertThat(upload.json().get("message").getAsString()).startsWith("Invalid artifact path: ");
      assertThat(registry.rest.get(ARTIFACTS + path).status()).isEqualTo(400);
      assertThat(registry.rest.delete(ARTIFACTS + path, "").status()).isEqualTo(400);
    }
    try (Stream<Path> files = Files.walk(directory)) {
      assertThat(files.filter(p -> p.getFileName().toString().equals("escape.txt")))
          .as("no file written anywhere")
          .isEmpty();
    }
  }

  @Test
  void listingOutsideTheRootIsRefused() {
    try (RegistryFixture registry = new RegistryFixture(directory)) {
      Response response = registry.rest.get(ARTIFACTS + "?path=../..");
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
      assertThat(response.json().get("message").getAsString())
          .isEqualTo("Invalid artifact path: '../..'");
    }
  }

  @Test
  void uploadsAndRequestsOverTheLimitsAreRefused() {
    try (RegistryFixture registry =
        new RegistryFixture(directory, options -> options.withLimits(1024, 4096))) {
      Response artifact = registry.rest.put(ARTIFACTS + "/big.bin", new byte[8192]);
      assertThat(artifact.status()).isEqualTo(413);
      assertThat(artifact.json().get("message").getAsString())
          .isEqualTo("Request body exceeds the limit of 4096 bytes");
      assertThat(registry.rest.put(ARTIFACTS + "/small.bin", new byte[4096]).status())
          .isEqualTo(200);
      String name = "x".repeat(2048);
      Response json =
          registry.rest.post("/api/2.0/mlflow/experiments/create", "{\"name\":\"" + name + "\"}");
      assertThat(json.status()).isEqualTo(413);
      assertThat(json.errorCode()).isEqualTo("BAD_REQUEST");
      Response chunked =
          registry.rest.send(
              "POST",
              "/api/2.0/mlflow/experiments/create",
              java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                  () ->
                      new java.io.ByteArrayInputStream(
                          ("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8))));
      assertThat(chunked.status()).as("a chunked body without Content-Length").isEqualTo(413);
      assertThat(chunked.errorCode()).isEqualTo("BAD_REQUEST");
    }
  }

  @Test
  void nonLocalRootIsRecordedInArtifactUrisAndNotServed() {
    try (RegistryFixture registry =
        new RegistryFixture(
            directory, options -> options.withArtifactsRoot("s3a://bucket/mlflow/"))) {
      String experimentId = registry.client.createExperiment("remote");
      assertThat(registry.client.getExperiment(experimentId).getArtifactLocation())
          .isEqualTo("s3a://bucket/mlflow/" + experimentId);
      String runId = registry.client.createRun(experimentId).getRunId();
      assertThat(registry.client.getRun(runId).getInfo().getArtifactUri())
          .isEqualTo("s3a://bucket/mlflow/" + experimentId + "/" + runId + "/artifacts");
      Response served = registry.rest.put(ARTIFACTS + "/x.txt", new byte[] {1});
      assertThat(served.status()).isEqualTo(404);
      assertThat(served.errorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
      assertThat(Files.exists(directory.resolve("artifacts"))).isFalse();
    }
  }
}
