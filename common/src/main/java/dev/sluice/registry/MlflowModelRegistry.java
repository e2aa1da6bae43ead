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
import org.mlflow.tracking.ModelVersionsPage;
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

  private final MlflowCalls calls;
  private final MlflowClient client;
  private final Supplier<Configuration> hadoop;
  private final AutoCloseable owned;

  private MlflowModelRegistry(
      String location,
      MlflowHostCredsProvider credentials,
      Supplier<Configuration> hadoop,
      AutoCloseable owned) {
    this.client = new MlflowClient(credentials);
    this.calls = new MlflowCalls(location, client, new MlflowHttp(credentials));
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
        withoutUserInfo(trackingUri), credentials.hostCredentials(trackingUri), hadoop, owned);
  }

  @Override
  public String location() {
    return calls.location;
  }

  @Override
  public Experiment getOrCreateExperiment(String name) {
    Optional<Experiment> existing = experimentByName(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      String id = calls.call("experiments/create " + name, () -> client.createExperiment(name));
      LOG.info("Created experiment {} ({}) in {}", name, id, calls.location);
      return MlflowProtos.experiment(
          calls.call("experiments/get " + id, () -> client.getExperiment(id)));
    } catch (SluiceException e) {
      // Another process created it between the lookup and the create.
      return experimentByName(name).orElseThrow(() -> e);
    }
  }

  private Optional<Experiment> experimentByName(String name) {
    return calls
        .getIfExists("experiments/get-by-name", Map.of("experiment_name", name))
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
        calls.call(
            "runs/create in experiment " + experimentId, () -> client.createRun(request.build()));
    return getRun(info.getRunId());
  }

  @Override
  public Run getRun(String runId) {
    JsonObject json =
        calls
            .getIfExists("runs/get", Map.of("run_id", runId))
            .orElseThrow(() -> calls.notFound("Run " + runId));
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
      calls.run("runs/log-batch (" + what + ") " + runId, () -> log.accept(batch));
    }
  }

  @Override
  public void endRun(String runId, RunStatus status) {
    if (!status.terminal()) {
      throw new IllegalArgumentException(
          String.format("Cannot end run %s with status %s (must be terminal)", runId, status));
    }
    calls.run(
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
      throw calls.notFound("Artifact path '" + artifactPath + "' of run " + runId);
    }
    return localDirectory;
  }

  private ArtifactStore artifactStore(String artifactUri) {
    if (artifactUri.startsWith(SERVED_SCHEME)) {
      return new HttpArtifactStore(calls.http, HttpArtifactStore.runRoot(artifactUri));
    }
    return new HadoopArtifactStore(hadoop.get(), artifactUri);
  }

  @Override
  public RegisteredModel createRegisteredModelIfAbsent(String name) {
    Optional<RegisteredModel> existing = registeredModel(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      calls.post(
          "registered-models/create", MlflowCalls.json("name", name), "Registered model " + name);
      LOG.info("Registered model {} in {}", name, calls.location);
    } catch (SluiceException e) {
      // Another process registered it between the lookup and the create.
      return registeredModel(name).orElseThrow(() -> e);
    }
    return getRegisteredModel(name);
  }

  @Override
  public RegisteredModel getRegisteredModel(String name) {
    return registeredModel(name).orElseThrow(() -> calls.notFound("Registered model " + name));
  }

  private Optional<RegisteredModel> registeredModel(String name) {
    return calls
        .getIfExists("registered-models/get", Map.of("name", name))
        .map(
            json ->
                MlflowProtos.registeredModel(
                    MlflowProtos.parse(json, GetRegisteredModel.Response.newBuilder(), name)
                        .getRegisteredModel()));
  }

  @Override
  public ModelVersion createModelVersion(
      String name, String source, String runId, Map<String, String> tags) {
    JsonObject request = MlflowCalls.json("name", name, "source", source, "run_id", runId);
    JsonArray tagList = new JsonArray();
    tags.forEach((k, v) -> tagList.add(MlflowCalls.json("key", k, "value", v)));
    request.add("tags", tagList);
    String response = calls.post("model-versions/create", request, "Registered model " + name);
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
        calls
            .getIfExists(
                "model-versions/get", Map.of("name", name, "version", String.valueOf(version)))
            .orElseThrow(() -> calls.notFound(versionWhat(name, version)));
    return MlflowProtos.modelVersion(
        MlflowProtos.parse(json, GetModelVersion.Response.newBuilder(), name).getModelVersion());
  }

  @Override
  public void setModelVersionTag(String name, long version, String key, String value) {
    JsonObject request = versionRequest(name, version);
    request.addProperty("key", key);
    request.addProperty("value", value);
    calls.post("model-versions/set-tag", request, versionWhat(name, version));
  }

  @Override
  public void deleteModelVersionTag(String name, long version, String key) {
    JsonObject request = versionRequest(name, version);
    request.addProperty("key", key);
    Optional<MlflowHttp.Failure> failure = calls.delete("model-versions/delete-tag", request);
    if (failure.isPresent()) {
      // MLflow answers 404 for an absent tag as for an absent version: tell them apart.
      getModelVersion(name, version);
      if (!failure.get().notFound()) {
        throw calls.translate(
            "model-versions/delete-tag", failure.get(), versionWhat(name, version));
      }
    }
  }

  @Override
  public void setAlias(String name, String alias, long version) {
    calls.post(
        "registered-models/alias",
        MlflowCalls.json("name", name, "alias", alias, "version", String.valueOf(version)),
        versionWhat(name, version));
    LOG.info("Alias {} of {} now points at version {}", alias, name, version);
  }

  @Override
  public void deleteAlias(String name, String alias) {
    Optional<MlflowHttp.Failure> failure =
        calls.delete("registered-models/alias", MlflowCalls.json("name", name, "alias", alias));
    if (failure.isPresent()) {
      getRegisteredModel(name); // an absent model is an error, an absent alias a no-op
      if (!failure.get().notFound()) {
        throw calls.translate("registered-models/alias", failure.get(), "Alias " + alias);
      }
    }
  }

  @Override
  public Optional<ModelVersion> versionByAlias(String name, String alias) {
    Optional<JsonObject> json =
        calls.getIfExists("registered-models/alias", Map.of("name", name, "alias", alias));
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
          calls.call(
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
    calls.deleteOrThrow(
        "model-versions/delete", versionRequest(name, version), versionWhat(name, version));
    LOG.info("Deleted version {} of {}", version, name);
  }

  @Override
  public void deleteRegisteredModel(String name) {
    calls.deleteOrThrow(
        "registered-models/delete", MlflowCalls.json("name", name), "Registered model " + name);
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
        throw PipelineErrors.internal("Cannot stop the registry behind " + calls.location, e);
      }
    }
  }

  @Override
  public String toString() {
    return "MlflowModelRegistry[" + calls.location + "]";
  }

  private static String versionWhat(String name, long version) {
    return "Version " + version + " of registered model " + name;
  }

  private static JsonObject versionRequest(String name, long version) {
    return MlflowCalls.json("name", name, "version", String.valueOf(version));
  }

  private static String withoutUserInfo(String trackingUri) {
    URI uri = URI.create(trackingUri);
    if (uri.getUserInfo() == null) {
      return trackingUri;
    }
    return trackingUri.replace(uri.getRawUserInfo() + "@", "");
  }
}
