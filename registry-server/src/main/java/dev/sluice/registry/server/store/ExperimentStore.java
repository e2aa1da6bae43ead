/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.api.MlflowErrors;
import dev.sluice.registry.server.store.SearchDoc.Entity;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.ExperimentTag;
import org.mlflow.api.proto.Service.ViewType;

/** Experiments: create, read, search, rename, delete and restore, tags. */
public final class ExperimentStore {
  static final String ACTIVE = "active";
  static final String DELETED = "deleted";
  private static final long SEARCH_LIMIT = 50_000;

  private final Database database;
  private final ArtifactRoot artifactRoot;

  public ExperimentStore(Database database, ArtifactRoot artifactRoot) {
    this.database = requireNonNull(database, "database is null");
    this.artifactRoot = requireNonNull(artifactRoot, "artifactRoot is null");
  }

  /** Creates experiment "0" named "Default" unless it exists. */
  public void ensureDefault() {
    database.transaction(
        connection -> {
          if (find(connection, 0).isEmpty()) {
            long now = System.currentTimeMillis();
            Sql.update(
                connection,
                "INSERT INTO experiments VALUES (?, ?, ?, ?, ?, ?)",
                0L,
                "Default",
                artifactRoot.experimentLocation(0),
                ACTIVE,
                now,
                now);
          }
          return null;
        });
  }

  public String create(String name, String artifactLocation, List<ExperimentTag> tags) {
    if (name == null || name.isEmpty()) {
      throw MlflowErrors.missingParameter("name");
    }
    return database.transaction(
        connection -> {
          if (findByName(connection, name).isPresent()) {
            throw MlflowErrors.alreadyExists("Experiment '%s' already exists.", name);
          }
          long id =
              Sql.queryOne(
                      connection,
                      "SELECT COALESCE(MAX(experiment_id), 0) + 1 FROM experiments",
                      row -> row.getLong(1))
                  .orElse(1L);
          long now = System.currentTimeMillis();
          String location =
              artifactLocation == null || artifactLocation.isEmpty()
                  ? artifactRoot.experimentLocation(id)
                  : artifactLocation;
          Sql.update(
              connection,
              "INSERT INTO experiments VALUES (?, ?, ?, ?, ?, ?)",
              id,
              name,
              location,
              ACTIVE,
              now,
              now);
          for (ExperimentTag tag : tags) {
            putTag(connection, id, tag.getKey(), tag.getValue());
          }
          return String.valueOf(id);
        });
  }

  public Experiment get(String experimentId) {
    return database.read(connection -> require(connection, experimentId));
  }

  public Experiment getByName(String name) {
    if (name == null || name.isEmpty()) {
      throw MlflowErrors.missingParameter("experiment_name");
    }
    return database.read(
        connection ->
            findByName(connection, name)
                .orElseThrow(() -> MlflowErrors.experimentNameNotFound(name)));
  }

  public Page<Experiment> search(SearchRequest request, ViewType viewType) {
    Searches.Plan plan =
        Searches.plan(
            SearchSchema.EXPERIMENTS,
            request,
            OrderBy.by(Entity.ATTRIBUTE, "creation_time", false)
                .thenComparing(OrderBy.by(Entity.ATTRIBUTE, "experiment_id", true)));
    List<Experiment> visible =
        database
            .read(
                connection ->
                    Sql.query(
                        connection, "SELECT * FROM experiments", row -> read(connection, row)))
            .stream()
            .filter(Searches.visible(Experiment::getLifecycleStage, viewType))
            .toList();
    return plan.page(visible, ExperimentStore::doc, SEARCH_LIMIT);
  }

  public void rename(String experimentId, String newName) {
    if (newName == null || newName.isEmpty()) {
      throw MlflowErrors.missingParameter("new_name");
    }
    database.transaction(
        connection -> {
          Experiment experiment = require(connection, experimentId);
          if (!experiment.getLifecycleStage().equals(ACTIVE)) {
            throw MlflowErrors.invalidState("Cannot rename a non-active experiment.");
          }
          Optional<Experiment> other = findByName(connection, newName);
          if (other.isPresent() && !other.get().getExperimentId().equals(experimentId)) {
            throw MlflowErrors.alreadyExists("Experiment '%s' already exists.", newName);
          }
          return Sql.update(
              connection,
              "UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?",
              newName,
              System.currentTimeMillis(),
              Long.parseLong(experimentId));
        });
  }

  public void delete(String experimentId) {
    if ("0".equals(experimentId)) {
      throw MlflowErrors.invalidParameter("Cannot delete the default experiment '0'.");
    }
    setLifecycle(experimentId, DELETED);
  }

