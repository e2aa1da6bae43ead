/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.http;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.store.ModelVersionStore;
import dev.sluice.registry.server.store.Page;
import dev.sluice.registry.server.store.RegisteredModelStore;
import dev.sluice.registry.server.store.SearchRequest;
import org.mlflow.api.proto.ModelRegistry.CreateModelVersion;
import org.mlflow.api.proto.ModelRegistry.CreateRegisteredModel;
import org.mlflow.api.proto.ModelRegistry.DeleteModelVersion;
import org.mlflow.api.proto.ModelRegistry.DeleteModelVersionTag;
import org.mlflow.api.proto.ModelRegistry.DeleteRegisteredModel;
import org.mlflow.api.proto.ModelRegistry.DeleteRegisteredModelAlias;
import org.mlflow.api.proto.ModelRegistry.DeleteRegisteredModelTag;
import org.mlflow.api.proto.ModelRegistry.GetLatestVersions;
import org.mlflow.api.proto.ModelRegistry.GetModelVersion;
import org.mlflow.api.proto.ModelRegistry.GetModelVersionByAlias;
import org.mlflow.api.proto.ModelRegistry.GetModelVersionDownloadUri;
import org.mlflow.api.proto.ModelRegistry.GetRegisteredModel;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.ModelRegistry.RenameRegisteredModel;
import org.mlflow.api.proto.ModelRegistry.SearchModelVersions;
import org.mlflow.api.proto.ModelRegistry.SearchRegisteredModels;
import org.mlflow.api.proto.ModelRegistry.SetModelVersionTag;
import org.mlflow.api.proto.ModelRegistry.SetRegisteredModelAlias;
import org.mlflow.api.proto.ModelRegistry.SetRegisteredModelTag;
import org.mlflow.api.proto.ModelRegistry.TransitionModelVersionStage;
import org.mlflow.api.proto.ModelRegistry.UpdateModelVersion;
import org.mlflow.api.proto.ModelRegistry.UpdateRegisteredModel;

/** The model registry API: registered models, aliases and model versions. */
final class ModelRegistryRoutes {
  private static final long DEFAULT_MAX_MODELS = 100;
  private static final long DEFAULT_MAX_VERSIONS = 10_000;

  private final RegisteredModelStore models;
  private final ModelVersionStore versions;

  ModelRegistryRoutes(RegisteredModelStore models, ModelVersionStore versions) {
    this.models = requireNonNull(models, "models is null");
    this.versions = requireNonNull(versions, "versions is null");
  }

  void register(Endpoints endpoints) {
    registerModels(endpoints);
    registerAliases(endpoints);
    registerVersions(endpoints);
    registerVersionChanges(endpoints);
  }

  private void registerModels(Endpoints endpoints) {
    String path = "registered-models/";
    endpoints.bind(
        path + "create",
        CreateRegisteredModel::newBuilder,
        r ->
            CreateRegisteredModel.Response.newBuilder()
                .setRegisteredModel(
                    models.create(r.getName(), r.getDescription(), r.getTagsList())),
        POST);
    endpoints.bind(
        path + "get",
        GetRegisteredModel::newBuilder,
        r -> GetRegisteredModel.Response.newBuilder().setRegisteredModel(models.get(r.getName())),
        GET);
    endpoints.bind(
        path + "rename",
        RenameRegisteredModel::newBuilder,
        r ->
            RenameRegisteredModel.Response.newBuilder()
                .setRegisteredModel(models.rename(r.getName(), r.getNewName())),
        POST);
    endpoints.bind(
        path + "update",
        UpdateRegisteredModel::newBuilder,
        r ->
            UpdateRegisteredModel.Response.newBuilder()
                .setRegisteredModel(
                    models.update(r.getName(), r.hasDescription() ? r.getDescription() : null)),
        PATCH);
    endpoints.bind(
        path + "delete",
        DeleteRegisteredModel::newBuilder,
        r -> {
          models.delete(r.getName());
          return DeleteRegisteredModel.Response.getDefaultInstance();
        },
        DELETE);
    endpoints.bind(
        path + "search",
        SearchRegisteredModels::newBuilder,
        r -> {
          Page<RegisteredModel> page =
              models.search(
                  new SearchRequest(
                      r.getFilter(),
                      r.getOrderByList(),
                      r.getPageToken(),
                      r.hasMaxResults() ? r.getMaxResults() : DEFAULT_MAX_MODELS));
          SearchRegisteredModels.Response.Builder response =
              SearchRegisteredModels.Response.newBuilder().addAllRegisteredModels(page.items());
          page.nextPageToken().ifPresent(response::setNextPageToken);
          return response;
        },
        GET,
        POST);
    endpoints.bind(
        path + "set-tag",
        SetRegisteredModelTag::newBuilder,
        r -> {
          models.setTag(r.getName(), r.getKey(), r.getValue());
          return SetRegisteredModelTag.Response.getDefaultInstance();
        },
        POST);
    endpoints.bind(
        path + "delete-tag",
        DeleteRegisteredModelTag::newBuilder,
        r -> {
          models.deleteTag(r.getName(), r.getKey());
          return DeleteRegisteredModelTag.Response.getDefaultInstance();
        },
        DELETE);
    endpoints.bind(
        path + "get-latest-versions",
        GetLatestVersions::newBuilder,
        r ->
            GetLatestVersions.Response.newBuilder()
                .addAllModelVersions(models.latestVersions(r.getName(), r.getStagesList())),
        GET,
        POST);
  }

