/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import dev.sluice.registry.server.api.MlflowErrors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.ModelVersionTag;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.ModelRegistry.RegisteredModelAlias;
import org.mlflow.api.proto.ModelRegistry.RegisteredModelTag;

/** Reads registered models and model versions with their tags and aliases. */
final class ModelReader {
  /** The stage of deleted versions: kept so that version numbers are never reused. */
  static final String DELETED_STAGE = "Deleted_Internal";

  static final List<String> STAGES = List.of("None", "Staging", "Production", "Archived");
  private static final String LIVE_VERSIONS =
      "SELECT * FROM model_versions WHERE current_stage <> '" + DELETED_STAGE + "'";

  private ModelReader() {}

  /** The canonical spelling of a stage name, case-insensitively; refuses unknown stages. */
  static String stage(String stage) {
    for (String known : STAGES) {
      if (known.equalsIgnoreCase(stage)) {
        return known;
      }
    }
    throw MlflowErrors.invalidParameter(
        "Invalid Model Version stage: %s. Value must be one of %s.",
        stage, String.join(", ", STAGES));
  }

  static Optional<RegisteredModel> model(Connection connection, String name) throws SQLException {
    Optional<RegisteredModel.Builder> model =
        Sql.queryOne(
            connection, "SELECT * FROM registered_models WHERE name = ?", ModelReader::model, name);
    if (model.isEmpty()) {
      return Optional.empty();
    }
    RegisteredModel.Builder builder = model.get();
    builder.addAllLatestVersions(latestVersions(connection, name, STAGES));
    Sql.query(
            connection,
            "SELECT tag_key, tag_value FROM registered_model_tags WHERE name = ? ORDER BY tag_key",
            row ->
                RegisteredModelTag.newBuilder()
                    .setKey(row.getString(1))
                    .setValue(Objects.toString(row.getString(2), ""))
                    .build(),
            name)
        .forEach(builder::addTags);
    Sql.query(
            connection,
            "SELECT alias, version FROM registered_model_aliases WHERE name = ? ORDER BY alias",
            row ->
                RegisteredModelAlias.newBuilder()
                    .setAlias(row.getString(1))
                    .setVersion(String.valueOf(row.getInt(2)))
                    .build(),
            name)
        .forEach(builder::addAliases);
    return Optional.of(builder.build());
  }

  static RegisteredModel requireModel(Connection connection, String name) throws SQLException {
    Validation.require("name", name);
    return model(connection, name).orElseThrow(() -> MlflowErrors.registeredModelNotFound(name));
  }

  /** The newest version in each of {@code stages}. */
  static List<ModelVersion> latestVersions(Connection connection, String name, List<String> stages)
      throws SQLException {
    Map<String, ModelVersion> latest = new LinkedHashMap<>();
    for (ModelVersion version : versions(connection, " AND name = ? ORDER BY version", name)) {
      if (stages.contains(version.getCurrentStage())) {
        latest.put(version.getCurrentStage(), version);
      }
    }
    return List.copyOf(latest.values());
  }

  /** Live versions matching {@code condition} (SQL appended after the live-version filter). */
  static List<ModelVersion> versions(Connection connection, String condition, Object... args)
      throws SQLException {
    List<ModelVersion.Builder> builders =
        Sql.query(connection, LIVE_VERSIONS + condition, ModelReader::version, args);
    List<ModelVersion> versions = new ArrayList<>(builders.size());
    for (ModelVersion.Builder builder : builders) {
      String name = builder.getName();
      int version = Integer.parseInt(builder.getVersion());
      Sql.query(
              connection,
              "SELECT tag_key, tag_value FROM model_version_tags WHERE name = ? AND version = ?"
                  + " ORDER BY tag_key",
              row ->
                  ModelVersionTag.newBuilder()
                      .setKey(row.getString(1))
                      .setValue(Objects.toString(row.getString(2), ""))
                      .build(),
              name,
              version)
          .forEach(builder::addTags);
      Sql.query(
              connection,
              "SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ?"
                  + " ORDER BY alias",
              row -> row.getString(1),
              name,
              version)
          .forEach(builder::addAliases);
      versions.add(builder.build());
    }
    return versions;
  }

  static ModelVersion requireVersion(Connection connection, String name, String version)
      throws SQLException {
    Validation.require("name", name);
    int number = versionNumber(version);
    List<ModelVersion> found = versions(connection, " AND name = ? AND version = ?", name, number);
    if (found.isEmpty()) {
      throw MlflowErrors.modelVersionNotFound(name, version);
    }
    return found.get(0);
  }

  static int versionNumber(String version) {
    Validation.require("version", version);
    try {
      return Integer.parseInt(version.trim());
    } catch (NumberFormatException e) {
      throw MlflowErrors.invalidParameter(
          "Model version must be an integer, got '%s'", version.toLowerCase(Locale.ROOT));
    }
  }

  private static RegisteredModel.Builder model(ResultSet row) throws SQLException {
    RegisteredModel.Builder model =
        RegisteredModel.newBuilder()
            .setName(row.getString("name"))
            .setCreationTimestamp(row.getLong("creation_time"))
            .setLastUpdatedTimestamp(row.getLong("last_updated_time"));
    setIfPresent(row.getString("description"), model::setDescription);
    return model;
  }

  private static ModelVersion.Builder version(ResultSet row) throws SQLException {
    ModelVersion.Builder version =
        ModelVersion.newBuilder()
            .setName(row.getString("name"))
            .setVersion(String.valueOf(row.getInt("version")))
            .setCreationTimestamp(row.getLong("creation_time"))
            .setLastUpdatedTimestamp(row.getLong("last_updated_time"))
            .setCurrentStage(row.getString("current_stage"))
            .setStatus(ModelVersionStatus.valueOf(row.getString("status")));
    setIfPresent(row.getString("description"), version::setDescription);
    setIfPresent(row.getString("user_id"), version::setUserId);
    setIfPresent(row.getString("source"), version::setSource);
    setIfPresent(row.getString("run_id"), version::setRunId);
    setIfPresent(row.getString("run_link"), version::setRunLink);
    setIfPresent(row.getString("status_message"), version::setStatusMessage);
    return version;
  }

  private static void setIfPresent(String value, java.util.function.Consumer<String> setter) {
    if (value != null && !value.isEmpty()) {
      setter.accept(value);
    }
  }
}
