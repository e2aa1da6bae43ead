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
import java.util.Set;

/**
 * One version of a registered model.
 *
 * @param name the registered model's name
 * @param version its version number (1, 2, ...; never reused)
 * @param source where the model's files are, e.g. {@code runs:/<run>/model} or an artifact URI
 * @param runId the run that produced it, if recorded
 * @param status MLflow's status ({@code READY} once registered)
 * @param createdAt when it was created
 * @param tags its tags (e.g. {@code sluice.validated_digest})
 * @param aliases the aliases pointing at it
 */
public record ModelVersion(
    String name,
    long version,
    String source,
    Optional<String> runId,
    String status,
    Instant createdAt,
    Map<String, String> tags,
    Set<String> aliases) {
  public ModelVersion {
    requireNonNull(name, "name is null");
    requireNonNull(source, "source is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(status, "status is null");
    requireNonNull(createdAt, "createdAt is null");
    tags = Map.copyOf(requireNonNull(tags, "tags is null"));
    aliases = Set.copyOf(requireNonNull(aliases, "aliases is null"));
  }
}
