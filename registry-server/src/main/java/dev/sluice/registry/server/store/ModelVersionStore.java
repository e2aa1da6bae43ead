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
import org.mlflow.api.proto.ModelRegistry.CreateModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.ModelVersionTag;
import org.mlflow.api.proto.Service.Run;

/** Model versions: create (READY at once), read, update, delete, search, tags, stages. */
public final class ModelVersionStore {
  private static final long SEARCH_LIMIT = 200_000;
  private static final String RUNS_SCHEME = "runs:/";

  private final Database database;

  public ModelVersionStore(Database database) {
    this.database = requireNonNull(database, "database is null");
  }

  public ModelVersion create(CreateModelVersion request) {
    String name = Validation.require("name", request.getName());
    String source = Validation.require("source", request.getSource());
    for (ModelVersionTag tag : request.getTagsList()) {
      Validation.checkKey("key", tag.getKey());
    }
    return database.transaction(
        connection -> {
          ModelReader.requireModel(connection, name);
          int version =
              Sql.queryOne(
                      connection,
                      "SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = ?",
                      row -> row.getInt(1),
                      name)
                  .orElse(1);
          long now = System.currentTimeMillis();
          Sql.update(
              connection,
              "INSERT INTO model_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              name,
              version,
              now,
              now,
              emptyToNull(request.getDescription()),
              null,
              "None",
              source,
              emptyToNull(request.getRunId()),
              emptyToNull(request.getRunLink()),
              ModelVersionStatus.READY.name(),
              null,
              storageLocation(connection, source));
          for (ModelVersionTag tag : request.getTagsList()) {
            putTag(connection, name, version, tag.getKey(), tag.getValue());
          }
          RegisteredModelStore.touch(connection, name);
          return ModelReader.requireVersion(connection, name, String.valueOf(version));
        });
  }

  public ModelVersion get(String name, String version) {
    return database.read(connection -> ModelReader.requireVersion(connection, name, version));
  }

  public ModelVersion update(String name, String version, String description) {
    return database.transaction(
        connection -> {
          ModelReader.requireVersion(connection, name, version);
          setColumns(connection, name, version, "description = ?", description);
          return ModelReader.requireVersion(connection, name, version);
        });
  }

  public void delete(String name, String version) {
    database.transaction(
        connection -> {
          ModelReader.requireVersion(connection, name, version);
          int number = ModelReader.versionNumber(version);
          Sql.update(
              connection,
              "DELETE FROM registered_model_aliases WHERE name = ? AND version = ?",
              name,
              number);
          Sql.update(
              connection,
              "DELETE FROM model_version_tags WHERE name = ? AND version = ?",
              name,
              number);
          return setColumns(
              connection, name, version, "current_stage = ?", ModelReader.DELETED_STAGE);
        });
  }

  public ModelVersion transitionStage(
      String name, String version, String stage, boolean archiveExistingVersions) {
    String target = ModelReader.stage(Validation.require("stage", stage));
    return database.transaction(
        connection -> {
          ModelReader.requireVersion(connection, name, version);
          if (archiveExistingVersions
              && (target.equals("Staging") || target.equals("Production"))) {
            Sql.update(
                connection,
                "UPDATE model_versions SET current_stage = ?, last_updated_time = ? "
                    + "WHERE name = ? AND current_stage = ? AND version <> ?",
                "Archived",
                System.currentTimeMillis(),
                name,
                target,
                ModelReader.versionNumber(version));
          }
          setColumns(connection, name, version, "current_stage = ?", target);
          return ModelReader.requireVersion(connection, name, version);
        });
  }

  public String downloadUri(String name, String version) {
    return database.read(
        connection -> {
          ModelReader.requireVersion(connection, name, version);
          return Sql.queryOne(
                  connection,
                  "SELECT COALESCE(storage_location, source) FROM model_versions "
                      + "WHERE name = ? AND version = ?",
                  row -> row.getString(1),
                  name,
                  ModelReader.versionNumber(version))
              .orElseThrow();
        });
  }

  public Page<ModelVersion> search(SearchRequest request) {
    Searches.Plan plan =
        Searches.plan(
            SearchSchema.MODEL_VERSIONS,
            request,
            OrderBy.by(Entity.ATTRIBUTE, "name", true)
                .thenComparing(OrderBy.by(Entity.ATTRIBUTE, "version_number", false)));
    List<ModelVersion> versions = database.read(connection -> ModelReader.versions(connection, ""));
    return plan.page(versions, ModelVersionStore::doc, SEARCH_LIMIT);
  }

  public void setTag(String name, String version, String key, String value) {
    Validation.checkKey("key", key);
    database.transaction(
        connection -> {
          ModelReader.requireVersion(connection, name, version);
          putTag(connection, name, ModelReader.versionNumber(version), key, value);
          return null;
        });
  }

  public void deleteTag(String name, String version, String key) {
    Validation.require("key", key);
    database.transaction(
        connection -> {
          ModelReader.requireVersion(connection, name, version);
          return Sql.update(
              connection,
              "DELETE FROM model_version_tags WHERE name = ? AND version = ? AND tag_key = ?",
              name,
              ModelReader.versionNumber(version),
              key);
        });
  }

  /** Where a {@code runs:/<run id>/<path>} source lives: the run's artifact URI plus the path. */
  private static String storageLocation(Connection connection, String source) throws SQLException {
    if (!source.startsWith(RUNS_SCHEME)) {
      return source;
    }
    String rest = source.substring(RUNS_SCHEME.length());
    int slash = rest.indexOf('/');
    String runId = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    Optional<Run> run = RunReader.one(connection, runId);
    if (run.isEmpty()) {
      throw MlflowErrors.invalidParameter(
          "Unable to resolve the source %s: run %s does not exist", source, runId);
    }
    String root = run.get().getInfo().getArtifactUri();
    return path.isEmpty() ? root : root + "/" + path;
  }

  private static int setColumns(
      Connection connection, String name, String version, String assignment, Object value)
      throws SQLException {
    return Sql.update(
        connection,
        "UPDATE model_versions SET "
            + assignment
            + ", last_updated_time = ? WHERE name = ? AND version = ?",
        value,
        System.currentTimeMillis(),
        name,
        ModelReader.versionNumber(version));
  }

  private static void putTag(
      Connection connection, String name, int version, String key, String value)
      throws SQLException {
    Sql.update(
        connection,
        "INSERT INTO model_version_tags VALUES (?, ?, ?, ?) "
            + "ON CONFLICT (name, version, tag_key) DO UPDATE SET tag_value = excluded.tag_value",
        name,
        version,
        key,
        value);
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static SearchDoc doc(ModelVersion version) {
    Map<String, Object> attributes = new HashMap<>();
    attributes.put("name", version.getName());
    attributes.put("version_number", Long.parseLong(version.getVersion()));
    attributes.put("run_id", version.getRunId());
    attributes.put("source_path", version.getSource());
    attributes.put("current_stage", version.getCurrentStage());
    attributes.put("creation_timestamp", version.getCreationTimestamp());
    attributes.put("last_updated_timestamp", version.getLastUpdatedTimestamp());
    return SearchDoc.of(
        attributes,
        Searches.tags(version.getTagsList(), ModelVersionTag::getKey, ModelVersionTag::getValue));
  }
}