  private void registerAliases(Endpoints endpoints) {
    String path = "registered-models/alias";
    endpoints.bind(
        path,
        SetRegisteredModelAlias::newBuilder,
        r -> {
          models.setAlias(r.getName(), r.getAlias(), r.getVersion());
          return SetRegisteredModelAlias.Response.getDefaultInstance();
        },
        POST);
    endpoints.bind(
        path,
        DeleteRegisteredModelAlias::newBuilder,
        r -> {
          models.deleteAlias(r.getName(), r.getAlias());
          return DeleteRegisteredModelAlias.Response.getDefaultInstance();
        },
        DELETE);
    endpoints.bind(
        path,
        GetModelVersionByAlias::newBuilder,
        r ->
            GetModelVersionByAlias.Response.newBuilder()
                .setModelVersion(models.versionByAlias(r.getName(), r.getAlias())),
        GET);
  }

  private void registerVersions(Endpoints endpoints) {
    String path = "model-versions/";
    endpoints.bind(
        path + "create",
        CreateModelVersion::newBuilder,
        r -> CreateModelVersion.Response.newBuilder().setModelVersion(versions.create(r.build())),
        POST);
    endpoints.bind(
        path + "get",
        GetModelVersion::newBuilder,
        r ->
            GetModelVersion.Response.newBuilder()
                .setModelVersion(versions.get(r.getName(), r.getVersion())),
        GET);
    endpoints.bind(
        path + "search",
        SearchModelVersions::newBuilder,
        r -> {
          Page<ModelVersion> page =
              versions.search(
                  new SearchRequest(
                      r.getFilter(),
                      r.getOrderByList(),
                      r.getPageToken(),
                      r.hasMaxResults() ? r.getMaxResults() : DEFAULT_MAX_VERSIONS));
          SearchModelVersions.Response.Builder response =
              SearchModelVersions.Response.newBuilder().addAllModelVersions(page.items());
          page.nextPageToken().ifPresent(response::setNextPageToken);
          return response;
        },
        GET,
        POST);
    endpoints.bind(
        path + "get-download-uri",
        GetModelVersionDownloadUri::newBuilder,
        r ->
            GetModelVersionDownloadUri.Response.newBuilder()
                .setArtifactUri(versions.downloadUri(r.getName(), r.getVersion())),
        GET);
  }

  private void registerVersionChanges(Endpoints endpoints) {
    String path = "model-versions/";
    endpoints.bind(
        path + "update",
        UpdateModelVersion::newBuilder,
        r ->
            UpdateModelVersion.Response.newBuilder()
                .setModelVersion(
                    versions.update(
                        r.getName(),
                        r.getVersion(),
                        r.hasDescription() ? r.getDescription() : null)),
        PATCH);
    endpoints.bind(
        path + "delete",
        DeleteModelVersion::newBuilder,
        r -> {
          versions.delete(r.getName(), r.getVersion());
          return DeleteModelVersion.Response.getDefaultInstance();
        },
        DELETE);
    endpoints.bind(
        path + "set-tag",
        SetModelVersionTag::newBuilder,
        r -> {
          versions.setTag(r.getName(), r.getVersion(), r.getKey(), r.getValue());
          return SetModelVersionTag.Response.getDefaultInstance();
        },
        POST);
    endpoints.bind(
        path + "delete-tag",
        DeleteModelVersionTag::newBuilder,
        r -> {
          versions.deleteTag(r.getName(), r.getVersion(), r.getKey());
          return DeleteModelVersionTag.Response.getDefaultInstance();
        },
        DELETE);
    endpoints.bind(
        path + "transition-stage",
        TransitionModelVersionStage::newBuilder,
        r ->
            TransitionModelVersionStage.Response.newBuilder()
                .setModelVersion(
                    versions.transitionStage(
                        r.getName(), r.getVersion(), r.getStage(), r.getArchiveExistingVersions())),
        POST);
  }
}
