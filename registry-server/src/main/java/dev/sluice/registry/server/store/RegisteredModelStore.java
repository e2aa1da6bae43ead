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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.ModelRegistry.RegisteredModelTag;

/** Registered models: create, read, rename, update, delete, search, tags and aliases. */
public final class RegisteredModelStore {
  private static final long SEARCH_LIMIT = 1000;
  private static final Pattern VERSION_LIKE_ALIAS = Pattern.compile("v\\d+");
  private static final List<String> CHILD_TABLES =
      List.of(
          "registered_model_tags",
          "registered_model_aliases",
          "model_version_tags",
          "model_versions");

  private final Database database;

  public RegisteredModelStore(Database database) {
    this.database = requireNonNull(database, "database is null");
  }

  public RegisteredModel create(String name, String description, List<RegisteredModelTag> tags) {
    Validation.require("name", name);
    return database.transaction(
        connection -> {
          if (ModelReader.model(connection, name).isPresent()) {
            throw MlflowErrors.alreadyExists("Registered Model (name=%s) already exists.", name);
          }
          long now = System.currentTimeMillis();
          Sql.update(
              connection,
              "INSERT INTO registered_models VALUES (?, ?, ?, ?)",
              name,
              now,
              now,
              description == null || description.isEmpty() ? null : description);
          for (RegisteredModelTag tag : tags) {
            putTag(connection, name, tag.getKey(), tag.getValue());
          }
          return ModelReader.requireModel(connection, name);
        });
  }

  public RegisteredModel get(String name) {
    return database.read(connection -> ModelReader.requireModel(connection, name));
  }

  public RegisteredModel rename(String name, String newName) {
    Validation.require("new_name", newName);
    return database.transaction(
        connection -> {
          ModelReader.requireModel(connection, name);
          if (ModelReader.model(connection, newName).isPresent()) {
            throw MlflowErrors.alreadyExists("Registered Model (name=%s) already exists.", newName);
          }
          Sql.update(
              connection,
              "UPDATE registered_models SET name = ?, last_updated_time = ? WHERE name = ?",
              newName,
              System.currentTimeMillis(),
              name);
          for (String table : CHILD_TABLES) {
            Sql.update(
                connection, "UPDATE " + table + " SET name = ? WHERE name = ?", newName, name);
          }
          return ModelReader.requireModel(connection, newName);
        });
  }

  public RegisteredModel update(String name, String description) {
    return database.transaction(
        connection -> {
          ModelReader.requireModel(connection, name);
          Sql.update(
              connection,
              "UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?",
              description,
              System.currentTimeMillis(),
              name);
          return ModelReader.requireModel(connection, name);
        });
  }

  public void delete(String name) {
    database.transaction(
        connection -> {
          ModelReader.requireModel(connection, name);
          for (String table : CHILD_TABLES) {
            Sql.update(connection, "DELETE FROM " + table + " WHERE name = ?", name);
          }
          return Sql.update(connection, "DELETE FROM registered_models WHERE name = ?", name);
        });
  }

  public Page<RegisteredModel> search(SearchRequest request) {
    Searches.Plan plan =
        Searches.plan(
            SearchSchema.REGISTERED_MODELS, request, OrderBy.by(Entity.ATTRIBUTE, "name", true));
    List<RegisteredModel> models =
        database.read(
            connection -> {
              List<RegisteredModel> all = new ArrayList<>();
              for (String name :
                  Sql.query(
                      connection, "SELECT name FROM registered_models", r -> r.getString(1))) {
                all.add(ModelReader.requireModel(connection, name));
              }
              return all;
            });
    return plan.page(models, RegisteredModelStore::doc, SEARCH_LIMIT);
  }

  public void setTag(String name, String key, String value) {
    Validation.checkKey("key", key);
    database.transaction(
        connection -> {
          ModelReader.requireModel(connection, name);
          putTag(connection, name, key, value);
          return touch(connection, name);
        });
  }

  public void deleteTag(String name, String key) {
    Validation.require("key", key);
    database.transaction(
        connection -> {
          ModelReader.requireModel(connection, name);
          return Sql.update(
              connection,
              "DELETE FROM registered_model_tags WHERE name = ? AND tag_key = ?",
              name,
              key);
        });
  }

  public List<ModelVersion> latestVersions(String name, List<String> stages) {
    List<String> wanted =
        stages.isEmpty() ? ModelReader.STAGES : stages.stream().map(ModelReader::stage).toList();
    return database.read(
        connection -> {
          ModelReader.requireModel(connection, name);
          return ModelReader.latestVersions(connection, name, wanted);
        });
  }

  public void setAlias(String name, String alias, String version) {
    checkAlias(alias);
    database.transaction(
        connection -> {
          ModelReader.requireVersion(connection, name, version);
          Sql.update(
              connection,
              "INSERT INTO registered_model_aliases VALUES (?, ?, ?) "
                  + "ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version",
              name,
              alias,
              ModelReader.versionNumber(version));
          return null;
        });
  }

  public void deleteAlias(String name, String alias) {
    Validation.require("alias", alias);
    database.transaction(
        connection -> {
          ModelReader.requireModel(connection, name);
          return Sql.update(
              connection,
              "DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?",
              name,
              alias);
        });
  }

  public ModelVersion versionByAlias(String name, String alias) {
    Validation.require("alias", alias);
    return database.read(
        connection -> {
          ModelReader.requireModel(connection, name);
          Integer version =
              Sql.queryOne(
                      connection,
                      "SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?",
                      row -> row.getInt(1),
                      name,
                      alias)
                  .orElseThrow(() -> MlflowErrors.aliasNotFound(alias));
          return ModelReader.requireVersion(connection, name, String.valueOf(version));
        });
  }

  static int touch(Connection connection, String name) throws SQLException {
    return Sql.update(
        connection,
        "UPDATE registered_models SET last_updated_time = ? WHERE name = ?",
        System.currentTimeMillis(),
        name);
  }

  private static void putTag(Connection connection, String name, String key, String value)
      throws SQLException {
    Validation.checkKey("key", key);
    Sql.update(
        connection,
        "INSERT INTO registered_model_tags VALUES (?, ?, ?) "
            + "ON CONFLICT (name, tag_key) DO UPDATE SET tag_value = excluded.tag_value",
        name,
        key,
        value);
  }

  private static void checkAlias(String alias) {
    Validation.require("alias", alias);
    if (alias.equalsIgnoreCase("latest") || VERSION_LIKE_ALIAS.matcher(alias).matches()) {
      throw MlflowErrors.invalidParameter("'%s' alias name (case insensitive) is reserved.", alias);
    }
  }

  private static SearchDoc doc(RegisteredModel model) {
    Map<String, Object> attributes = new HashMap<>();
    attributes.put("name", model.getName());
    attributes.put("creation_timestamp", model.getCreationTimestamp());
    attributes.put("last_updated_timestamp", model.getLastUpdatedTimestamp());
    return SearchDoc.of(
        attributes,
        Searches.tags(
            model.getTagsList(), RegisteredModelTag::getKey, RegisteredModelTag::getValue));
  }
}
