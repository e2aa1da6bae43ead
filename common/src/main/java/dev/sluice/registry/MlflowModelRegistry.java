/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import dev.sluice.error.PipelineErrors;
import dev.sluice.error.SluiceException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.mlflow.api.proto.ModelRegistry.CreateModelVersion;
import org.mlflow.api.proto.ModelRegistry.GetModelVersion;
import org.mlflow.api.proto.ModelRegistry.GetModelVersionByAlias;
import org.mlflow.api.proto.ModelRegistry.GetRegisteredModel;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlflow.tracking.creds.DatabricksConfigHostCredsProvider;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;
import org.mlflow_project.google.gson.JsonArray;
import org.mlflow_project.google.gson.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ModelRegistry} over MLflow REST API 2.0: the MLflow Java client for what it has, its
 * {@code sendPost} and java.net.http for what it lacks (registered models and versions, aliases,
 * DELETE verbs), and artifacts either over the server's {@code mlflow-artifacts} API or directly
 * through the Hadoop FileSystem API when the run's artifact URI is a file system URI ({@code
 * s3a://...}). Works the same against Sluice's embedded server and any MLflow server (self-hosted
 * or Databricks).
 */
public final class MlflowModelRegistry implements ModelRegistry {
  static final String SERVED_SCHEME = "mlflow-artifacts:";
  private static final Logger LOG = LoggerFactory.getLogger(MlflowModelRegistry.class);
  private static final int MAX_METRICS_PER_BATCH = 1000;
  private static final int MAX_PARAMS_OR_TAGS_PER_BATCH = 100;
  private static final int VERSIONS_PAGE = 1000;

  private final String location;
  private final MlflowClient client;
  private final MlflowHttp http;
  private final Supplier<Configuration> hadoop;
  private final AutoCloseable owned;

  private MlflowModelRegistry(
      String location,
      MlflowHostCredsProvider credentials,
      Supplier<Configuration> hadoop,
      AutoCloseable owned) {
    this.location = location;
    this.client = new MlflowClient(credentials);
    this.http = new MlflowHttp(credentials);
    this.hadoop = requireNonNull(hadoop, "hadoop is null");
    this.owned = requireNonNull(owned, "owned is null");
  }

  /**
   * Connects to the tracking server at {@code trackingUri}: {@code http(s)://host:port}, or {@code
   * databricks} / {@code databricks://<profile>} (credentials from {@code ~/.databrickscfg}, as the
   * MLflow client reads them).
   *
   * @param credentials used with http(s) URIs
   * @param hadoop the Hadoop configuration for file system artifact roots (S3A settings), asked for
   *     only when a run's artifacts live on one
   */
  public static MlflowModelRegistry connect(
      String trackingUri, RegistryCredentials credentials, Supplier<Configuration> hadoop) {
    return connect(trackingUri, credentials, hadoop, () -> {});
  }

  /** As {@link #connect(String, RegistryCredentials, Supplier)}; {@code owned} closes with it. */
  public static MlflowModelRegistry connect(
      String trackingUri,
      RegistryCredentials credentials,
      Supplier<Configuration> hadoop,
      AutoCloseable owned) {
    requireNonNull(trackingUri, "trackingUri is null");
    requireNonNull(credentials, "credentials is null");
    return new MlflowModelRegistry(
        withoutUserInfo(trackingUri), hostCredentials(trackingUri, credentials), hadoop, owned);
  }

  static MlflowHostCredsProvider hostCredentials(
      String trackingUri, RegistryCredentials credentials) {
    URI uri = URI.create(trackingUri);
    if ("databricks".equals(uri.getScheme()) || "databricks".equals(trackingUri)) {
      String profile = uri.getAuthority();
      return profile == null
          ? new DatabricksConfigHostCredsProvider()
          : new DatabricksConfigHostCredsProvider(profile);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid tracking URI: '%s' (must be http(s)://host:port or databricks)",
              trackingUri));
    }
    if (credentials.token().isPresent()) {
      return new BasicMlflowHostCreds(trackingUri, credentials.token().orElseThrow());
    }
    if (credentials.hasBasic()) {
      return new BasicMlflowHostCreds(
          trackingUri, credentials.username().orElseThrow(), credentials.password().orElseThrow());
    }
    return new BasicMlflowHostCreds(trackingUri);
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public Experiment getOrCreateExperiment(String name) {
    Optional<Experiment> existing = experimentByName(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      String id = call("experiments/create " + name, () -> client.createExperiment(name));
      LOG.info("Created experiment {} ({}) in {}", name, id, location);
      return MlflowProtos.experiment(call("experiments/get " + id, () -> client.getExperiment(id)));
    } catch (SluiceException e) {
      // Another process created it between the lookup and the create.
      return experimentByName(name).orElseThrow(() -> e);
    }
  }

