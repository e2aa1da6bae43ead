/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import dev.sluice.error.PipelineErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A hand-written in-memory {@link ModelRegistry} for unit tests of later stages: the same answers
 * and errors as {@link MlflowModelRegistry} against an MLflow server (checked by the shared
 * contract test), no server, no files. Thread-safe.
 */
public final class InMemoryModelRegistry implements ModelRegistry {
  public static final String LOCATION = "memory:";
  private static final Pattern RESERVED_ALIAS = Pattern.compile("(?i)latest|v\\d+");

  private final Map<String, Experiment> experiments = new LinkedHashMap<>();
  private final Map<String, MutableRun> runs = new HashMap<>();
  private final Map<String, MutableModel> models = new TreeMap<>();

  private static final class MutableRun {
    Run run;
    final Map<String, Metric> latest = new HashMap<>();
    final Map<String, byte[]> artifacts = new TreeMap<>();

    MutableRun(Run run) {
      this.run = run;
    }
  }

  private static final class MutableModel {
    final String name;
    final Instant createdAt = Instant.now();
    final Map<Long, ModelVersion> versions = new TreeMap<>();
    final Map<String, Long> aliases = new TreeMap<>();
    long lastVersion;

    MutableModel(String name) {
      this.name = name;
    }
  }

  @Override
  public String location() {
    return LOCATION;
  }

  @Override
  public synchronized Experiment getOrCreateExperiment(String name) {
    for (Experiment experiment : experiments.values()) {
      if (experiment.name().equals(name)) {
        return experiment;
      }
    }
    String id = String.valueOf(experiments.size() + 1);
    Experiment created = new Experiment(id, name, "memory:/" + id);
    experiments.put(id, created);
    return created;
  }

  @Override
  public synchronized Run createRun(String experimentId, String runName, Map<String, String> tags) {
    if (!experiments.containsKey(experimentId)) {
      throw PipelineErrors.registryNotFound("Experiment " + experimentId, LOCATION);
    }
    String runId = UUID.randomUUID().toString().replace("-", "");
    Map<String, String> allTags = new HashMap<>(tags);
    allTags.put("mlflow.runName", runName);
    Run run =
        new Run(
            runId,
            experimentId,
            runName,
            RunStatus.RUNNING,
            "memory:/" + experimentId + "/" + runId + "/artifacts",
            Instant.now(),
            Optional.empty(),
            Map.of(),
            Map.of(),
            allTags);
    runs.put(runId, new MutableRun(run));
    return run;
  }

  @Override
  public synchronized Run getRun(String runId) {
    return run(runId).run;
  }

  @Override
  public synchronized void logParams(String runId, Map<String, String> params) {
    MutableRun run = run(runId);
    Map<String, String> merged = new HashMap<>(run.run.params());
    params.forEach(
        (key, value) -> {
          String old = merged.get(key);
          if (old != null && !old.equals(value)) {
            throw PipelineErrors.registryRefused(
                "runs/log-batch (params) " + runId,
                LOCATION,
                String.format(
                    "Changing param values is not allowed. Param with key='%s' was already"
                        + " logged with value='%s' for run ID='%s'. Attempted logging new"
                        + " value '%s'.",
                    key, old, runId, value));
          }
          merged.put(key, value);
        });
    run.run = withData(run.run, merged, run.run.metrics(), run.run.tags());
  }

  @Override
  public synchronized void logMetrics(String runId, List<Metric> metrics) {
    MutableRun run = run(runId);
    Comparator<Metric> order =
        Comparator.comparingLong(Metric::step)
            .thenComparing(Metric::timestamp)
            .thenComparingDouble(Metric::value);
    for (Metric metric : metrics) {
      run.latest.merge(metric.key(), metric, (a, b) -> order.compare(a, b) >= 0 ? a : b);
    }
    Map<String, Double> latest = new HashMap<>();
    run.latest.forEach((key, metric) -> latest.put(key, metric.value()));
    run.run = withData(run.run, run.run.params(), latest, run.run.tags());
  }

  @Override
  public synchronized void setRunTags(String runId, Map<String, String> tags) {
    MutableRun run = run(runId);
    Map<String, String> merged = new HashMap<>(run.run.tags());
    merged.putAll(tags);
    run.run = withData(run.run, run.run.params(), run.run.metrics(), merged);
  }

  @Override
  public synchronized void endRun(String runId, RunStatus status) {
    if (!status.terminal()) {
      throw new IllegalArgumentException(
          String.format("Cannot end run %s with status %s (must be terminal)", runId, status));
    }
    MutableRun run = run(runId);
    Run r = run.run;
    run.run =
        new Run(
            r.runId(),
            r.experimentId(),
            r.runName(),
            status,
            r.artifactUri(),
            r.startTime(),
            Optional.of(Instant.now()),
            r.params(),
            r.metrics(),
            r.tags());
  }

