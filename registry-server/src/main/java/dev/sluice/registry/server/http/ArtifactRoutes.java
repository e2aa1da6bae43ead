/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.http;

import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.api.MlflowErrors;
import dev.sluice.registry.server.store.RunStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mlflow.api.proto.MlflowArtifacts;
import org.mlflow.api.proto.Service.FileInfo;
import org.mlflow.api.proto.Service.ListArtifacts;
import org.mlflow.api.proto.Service.Run;

/**
 * Artifacts: the mlflow-artifacts proxy API (upload, download, delete, list) over local storage,
 * and the tracking API's run artifact listing.
 */
final class ArtifactRoutes {
  static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";
  static final String SERVED_SCHEME = "mlflow-artifacts:";
  private static final List<String> ENCODED_TRICKS = List.of("%2e", "%2f", "%5c", "%00");

  private final Optional<ArtifactFiles> files;
  private final RunStore runs;
  private final long maxArtifactBytes;

  ArtifactRoutes(Optional<ArtifactFiles> files, RunStore runs, long maxArtifactBytes) {
    this.files = requireNonNull(files, "files is null");
    this.runs = requireNonNull(runs, "runs is null");
    this.maxArtifactBytes = maxArtifactBytes;
  }

  void register(Javalin app, Endpoints endpoints) {
    endpoints.bind(
        "artifacts/list",
        ListArtifacts::newBuilder,
        r -> listRunArtifacts(RunStore.runId(r.getRunId(), r.getRunUuid()), r.getPath()),
        HandlerType.GET);
    if (files.isEmpty()) {
      return;
    }
    ArtifactFiles storage = files.get();
    app.get(
        ARTIFACTS,
        ctx -> {
          String path = ctx.queryParam("path");
          MlflowArtifacts.ListArtifacts.Response.Builder response =
              MlflowArtifacts.ListArtifacts.Response.newBuilder();
          for (ArtifactFiles.Entry entry : storage.list(path == null ? "" : path)) {
            MlflowArtifacts.FileInfo.Builder info =
                MlflowArtifacts.FileInfo.newBuilder().setPath(entry.name()).setIsDir(entry.isDir());
            if (!entry.isDir()) {
              info.setFileSize(entry.size());
            }
            response.addFiles(info);
          }
          Endpoints.respond(ctx, response);
        });
    app.put(
        ARTIFACTS + "/<path>",
        ctx -> {
          if (ctx.contentLength() > maxArtifactBytes) {
            throw MlflowErrors.tooLarge(maxArtifactBytes);
          }
          storage.write(checkedPath(ctx), ctx.req().getInputStream(), maxArtifactBytes);
          Endpoints.respond(ctx, MlflowArtifacts.UploadArtifact.Response.getDefaultInstance());
        });
    app.get(
        ARTIFACTS + "/<path>",
        ctx -> {
          Path file = storage.file(checkedPath(ctx));
          ctx.contentType("application/octet-stream").result(Files.newInputStream(file));
        });
    app.delete(
        ARTIFACTS + "/<path>",
        ctx -> {
          storage.delete(checkedPath(ctx));
          Endpoints.respond(ctx, MlflowArtifacts.DeleteArtifact.Response.getDefaultInstance());
        });
  }

  private ListArtifacts.Response.Builder listRunArtifacts(String runId, String path) {
    Run run = runs.get(runId);
    String root = run.getInfo().getArtifactUri();
    ListArtifacts.Response.Builder response = ListArtifacts.Response.newBuilder().setRootUri(root);
    if (files.isEmpty() || !root.startsWith(SERVED_SCHEME)) {
      return response;
    }
    String runRoot = root.substring(SERVED_SCHEME.length()).replaceFirst("^/+", "");
    String prefix = path == null || path.isEmpty() ? "" : path.replaceFirst("/+$", "") + "/";
    String directory = prefix.isEmpty() ? runRoot : runRoot + "/" + prefix;
    for (ArtifactFiles.Entry entry : files.get().list(directory)) {
      FileInfo.Builder info =
          FileInfo.newBuilder().setPath(prefix + entry.name()).setIsDir(entry.isDir());
      if (!entry.isDir()) {
        info.setFileSize(entry.size());
      }
      response.addFiles(info);
    }
    return response;
  }

  /** The decoded artifact path, refusing percent-encoded dots, slashes, backslashes and NUL. */
  private static String checkedPath(Context ctx) {
    String raw = ctx.req().getRequestURI().toLowerCase(Locale.ROOT);
    if (ENCODED_TRICKS.stream().anyMatch(raw::contains)) {
      throw MlflowErrors.invalidParameter("Invalid artifact path: '%s'", ctx.req().getRequestURI());
    }
    return ctx.pathParam("path");
  }
}
