/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link ModelRegistry} opened on first use: a job that never touches the registry never starts
 * or connects to one. Thread-safe; {@link #close()} closes the registry if it was opened.
 */
public final class LazyModelRegistry implements ModelRegistry {
  private final String location;
  private final Supplier<ModelRegistry> opener;
  private ModelRegistry delegate;
  private boolean closed;

  /**
   * @param location where the registry will be, for messages before it is opened
   * @param opener opens it; called at most once
   */
  public LazyModelRegistry(String location, Supplier<ModelRegistry> opener) {
    this.location = requireNonNull(location, "location is null");
    this.opener = requireNonNull(opener, "opener is null");
  }

  /** Whether the registry has been opened. */
  public synchronized boolean opened() {
    return delegate != null;
  }

  private synchronized ModelRegistry registry() {
    if (closed) {
      throw new IllegalStateException("Registry " + location + " is closed");
    }
    if (delegate == null) {
      delegate = requireNonNull(opener.get(), "opener returned null");
    }
    return delegate;
  }

  @Override
  public synchronized String location() {
    return delegate == null ? location : delegate.location();
  }

  @Override
  public Experiment getOrCreateExperiment(String name) {
    return registry().getOrCreateExperiment(name);
  }

  @Override
  public Run createRun(String experimentId, String runName, Map<String, String> tags) {
    return registry().createRun(experimentId, runName, tags);
  }

  @Override
  public Run getRun(String runId) {
    return registry().getRun(runId);
  }

  @Override
  public void logParams(String runId, Map<String, String> params) {
    registry().logParams(runId, params);
  }

  @Override
  public void logMetrics(String runId, List<Metric> metrics) {
    registry().logMetrics(runId, metrics);
  }

  @Override
  public void setRunTags(String runId, Map<String, String> tags) {
    registry().setRunTags(runId, tags);
  }

  @Override
  public void endRun(String runId, RunStatus status) {
    registry().endRun(runId, status);
  }

  @Override
  public void uploadArtifacts(String runId, Path localDirectory, String artifactPath) {
    registry().uploadArtifacts(runId, localDirectory, artifactPath);
  }

  @Override
  public Path downloadArtifacts(String runId, String artifactPath, Path localDirectory) {
    return registry().downloadArtifacts(runId, artifactPath, localDirectory);
  }

  @Override
  public RegisteredModel createRegisteredModelIfAbsent(String name) {
    return registry().createRegisteredModelIfAbsent(name);
  }

  @Override
  public RegisteredModel getRegisteredModel(String name) {
    return registry().getRegisteredModel(name);
  }

  @Override
  public ModelVersion createModelVersion(
      String name, String source, String runId, Map<String, String> tags) {
    return registry().createModelVersion(name, source, runId, tags);
  }

  @Override
  public ModelVersion getModelVersion(String name, long version) {
    return registry().getModelVersion(name, version);
  }

  @Override
  public void setModelVersionTag(String name, long version, String key, String value) {
    registry().setModelVersionTag(name, version, key, value);
  }

  @Override
  public void deleteModelVersionTag(String name, long version, String key) {
    registry().deleteModelVersionTag(name, version, key);
  }

  @Override
  public void setAlias(String name, String alias, long version) {
    registry().setAlias(name, alias, version);
  }

  @Override
  public void deleteAlias(String name, String alias) {
    registry().deleteAlias(name, alias);
  }

  @Override
  public Optional<ModelVersion> versionByAlias(String name, String alias) {
    return registry().versionByAlias(name, alias);
  }

  @Override
  public List<ModelVersion> searchVersions(String name) {
    return registry().searchVersions(name);
  }

  @Override
  public void deleteModelVersion(String name, long version) {
    registry().deleteModelVersion(name, version);
  }

  @Override
  public void deleteRegisteredModel(String name) {
    registry().deleteRegisteredModel(name);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (delegate != null) {
      delegate.close();
    }
  }
}