  public void restore(String experimentId) {
    setLifecycle(experimentId, ACTIVE);
  }

  public void setTag(String experimentId, String key, String value) {
    Validation.checkKey("key", key);
    database.transaction(
        connection -> {
          Experiment experiment = require(connection, experimentId);
          if (!experiment.getLifecycleStage().equals(ACTIVE)) {
            throw MlflowErrors.invalidState(
                "The experiment %s must be in the 'active' state. Current state is %s.",
                experimentId, experiment.getLifecycleStage());
          }
          putTag(connection, Long.parseLong(experimentId), key, value);
          return null;
        });
  }

  /** The experiment, or RESOURCE_DOES_NOT_EXIST. */
  static Experiment require(Connection connection, String experimentId) throws SQLException {
    if (experimentId == null || experimentId.isEmpty()) {
      throw MlflowErrors.missingParameter("experiment_id");
    }
    long id;
    try {
      id = Long.parseLong(experimentId);
    } catch (NumberFormatException e) {
      throw MlflowErrors.experimentNotFound(experimentId);
    }
    return find(connection, id).orElseThrow(() -> MlflowErrors.experimentNotFound(experimentId));
  }

  private void setLifecycle(String experimentId, String stage) {
    database.transaction(
        connection -> {
          Experiment experiment = require(connection, experimentId);
          long id = Long.parseLong(experimentId);
          long now = System.currentTimeMillis();
          if (stage.equals(DELETED)) {
            Sql.update(
                connection,
                "UPDATE runs SET lifecycle_stage = ?, deleted_time = ? "
                    + "WHERE experiment_id = ? AND lifecycle_stage = ?",
                DELETED,
                now,
                id,
                ACTIVE);
          } else {
            Sql.update(
                connection,
                "UPDATE runs SET lifecycle_stage = ?, deleted_time = NULL "
                    + "WHERE experiment_id = ? AND deleted_time = ?",
                ACTIVE,
                id,
                experiment.getLastUpdateTime());
          }
          return Sql.update(
              connection,
              "UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? "
                  + "WHERE experiment_id = ?",
              stage,
              now,
              id);
        });
  }

  private static void putTag(Connection connection, long id, String key, String value)
      throws SQLException {
    Sql.update(
        connection,
        "INSERT INTO experiment_tags VALUES (?, ?, ?) "
            + "ON CONFLICT (experiment_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value",
        id,
        key,
        value);
  }

  private static Optional<Experiment> find(Connection connection, long id) throws SQLException {
    return Sql.queryOne(
        connection,
        "SELECT * FROM experiments WHERE experiment_id = ?",
        row -> read(connection, row),
        id);
  }

  private static Optional<Experiment> findByName(Connection connection, String name)
      throws SQLException {
    return Sql.queryOne(
        connection, "SELECT * FROM experiments WHERE name = ?", row -> read(connection, row), name);
  }

  private static Experiment read(Connection connection, java.sql.ResultSet row)
      throws SQLException {
    long id = row.getLong("experiment_id");
    Experiment.Builder experiment =
        Experiment.newBuilder()
            .setExperimentId(String.valueOf(id))
            .setName(row.getString("name"))
            .setLifecycleStage(row.getString("lifecycle_stage"))
            .setCreationTime(row.getLong("creation_time"))
            .setLastUpdateTime(row.getLong("last_update_time"));
    String location = row.getString("artifact_location");
    if (location != null) {
      experiment.setArtifactLocation(location);
    }
    Sql.query(
            connection,
            "SELECT tag_key, tag_value FROM experiment_tags WHERE experiment_id = ? "
                + "ORDER BY tag_key",
            tag ->
                ExperimentTag.newBuilder()
                    .setKey(tag.getString(1))
                    .setValue(java.util.Objects.toString(tag.getString(2), ""))
                    .build(),
            id)
        .forEach(experiment::addTags);
    return experiment.build();
  }

  private static SearchDoc doc(Experiment experiment) {
    Map<String, Object> attributes = new HashMap<>();
    attributes.put("name", experiment.getName());
    attributes.put("experiment_id", Long.parseLong(experiment.getExperimentId()));
    attributes.put("creation_time", experiment.getCreationTime());
    attributes.put("last_update_time", experiment.getLastUpdateTime());
    attributes.put("lifecycle_stage", experiment.getLifecycleStage());
    return SearchDoc.of(
        attributes,
        Searches.tags(experiment.getTagsList(), ExperimentTag::getKey, ExperimentTag::getValue));
  }
}