  @Override
  public synchronized void uploadArtifacts(String runId, Path localDirectory, String artifactPath) {
    MutableRun run = run(runId);
    for (String relative : ArtifactStore.relativeFiles(localDirectory)) {
      try {
        run.artifacts.put(
            ArtifactStore.join(artifactPath, relative),
            Files.readAllBytes(localDirectory.resolve(relative)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public synchronized Path downloadArtifacts(
      String runId, String artifactPath, Path localDirectory) {
    MutableRun run = run(runId);
    String prefix = ArtifactStore.join(artifactPath);
    int count = 0;
    for (Map.Entry<String, byte[]> artifact : run.artifacts.entrySet()) {
      String path = artifact.getKey();
      String relative;
      if (prefix.isEmpty()) {
        relative = path;
      } else if (path.startsWith(prefix + "/")) {
        relative = path.substring(prefix.length() + 1);
      } else {
        continue;
      }
      try {
        Files.write(ArtifactStore.target(localDirectory, relative), artifact.getValue());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      count++;
    }
    if (count == 0) {
      throw PipelineErrors.registryNotFound(
          "Artifact path '" + artifactPath + "' of run " + runId, LOCATION);
    }
    return localDirectory;
  }

  @Override
  public synchronized RegisteredModel createRegisteredModelIfAbsent(String name) {
    models.computeIfAbsent(name, MutableModel::new);
    return getRegisteredModel(name);
  }

  @Override
  public synchronized RegisteredModel getRegisteredModel(String name) {
    MutableModel model = model(name);
    return new RegisteredModel(name, model.createdAt, Map.of(), model.aliases);
  }

  @Override
  public synchronized ModelVersion createModelVersion(
      String name, String source, String runId, Map<String, String> tags) {
    MutableModel model = model(name);
    long version = ++model.lastVersion;
    model.versions.put(
        version,
        new ModelVersion(
            name,
            version,
            source,
            Optional.ofNullable(runId).filter(id -> !id.isEmpty()),
            "READY",
            Instant.now(),
            tags,
            java.util.Set.of()));
    return getModelVersion(name, version);
  }

  @Override
  public synchronized ModelVersion getModelVersion(String name, long version) {
    MutableModel model = model(name);
    ModelVersion stored = version(model, version);
    TreeSet<String> aliases = new TreeSet<>();
    model.aliases.forEach(
        (alias, v) -> {
          if (v == version) {
            aliases.add(alias);
          }
        });
    return with(stored, stored.tags(), aliases);
  }

  @Override
  public synchronized void setModelVersionTag(String name, long version, String key, String value) {
    updateTags(name, version, tags -> tags.put(key, value));
  }

  @Override
  public synchronized void deleteModelVersionTag(String name, long version, String key) {
    updateTags(name, version, tags -> tags.remove(key));
  }

  @Override
  public synchronized void setAlias(String name, String alias, long version) {
    MutableModel model = model(name);
    if (RESERVED_ALIAS.matcher(alias).matches()) {
      throw PipelineErrors.registryRefused(
          "registered-models/alias",
          LOCATION,
          String.format("'%s' alias name (case insensitive) is reserved.", alias));
    }
    version(model, version);
    model.aliases.put(alias, version);
  }

  @Override
  public synchronized void deleteAlias(String name, String alias) {
    model(name).aliases.remove(alias);
  }

  @Override
  public synchronized Optional<ModelVersion> versionByAlias(String name, String alias) {
    Long version = model(name).aliases.get(alias);
    return version == null ? Optional.empty() : Optional.of(getModelVersion(name, version));
  }

  @Override
  public synchronized List<ModelVersion> searchVersions(String name) {
    MutableModel model = model(name);
    List<ModelVersion> out = new ArrayList<>();
    for (long version : model.versions.keySet()) {
      out.add(getModelVersion(name, version));
    }
    out.sort(Comparator.comparingLong(ModelVersion::version).reversed());
    return List.copyOf(out);
  }

  @Override
  public synchronized void deleteModelVersion(String name, long version) {
    MutableModel model = model(name);
    version(model, version);
    model.versions.remove(version);
    model.aliases.values().removeIf(v -> v == version);
  }

  @Override
  public synchronized void deleteRegisteredModel(String name) {
    model(name);
    models.remove(name);
  }

  @Override
  public void close() {}

  private MutableRun run(String runId) {
    MutableRun run = runs.get(runId);
    if (run == null) {
      throw PipelineErrors.registryNotFound("Run " + runId, LOCATION);
    }
    return run;
  }

  private MutableModel model(String name) {
    MutableModel model = models.get(name);
    if (model == null) {
      throw PipelineErrors.registryNotFound("Registered model " + name, LOCATION);
    }
    return model;
  }

  private static ModelVersion version(MutableModel model, long version) {
    ModelVersion stored = model.versions.get(version);
    if (stored == null) {
      throw PipelineErrors.registryNotFound(
          "Version " + version + " of registered model " + model.name, LOCATION);
    }
    return stored;
  }

  private void updateTags(
      String name, long version, java.util.function.Consumer<Map<String, String>> change) {
    MutableModel model = model(name);
    ModelVersion stored = version(model, version);
    Map<String, String> tags = new HashMap<>(stored.tags());
    change.accept(tags);
    model.versions.put(version, with(stored, tags, stored.aliases()));
  }

  private static ModelVersion with(
      ModelVersion stored, Map<String, String> tags, java.util.Set<String> aliases) {
    return new ModelVersion(
        stored.name(),
        stored.version(),
        stored.source(),
        stored.runId(),
        stored.status(),
        stored.createdAt(),
        tags,
        aliases);
  }

  private static Run withData(
      Run r, Map<String, String> params, Map<String, Double> metrics, Map<String, String> tags) {
    return new Run(
        r.runId(),
        r.experimentId(),
        r.runName(),
        r.status(),
        r.artifactUri(),
        r.startTime(),
        r.endTime(),
        params,
        metrics,
        tags);
  }
}
