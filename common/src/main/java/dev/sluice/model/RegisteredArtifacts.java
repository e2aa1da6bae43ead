/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import dev.sluice.error.PipelineErrors;
import dev.sluice.registry.ModelRegistry;
import dev.sluice.registry.ModelVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Model artifacts of registered versions, fetched from the registry and verified before use: every
 * file against the manifest, and the model content against the digest the version was registered
 * (and, once it passed the gate, validated) with.
 */
public final class RegisteredArtifacts {
  private RegisteredArtifacts() {}

  /**
   * The digest a version must have: the validated one once it passed the gate, else the registered.
   */
  public static String expectedDigest(ModelVersion version) {
    String registered = version.tags().get(ModelTags.MODEL_DIGEST);
    String validated = version.tags().get(ModelTags.VALIDATED_DIGEST);
    String label = version.name() + " version " + version.version();
    if (registered == null && validated == null) {
      throw PipelineErrors.artifactInvalid(
          label,
          "the version carries no " + ModelTags.MODEL_DIGEST + " tag, so it cannot be verified");
    }
    if (registered != null && validated != null && !registered.equals(validated)) {
      throw PipelineErrors.artifactInvalid(
          label,
          String.format(
              "its %s tag %s differs from its %s tag %s",
              ModelTags.MODEL_DIGEST, registered, ModelTags.VALIDATED_DIGEST, validated));
    }
    return validated != null ? validated : registered;
  }

  /**
   * Downloads the version's {@code model/} artifact below {@code workDir} and verifies it; a
   * changed, missing or extra file, or another digest, is refused (exit 4).
   */
  public static ModelArtifact fetch(ModelRegistry registry, ModelVersion version, Path workDir) {
    String expected = expectedDigest(version);
    String runId =
        version
            .runId()
            .orElseThrow(
                () ->
                    PipelineErrors.artifactInvalid(
                        version.name() + " version " + version.version(),
                        "the version names no run, so its artifact cannot be found"));
    Path dir = workDir.resolve(version.name() + "-v" + version.version());
    try {
      Files.createDirectories(workDir);
      if (Files.exists(dir)) {
        LocalFiles.deleteRecursively(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare " + dir, e);
    }
    registry.downloadArtifacts(runId, ModelTags.MODEL_ARTIFACT_PATH, dir);
    return ModelArtifact.verify(dir, expected);
  }
}
