/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import org.mlflow_project.google.gson.JsonElement;
import org.mlflow_project.google.gson.JsonObject;

/**
 * A run's artifacts behind an {@code mlflow-artifacts:} URI, through the tracking server's {@code
 * /api/2.0/mlflow-artifacts/artifacts} API (what MLflow's {@code --serve-artifacts} and the
 * embedded server offer).
 */
final class HttpArtifactStore implements ArtifactStore {
  private final MlflowHttp http;
  private final String runRoot;

  /**
   * @param runRoot the run's artifact root relative to the artifacts API, e.g. {@code
   *     1/<run>/artifacts}
   */
  HttpArtifactStore(MlflowHttp http, String runRoot) {
    this.http = requireNonNull(http, "http is null");
    this.runRoot = requireNonNull(runRoot, "runRoot is null");
  }

  /**
   * The run root of an {@code mlflow-artifacts:/...} or {@code mlflow-artifacts://host/...} URI.
   */
  static String runRoot(String artifactUri) {
    String rest = artifactUri.substring(MlflowModelRegistry.SERVED_SCHEME.length());
    if (rest.startsWith("//")) {
      int slash = rest.indexOf('/', 2);
      rest = slash < 0 ? "" : rest.substring(slash);
    }
    return ArtifactStore.join(rest);
  }

  @Override
  public void upload(Path localDirectory, String artifactPath) {
    for (String relative : ArtifactStore.relativeFiles(localDirectory)) {
      http.uploadArtifact(
          ArtifactStore.join(runRoot, artifactPath, relative), localDirectory.resolve(relative));
    }
  }

  @Override
  public int download(String artifactPath, Path localDirectory) {
    return downloadTree(ArtifactStore.join(runRoot, artifactPath), "", localDirectory);
  }

  private int downloadTree(String directory, String relative, Path localDirectory) {
    MlflowHttp.Answer answer = http.listArtifacts(directory);
    if (answer.body().isEmpty() && answer.failure().orElseThrow().notFound()) {
      return 0;
    }
    JsonObject listing = answer.orThrow("listing of artifacts " + directory, http.host());
    int count = 0;
    if (!listing.has("files")) {
      return 0;
    }
    for (JsonElement element : listing.getAsJsonArray("files")) {
      JsonObject file = element.getAsJsonObject();
      String name = basename(file.get("path").getAsString());
      String child = ArtifactStore.join(relative, name);
      if (file.has("is_dir") && file.get("is_dir").getAsBoolean()) {
        count += downloadTree(ArtifactStore.join(directory, name), child, localDirectory);
      } else {
        http.downloadArtifact(
            ArtifactStore.join(directory, name), ArtifactStore.target(localDirectory, child));
        count++;
      }
    }
    return count;
  }

  /** MLflow lists basenames; some servers give paths relative to the listed root. */
  private static String basename(String path) {
    String trimmed = path.replaceAll("/+$", "");
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }
}
