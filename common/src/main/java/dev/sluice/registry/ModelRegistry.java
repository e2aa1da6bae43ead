/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import dev.sluice.error.PipelineErrors;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Sluice's view of an MLflow tracking server and model registry: what the pipeline's stages need to
 * log runs, store model artifacts and move aliases. The implementation over MLflow REST is {@link
 * MlflowModelRegistry}; tests use the in-memory fake of common's test-jar.
 *
 * <p>Lookups of a named object that does not exist (run, registered model, version) throw a {@link
 * dev.sluice.error.SluiceException} of category {@code UPSTREAM_MISSING} (exit 4) naming it; a
 * failure of the registry itself is {@code INTERNAL} (exit 1). Version numbers are MLflow's (1, 2,
 * ...). Collections returned are immutable.
 */
public interface ModelRegistry extends AutoCloseable {
  /** Where this registry lives, for messages (a tracking URI; never holds credentials). */
  String location();

  /** The experiment named {@code name}, created when absent. */
  Experiment getOrCreateExperiment(String name);

  /** Starts a run in the experiment, with status RUNNING. */
  Run createRun(String experimentId, String runName, Map<String, String> tags);

  /** The run with its params, latest metrics and tags. */
  Run getRun(String runId);

  /** Logs params; logging a param again with the same value is a no-op. */
  void logParams(String runId, Map<String, String> params);

  /** Logs metric points, in batches of the registry's request limits. */
  void logMetrics(String runId, List<Metric> metrics);

  /** Logs each value as one point at step 0, timestamped now. */
  default void logMetrics(String runId, Map<String, Double> values) {
    Instant now = Instant.now();
    logMetrics(
        runId,
        values.entrySet().stream()
            .map(e -> new Metric(e.getKey(), e.getValue(), now, 0L))
            .toList());
  }

  /** Sets (or overwrites) run tags. */
  void setRunTags(String runId, Map<String, String> tags);

  /** Ends the run with a terminal status (FINISHED, FAILED or KILLED). */
  void endRun(String runId, RunStatus status);

  /**
   * Uploads every file below {@code localDirectory} (recursively, keeping relative paths) to the
   * run's artifacts under {@code artifactPath} (e.g. {@code "model"}; empty for the root).
   */
  void uploadArtifacts(String runId, Path localDirectory, String artifactPath);

  /**
   * Downloads every artifact file of the run below {@code artifactPath} into {@code
   * localDirectory}, keeping relative paths, and returns {@code localDirectory}. Nothing below the
   * path is an {@code UPSTREAM_MISSING} error.
   */
  Path downloadArtifacts(String runId, String artifactPath, Path localDirectory);

  /** The registered model named {@code name}, created when absent. */
  RegisteredModel createRegisteredModelIfAbsent(String name);

  /** The registered model, with its tags and aliases. */
  RegisteredModel getRegisteredModel(String name);

  /** Creates the next version of a registered model (which must exist). */
  ModelVersion createModelVersion(
      String name, String source, String runId, Map<String, String> tags);

  ModelVersion getModelVersion(String name, long version);

  void setModelVersionTag(String name, long version, String key, String value);

  /** Removes a version tag; removing an absent tag is a no-op. */
  void deleteModelVersionTag(String name, long version, String key);

  /** Points {@code alias} at a version, moving it from any other version. */
  void setAlias(String name, String alias, long version);

  /** Removes an alias; removing an absent alias is a no-op. */
  void deleteAlias(String name, String alias);

  /** The version an alias points at, or empty when the model has no such alias. */
  Optional<ModelVersion> versionByAlias(String name, String alias);

  /**
   * The version {@code alias} points at, for commands that take {@code --alias}; an unknown alias
   * is a usage error (exit 2) listing the model's aliases.
   */
  default ModelVersion requireAlias(String name, String alias) {
    return versionByAlias(name, alias)
        .orElseThrow(
            () ->
                PipelineErrors.unknownAlias(
                    name, alias, new TreeSet<>(getRegisteredModel(name).aliases().keySet())));
  }

  /** Every version of a registered model, newest first. */
  List<ModelVersion> searchVersions(String name);

  /** Deletes a version; its aliases go with it. */
  void deleteModelVersion(String name, long version);

  /** Deletes a registered model with all its versions. */
  void deleteRegisteredModel(String name);

  /** Releases connections (and stops an embedded server this registry started). */
  @Override
  void close();
}