  private Optional<Experiment> experimentByName(String name) {
    return getIfExists("experiments/get-by-name", Map.of("experiment_name", name))
        .map(
            json ->
                MlflowProtos.experiment(
                    MlflowProtos.parse(
                            json, Service.GetExperimentByName.Response.newBuilder(), name)
                        .getExperiment()));
  }

  @Override
  public Run createRun(String experimentId, String runName, Map<String, String> tags) {
    Service.CreateRun.Builder request =
        Service.CreateRun.newBuilder()
            .setExperimentId(experimentId)
            .setRunName(runName)
            .setStartTime(System.currentTimeMillis())
            .setUserId(System.getProperty("user.name", ""));
    tags.forEach((k, v) -> request.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v)));
    Service.RunInfo info =
        call("runs/create in experiment " + experimentId, () -> client.createRun(request.build()));
    return getRun(info.getRunId());
  }

  @Override
  public Run getRun(String runId) {
    JsonObject json =
        getIfExists("runs/get", Map.of("run_id", runId))
            .orElseThrow(() -> PipelineErrors.registryNotFound("Run " + runId, location));
    return MlflowProtos.run(
        MlflowProtos.parse(json, Service.GetRun.Response.newBuilder(), runId).getRun());
  }

  @Override
  public void logParams(String runId, Map<String, String> params) {
    logBatches(
        runId,
        "params",
        params.entrySet().stream()
            .map(e -> Service.Param.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build())
            .toList(),
        MAX_PARAMS_OR_TAGS_PER_BATCH,
        batch -> client.logBatch(runId, List.of(), batch, List.of()));
  }

  @Override
  public void logMetrics(String runId, List<Metric> metrics) {
    logBatches(
        runId,
        "metrics",
        metrics.stream()
            .map(
                m ->
                    Service.Metric.newBuilder()
                        .setKey(m.key())
                        .setValue(m.value())
                        .setTimestamp(m.timestamp().toEpochMilli())
                        .setStep(m.step())
                        .build())
            .toList(),
        MAX_METRICS_PER_BATCH,
        batch -> client.logBatch(runId, batch, List.of(), List.of()));
  }

  @Override
  public void setRunTags(String runId, Map<String, String> tags) {
    logBatches(
        runId,
        "tags",
        tags.entrySet().stream()
            .map(e -> Service.RunTag.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build())
            .toList(),
        MAX_PARAMS_OR_TAGS_PER_BATCH,
        batch -> client.logBatch(runId, List.of(), List.of(), batch));
  }

  /** Sends {@code items} in batches of at most {@code size}, MLflow's log-batch limits. */
  private <T> void logBatches(
      String runId, String what, List<T> items, int size, Consumer<List<T>> log) {
    for (int i = 0; i < items.size(); i += size) {
      List<T> batch = items.subList(i, Math.min(items.size(), i + size));
      run("runs/log-batch (" + what + ") " + runId, () -> log.accept(batch));
    }
  }

  @Override
  public void endRun(String runId, RunStatus status) {
    if (!status.terminal()) {
      throw new IllegalArgumentException(
          String.format("Cannot end run %s with status %s (must be terminal)", runId, status));
    }
    run(
        "runs/update " + runId,
        () ->
            client.setTerminated(
                runId, Service.RunStatus.valueOf(status.name()), System.currentTimeMillis()));
  }

  @Override
  public void uploadArtifacts(String runId, Path localDirectory, String artifactPath) {
    Run run = getRun(runId);
    artifactStore(run.artifactUri()).upload(localDirectory, artifactPath);
    LOG.info("Uploaded {} to {}/{}", localDirectory, run.artifactUri(), artifactPath);
  }

  @Override
  public Path downloadArtifacts(String runId, String artifactPath, Path localDirectory) {
    Run run = getRun(runId);
    int files = artifactStore(run.artifactUri()).download(artifactPath, localDirectory);
    if (files == 0) {
      throw PipelineErrors.registryNotFound(
          "Artifact path '" + artifactPath + "' of run " + runId, location);
    }
    return localDirectory;
  }

  private ArtifactStore artifactStore(String artifactUri) {
    if (artifactUri.startsWith(SERVED_SCHEME)) {
      return new HttpArtifactStore(http, HttpArtifactStore.runRoot(artifactUri));
    }
    return new HadoopArtifactStore(hadoop.get(), artifactUri);
  }

  @Override
  public RegisteredModel createRegisteredModelIfAbsent(String name) {
    Optional<RegisteredModel> existing = registeredModel(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    JsonObject request = new JsonObject();
    request.addProperty("name", name);
    try {
      post("registered-models/create", request, "registered model " + name);
      LOG.info("Registered model {} in {}", name, location);
    } catch (SluiceException e) {
      // Another process registered it between the lookup and the create.
      return registeredModel(name).orElseThrow(() -> e);
    }
    return getRegisteredModel(name);
  }

  @Override
  public RegisteredModel getRegisteredModel(String name) {
    return registeredModel(name)
        .orElseThrow(() -> PipelineErrors.registryNotFound("Registered model " + name, location));
  }

  private Optional<RegisteredModel> registeredModel(String name) {
    return getIfExists("registered-models/get", Map.of("name", name))
        .map(
            json ->
                MlflowProtos.registeredModel(
                    MlflowProtos.parse(json, GetRegisteredModel.Response.newBuilder(), name)
                        .getRegisteredModel()));
  }

  @Override
  public ModelVersion createModelVersion(
      String name, String source, String runId, Map<String, String> tags) {
    JsonObject request = new JsonObject();
    request.addProperty("name", name);
    request.addProperty("source", source);
    request.addProperty("run_id", runId);
    JsonArray tagList = new JsonArray();
    tags.forEach(
        (k, v) -> {
          JsonObject tag = new JsonObject();
          tag.addProperty("key", k);
          tag.addProperty("value", v);
          tagList.add(tag);
        });
    request.add("tags", tagList);
    String response = post("model-versions/create", request, "Registered model " + name);
    ModelVersion created =
        MlflowProtos.modelVersion(
            MlflowProtos.parse(response, CreateModelVersion.Response.newBuilder(), name)
                .getModelVersion());
    LOG.info("Created version {} of {} from {}", created.version(), name, source);
    return created;
  }

  @Override
  public ModelVersion getModelVersion(String name, long version) {
    JsonObject json =
        getIfExists("model-versions/get", Map.of("name", name, "version", String.valueOf(version)))
            .orElseThrow(() -> versionNotFound(name, version));
    return MlflowProtos.modelVersion(
        MlflowProtos.parse(json, GetModelVersion.Response.newBuilder(), name).getModelVersion());
  }

  @Override
  public void setModelVersionTag(String name, long version, String key, String value) {
    JsonObject request = versionRequest(name, version);
    request.addProperty("key", key);
    request.addProperty("value", value);
    post("model-versions/set-tag", request, versionWhat(name, version));
  }

  @Override
  public void deleteModelVersionTag(String name, long version, String key) {
    JsonObject request = versionRequest(name, version);
    request.addProperty("key", key);
    MlflowHttp.Answer answer = http.delete("model-versions/delete-tag", request);
    if (answer.failure().isPresent()) {
      MlflowHttp.Failure failure = answer.failure().orElseThrow();
      // MLflow answers 404 for an absent tag as for an absent version: tell them apart.
      getModelVersion(name, version);
      if (!failure.notFound()) {
        throw translate("model-versions/delete-tag", failure, versionWhat(name, version));
      }
    }
  }

  @Override
  public void setAlias(String name, String alias, long version) {
    JsonObject request = new JsonObject();
    request.addProperty("name", name);
    request.addProperty("alias", alias);
    request.addProperty("version", String.valueOf(version));
    post("registered-models/alias", request, versionWhat(name, version));
    LOG.info("Alias {} of {} now points at version {}", alias, name, version);
  }

  @Override
  public void deleteAlias(String name, String alias) {
    JsonObject request = new JsonObject();
    request.addProperty("name", name);
    request.addProperty("alias", alias);
    MlflowHttp.Answer answer = http.delete("registered-models/alias", request);
    if (answer.failure().isPresent()) {
      getRegisteredModel(name);
      if (!answer.failure().orElseThrow().notFound()) {
        throw translate(
            "registered-models/alias (delete)", answer.failure().orElseThrow(), "Alias " + alias);
      }
    }
  }

  @Override
  public Optional<ModelVersion> versionByAlias(String name, String alias) {
    Optional<JsonObject> json =
        getIfExists("registered-models/alias", Map.of("name", name, "alias", alias));
    if (json.isEmpty()) {
      getRegisteredModel(name); // an absent model is an error, an absent alias an answer
      return Optional.empty();
    }
    return json.map(
        body ->
            MlflowProtos.modelVersion(
                MlflowProtos.parse(body, GetModelVersionByAlias.Response.newBuilder(), alias)
                    .getModelVersion()));
  }

  @Override
  public List<ModelVersion> searchVersions(String name) {
    getRegisteredModel(name);
    String filter = "name = '" + name.replace("'", "\\'") + "'";
    List<ModelVersion> versions = new ArrayList<>();
    Optional<String> token = Optional.empty();
    do {
      Optional<String> pageToken = token;
      ModelVersionsPage page =
          call(
              "model-versions/search " + name,
              () ->
                  client.searchModelVersions(
                      filter, VERSIONS_PAGE, List.of("version_number DESC"), pageToken.orElse("")));
      page.getItems().forEach(v -> versions.add(MlflowProtos.modelVersion(v)));
      token = page.getNextPageToken().filter(t -> !t.isEmpty());
    } while (token.isPresent());
    versions.sort(Comparator.comparingLong(ModelVersion::version).reversed());
    return List.copyOf(versions);
  }

  @Override
  public void deleteModelVersion(String name, long version) {
    MlflowHttp.Answer answer = http.delete("model-versions/delete", versionRequest(name, version));
    answer
        .failure()
        .ifPresent(
            f -> {
              throw translate("model-versions/delete", f, versionWhat(name, version));
            });
    LOG.info("Deleted version {} of {}", version, name);
  }

  @Override
  public void deleteRegisteredModel(String name) {
    JsonObject request = new JsonObject();
    request.addProperty("name", name);
    MlflowHttp.Answer answer = http.delete("registered-models/delete", request);
    answer
        .failure()
        .ifPresent(
            f -> {
              throw translate("registered-models/delete", f, "Registered model " + name);
            });
    LOG.info("Deleted registered model {}", name);
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      try {
        owned.close();
      } catch (Exception e) {
        throw PipelineErrors.internal("Cannot stop the registry behind " + location, e);
      }
    }
  }

  @Override
  public String toString() {
    return "MlflowModelRegistry[" + location + "]";
  }

  private Optional<JsonObject> getIfExists(String endpoint, Map<String, String> query) {
    MlflowHttp.Answer answer = http.get(endpoint, query);
    if (answer.body().isPresent()) {
      return answer.body();
    }
    MlflowHttp.Failure failure = answer.failure().orElseThrow();
    if (failure.notFound()) {
      return Optional.empty();
    }
    throw translate(endpoint, failure, endpoint);
  }

  private String post(String endpoint, JsonObject request, String what) {
    return call(endpoint, () -> client.sendPost(endpoint, request.toString()), what);
  }

  private <T> T call(String operation, Supplier<T> action) {
    return call(operation, action, operation);
  }

  private <T> T call(String operation, Supplier<T> action, String what) {
    try {
      return action.get();
    } catch (MlflowHttpException e) {
      throw translate(operation, MlflowHttp.failure(e.getStatusCode(), e.getBodyMessage()), what);
    } catch (MlflowClientException e) {
      throw PipelineErrors.registryUnreachable(location, operation, e);
    }
  }

  private void run(String operation, Runnable action) {
    call(
        operation,
        () -> {
          action.run();
          return null;
        });
  }

  private SluiceException translate(String operation, MlflowHttp.Failure failure, String what) {
    if (failure.notFound()) {
      return PipelineErrors.registryNotFound(what, location);
    }
    if ("INVALID_PARAMETER_VALUE".equals(failure.errorCode())) {
      return PipelineErrors.registryRefused(operation, location, failure.message());
    }
    return PipelineErrors.registryFailed(operation, location, failure.toString());
  }

  private SluiceException versionNotFound(String name, long version) {
    return PipelineErrors.registryNotFound(versionWhat(name, version), location);
  }

  private static String versionWhat(String name, long version) {
    return "Version " + version + " of registered model " + name;
  }

  private static JsonObject versionRequest(String name, long version) {
    JsonObject request = new JsonObject();
    request.addProperty("name", name);
    request.addProperty("version", String.valueOf(version));
    return request;
  }

  private static String withoutUserInfo(String trackingUri) {
    URI uri = URI.create(trackingUri);
    if (uri.getUserInfo() == null) {
      return trackingUri;
    }
    return trackingUri.replace(uri.getRawUserInfo() + "@", "");
  }
}
