/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static java.util.Objects.requireNonNull;

import dev.sluice.error.PipelineErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A verified, immutable model artifact: a local directory holding an MLlib {@link PipelineModel}
 * under {@code sparkml/}, the MLflow files that let MLflow (and PySpark) load it ({@code MLmodel},
 * {@code conda.yaml}, {@code python_env.yaml}, {@code requirements.txt}) and {@code manifest.json},
 * which lists the SHA-256 of every other file and the model digest.
 *
 * <p>The <em>digest</em> ({@code sha256:<hex>}) is the model's identity: it covers only the
 * canonical content of {@code sparkml/} (see {@link #digestOf(Path)}), so two identical trainings
 * share it whatever their run ids and times. An instance exists only after its directory matched
 * its manifest and the recomputed digest matched the manifest's.
 */
public final class ModelArtifact {
  private static final Logger LOG = LoggerFactory.getLogger(ModelArtifact.class);

  /** The directory, relative to the artifact, where the MLlib model is saved. */
  public static final String MODEL_DATA = "sparkml";

  private final Path dir;
  private final String digest;
  private final SortedMap<String, String> files;

  private ModelArtifact(Path dir, String digest, SortedMap<String, String> files) {
    this.dir = requireNonNull(dir, "dir is null");
    this.digest = requireNonNull(digest, "digest is null");
    this.files = requireNonNull(files, "files is null");
  }

  /**
   * Saves {@code model} under {@code dir/sparkml} with Spark's file system (Hadoop's {@code .crc}
   * and {@code _SUCCESS} files removed), writes the MLflow files and the manifest, and returns the
   * verified artifact. {@code dir} must not exist or be empty: nothing is overwritten.
   */
  public static ModelArtifact write(PipelineModel model, Path dir, ArtifactInfo info) {
    requireNonNull(model, "model is null");
    requireNonNull(info, "info is null");
    Path target = dir.toAbsolutePath();
    createEmpty(target);
    Path modelDir = target.resolve(MODEL_DATA);
    try {
      model.write().save(modelDir.toUri().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save the model to " + modelDir, e);
    }
    deleteHadoopBookkeeping(target);
    String sparkVersion = org.apache.spark.package$.MODULE$.SPARK_VERSION();
    long modelSizeBytes = sizeBytes(modelDir);
    MlflowFiles.writeEnvironment(target, sparkVersion);
    MlflowFiles.writeMlModel(target, MODEL_DATA, info, sparkVersion, modelSizeBytes);
    new Manifest(ModelDigest.of(modelDir), Manifest.hashFiles(target)).write(target);
    ModelArtifact artifact = verify(target);
    LOG.info("Wrote model artifact {} with digest {}", target, artifact.digest());
    return artifact;
  }

  /**
   * Verifies the artifact in {@code dir}: every manifest entry is present with its hash, no file is
   * unlisted, and the model digest recomputed from {@code sparkml/} equals the manifest's.
   *
   * @throws dev.sluice.error.SluiceException (exit 4) naming each offending file, or both digests
   */
  public static ModelArtifact verify(Path dir) {
    Path target = dir.toAbsolutePath();
    if (!Files.isDirectory(target)) {
      throw PipelineErrors.artifactInvalid(target.toString(), "it is not a directory");
    }
    Manifest manifest = Manifest.read(target);
    List<String> problems = manifest.problems(target);
    if (!problems.isEmpty()) {
      throw PipelineErrors.artifactInvalid(target.toString(), String.join("; ", problems));
    }
    Path modelDir = target.resolve(MODEL_DATA);
    if (!Files.isDirectory(modelDir)) {
      throw PipelineErrors.artifactInvalid(target.toString(), "it has no " + MODEL_DATA + "/");
    }
    String actual = ModelDigest.of(modelDir);
    if (!actual.equals(manifest.digest())) {
      throw PipelineErrors.artifactInvalid(
          target.toString(),
          String.format(
              "its model digest is %s, the manifest lists %s", actual, manifest.digest()));
    }
    return new ModelArtifact(target, actual, manifest.files());
  }

  /**
   * {@link #verify(Path)}, and requires the digest to equal {@code expectedDigest} (e.g. the one
   * the registry recorded for the version).
   */
  public static ModelArtifact verify(Path dir, String expectedDigest) {
    requireNonNull(expectedDigest, "expectedDigest is null");
    ModelArtifact artifact = verify(dir);
    if (!artifact.digest().equals(expectedDigest)) {
      throw PipelineErrors.artifactInvalid(
          artifact.dir().toString(),
          String.format("its model digest is %s, expected %s", artifact.digest(), expectedDigest));
    }
    return artifact;
  }

  /**
   * The digest of an MLlib model saved under {@code modelDir}: {@code sha256:} and the hex SHA-256
   * of its canonical content (rules in {@link ModelDigest} and docs/models.md).
   */
  public static String digestOf(Path modelDir) {
    return ModelDigest.of(modelDir.toAbsolutePath());
  }

  /**
   * Verifies the directory again (it may have changed since) and loads the model with {@code
   * spark}.
   */
  public PipelineModel load(SparkSession spark) {
    requireNonNull(spark, "spark is null");
    verify(dir, digest);
    return PipelineModel.read().session(spark).load(dir.resolve(MODEL_DATA).toUri().toString());
  }

  /** The columns the model reads: its MLmodel signature's inputs, in order. */
  public List<String> inputColumns() {
    return MlflowFiles.inputColumns(dir);
  }

  /** {@code sha256:<hex>} of the canonical model content. */
  public String digest() {
    return digest;
  }

  /** The artifact's absolute directory. */
  public Path dir() {
    return dir;
  }

  /** Every file but the manifest: relative path ({@code /}) to hex SHA-256, sorted by path. */
  public SortedMap<String, String> files() {
    return files;
  }

  @Override
  public String toString() {
    return "ModelArtifact[" + dir + ", " + digest + "]";
  }

  private static void createEmpty(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> children = Files.list(dir)) {
          if (children.findAny().isPresent()) {
            throw new IllegalArgumentException(
                String.format("Cannot write a model artifact to %s: it is not empty", dir));
          }
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + dir, e);
    }
  }

  private static void deleteHadoopBookkeeping(Path dir) {
    for (String relative : Checksums.relativeFiles(dir)) {
      Path file = dir.resolve(relative);
      if (ModelDigest.isHadoopBookkeeping(file.getFileName().toString())) {
        try {
          Files.delete(file);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot delete " + file, e);
        }
      }
    }
  }

  private static long sizeBytes(Path dir) {
    long total = 0;
    for (String relative : Checksums.relativeFiles(dir)) {
      try {
        total += Files.size(dir.resolve(relative));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the size of " + dir.resolve(relative), e);
      }
    }
    return total;
  }
}
