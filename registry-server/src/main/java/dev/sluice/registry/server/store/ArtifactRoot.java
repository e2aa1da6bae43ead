/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import static java.util.Objects.requireNonNull;

/**
 * Where experiments keep artifacts: {@code mlflow-artifacts:} when this server serves them, or a
 * non-local root such as {@code s3a://bucket/mlflow} that the server only records.
 */
public record ArtifactRoot(String base) {
  public static final ArtifactRoot SERVED = new ArtifactRoot("mlflow-artifacts:");

  public ArtifactRoot {
    requireNonNull(base, "base is null");
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
  }

  /** The default artifact location of experiment {@code experimentId}. */
  String experimentLocation(long experimentId) {
    return base + "/" + experimentId;
  }

  /** The artifact URI of a run: {@code <experiment location>/<run id>/artifacts}. */
  static String runArtifactUri(String experimentLocation, String runId) {
    String location = experimentLocation;
    while (location.endsWith("/")) {
      location = location.substring(0, location.length() - 1);
    }
    return location + "/" + runId + "/artifacts";
  }
}
