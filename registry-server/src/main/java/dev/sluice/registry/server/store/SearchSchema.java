/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.api.MlflowErrors;
import dev.sluice.registry.server.store.SearchDoc.Entity;
import java.util.Map;
import java.util.Set;

/**
 * What one kind of search accepts: the entities it has and its attributes, each numeric or not,
 * with their synonyms (for example {@code created} for {@code start_time}).
 */
record SearchSchema(
    String what,
    Set<Entity> entities,
    Map<String, Boolean> numericByAttribute,
    Map<String, String> synonyms) {
  SearchSchema {
    requireNonNull(what, "what is null");
    entities = Set.copyOf(entities);
    numericByAttribute = Map.copyOf(numericByAttribute);
    synonyms = Map.copyOf(synonyms);
  }

  static final SearchSchema RUNS =
      new SearchSchema(
          "runs",
          Set.of(Entity.ATTRIBUTE, Entity.METRIC, Entity.PARAM, Entity.TAG),
          Map.of(
              "run_id", false,
              "run_name", false,
              "status", false,
              "user_id", false,
              "artifact_uri", false,
              "lifecycle_stage", false,
              "start_time", true,
              "end_time", true),
          Map.of("created", "start_time", "run_uuid", "run_id", "Created", "start_time"));

  static final SearchSchema EXPERIMENTS =
      new SearchSchema(
          "experiments",
          Set.of(Entity.ATTRIBUTE, Entity.TAG),
          Map.of(
              "name", false,
              "experiment_id", true,
              "creation_time", true,
              "last_update_time", true,
              "lifecycle_stage", false),
          Map.of());

  static final SearchSchema REGISTERED_MODELS =
      new SearchSchema(
          "registered models",
          Set.of(Entity.ATTRIBUTE, Entity.TAG),
          Map.of("name", false, "creation_timestamp", true, "last_updated_timestamp", true),
          Map.of("timestamp", "last_updated_timestamp"));

  static final SearchSchema MODEL_VERSIONS =
      new SearchSchema(
          "model versions",
          Set.of(Entity.ATTRIBUTE, Entity.TAG),
          Map.of(
              "name", false,
              "version_number", true,
              "run_id", false,
              "source_path", false,
              "current_stage", false,
              "creation_timestamp", true,
              "last_updated_timestamp", true),
          Map.of(
              "version",
              "version_number",
              "source",
              "source_path",
              "timestamp",
              "last_updated_timestamp"));

  /** The canonical attribute name of {@code key}, refusing an attribute this search lacks. */
  String attribute(String key) {
    String canonical = synonyms.getOrDefault(key, key);
    if (!numericByAttribute.containsKey(canonical)) {
      throw MlflowErrors.invalidParameter(
          "Invalid attribute key '%s' for %s: expected one of %s",
          key, what, numericByAttribute.keySet().stream().sorted().toList());
    }
    return canonical;
  }

  boolean isNumeric(Entity entity, String canonicalKey) {
    return entity == Entity.METRIC
        || entity == Entity.ATTRIBUTE && numericByAttribute.get(canonicalKey);
  }

  void checkEntity(Entity entity, String identifier) {
    if (!entities.contains(entity)) {
      throw MlflowErrors.invalidParameter(
          "Invalid identifier '%s' for %s: %s are not searchable here",
          identifier, what, entity.name().toLowerCase(java.util.Locale.ROOT) + "s");
    }
  }
}
