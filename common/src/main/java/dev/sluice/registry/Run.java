/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A tracking run and its data.
 *
 * @param runId the registry's id of the run
 * @param experimentId the experiment it belongs to
 * @param runName its display name
 * @param status its status
 * @param artifactUri the root of its artifacts ({@code mlflow-artifacts:/...}, {@code s3a://...})
 * @param startTime when it started
 * @param endTime when it ended, once it has
 * @param params its parameters
 * @param metrics the latest value of each metric
 * @param tags its tags, including MLflow's own ({@code mlflow.runName}, ...)
 */
public record Run(
    String runId,
    String experimentId,
    String runName,
    RunStatus status,
    String artifactUri,
    Instant startTime,
    Optional<Instant> endTime,
    Map<String, String> params,
    Map<String, Double> metrics,
    Map<String, String> tags) {
  public Run {
    requireNonNull(runId, "runId is null");
    requireNonNull(experimentId, "experimentId is null");
    requireNonNull(runName, "runName is null");
    requireNonNull(status, "status is null");
    requireNonNull(artifactUri, "artifactUri is null");
    requireNonNull(startTime, "startTime is null");
    requireNonNull(endTime, "endTime is null");
    params = Map.copyOf(requireNonNull(params, "params is null"));
    metrics = Map.copyOf(requireNonNull(metrics, "metrics is null"));
    tags = Map.copyOf(requireNonNull(tags, "tags is null"));
  }
}
