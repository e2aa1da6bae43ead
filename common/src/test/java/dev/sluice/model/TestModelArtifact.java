/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.error.SluiceException;
import dev.sluice.testing.SparkTestBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestModelArtifact extends SparkTestBase {
  private static final StructType INPUTS =
      new StructType()
          .add("plan", DataTypes.StringType)
          .add("tenure_days", DataTypes.LongType)
          .add("spend", DataTypes.DoubleType);
  private static final StructType OUTPUTS =
      new StructType().add("prediction", DataTypes.DoubleType);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir static Path shared;
  private static Dataset<Row> data;
  private static PipelineModel model;
  private static ModelArtifact artifact;

  @TempDir Path work;

  @BeforeAll
  static void writeOneArtifact() {
    List<Row> rows = new ArrayList<>();
    String[] plans = {"basic", "pro", "team"};
    for (int i = 0; i < 40; i++) {
      double spend = (i * 37 % 23) + 0.5 * (i % 3);
      double label = (spend + (i % 3) * 4 > 14) ? 1.0 : 0.0;
      rows.add(RowFactory.create(i, plans[i % 3], (long) (i * 11 % 17), spend, label));
    }
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType)
            .add(INPUTS.fields()[0])
            .add(INPUTS.fields()[1])
            .add(INPUTS.fields()[2])
            .add("label", DataTypes.DoubleType);
    data = spark.createDataFrame(rows, schema);
    model = fit("lr", 0.01);
    artifact = ModelArtifact.write(model, shared.resolve("model"), info("run-1", 1_000L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"lr", "rf"})
  void identicalTrainingsShareADigestButNotTheirMlmodel(String classifier) throws IOException {
    ModelArtifact first =
        ModelArtifact.write(fit(classifier, 0.01), work.resolve("a"), info("run-a", 1_000L));
    ModelArtifact second =
        ModelArtifact.write(fit(classifier, 0.01), work.resolve("b"), info("run-b", 2_000L));

    assertThat(second.digest()).as("digest of a retraining").isEqualTo(first.digest());
    assertThat(first.digest()).matches("sha256:[0-9a-f]{64}");
    assertThat(ModelArtifact.digestOf(first.dir().resolve("sparkml"))).isEqualTo(first.digest());
    assertThat(first.files().get("MLmodel"))
        .as("MLmodel carries the run")
        .isNotEqualTo(second.files().get("MLmodel"));
    for (ModelArtifact written : List.of(first, second)) {
      assertThat(written.files()).as("files() are the bytes' SHA-256").isEqualTo(hashAll(written));
      assertThat(written.files().keySet())
          .as("only real content, listed")
          .contains("MLmodel", "conda.yaml", "python_env.yaml", "requirements.txt")
          .noneMatch(path -> path.endsWith(".crc") || path.endsWith("_SUCCESS"))
          .anyMatch(path -> path.matches("sparkml/stages/\\d_" + classifier + "/data/part-.*"));
      JsonNode manifest =
          new ObjectMapper().readTree(written.dir().resolve("manifest.json").toFile());
      assertThat(manifest.get("format").asInt()).isEqualTo(1);
      assertThat(manifest.get("digest").asText()).isEqualTo(written.digest());
      assertThat(new ObjectMapper().convertValue(manifest.get("files"), TreeMap.class))
          .as("manifest files")
          .isEqualTo(written.files());
    }
  }

  @Test
  void dataFilesCountByTheirRowsNotTheirParquetEncoding() throws IOException {
    Dataset<Row> rows =
        spark.sql("SELECT id, CAST(id AS DOUBLE) / 3 AS x, array(4, 4, 6) AS sizes FROM range(50)");
    Path snappy = copyOfModelWithData(rows, "snappy", "true");
    Path gzip = copyOfModelWithData(rows, "gzip", "false");
    Path changed = copyOfModelWithData(rows.where("id <> 7"), "snappy", "true");
    assertThat(ModelArtifact.digestOf(gzip)).isEqualTo(ModelArtifact.digestOf(snappy));
    assertThat(ModelArtifact.digestOf(changed)).isNotEqualTo(ModelArtifact.digestOf(snappy));
  }

  /** The shared model's sparkml/ with its first stage's data replaced by {@code rows}. */
  private Path copyOfModelWithData(Dataset<Row> rows, String codec, String dictionary)
      throws IOException {
    Path copy = work.resolve(codec + dictionary + rows.count());
    Path source = artifact.dir().resolve(ModelArtifact.MODEL_DATA);
    try (var files = Files.walk(source)) {
      for (Path p : files.toList()) {
        Path target = copy.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    Path data;
    try (var dirs = Files.walk(copy.resolve("stages"))) {
      data = dirs.filter(p -> p.getFileName().toString().equals("data")).findFirst().orElseThrow();
    }
    try (var old = Files.list(data)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(data);
    rows.coalesce(1)
        .write()
        .option("compression", codec)
        .option("parquet.enable.dictionary", dictionary)
        .parquet(data.toUri().toString());
    return copy;
  }

  @Test
  void anotherRegParamChangesTheDigest() {
    ModelArtifact other = ModelArtifact.write(fit("lr", 0.5), work.resolve("m"), info("r", 1L));

    assertThat(other.digest()).isNotEqualTo(artifact.digest());
  }

  @Test
  void loadedModelPredictsAsTheOriginal() {
    PipelineModel loaded = ModelArtifact.verify(artifact.dir(), artifact.digest()).load(spark);

    assertThat(predictions(loaded)).as("predictions").isEqualTo(predictions(model));
    assertThat(loaded.stages()).extracting(s -> s.uid()).containsExactly("idx_plan", "asm", "lr");
  }

  @Test
  void mlmodelDescribesTheSparkAndPyfuncFlavors() throws IOException {
    JsonNode mlModel = YAML.readTree(artifact.dir().resolve("MLmodel").toFile());

    JsonNode sparkFlavor = mlModel.path("flavors").path("spark");
    assertThat(sparkFlavor.path("model_data").asText()).isEqualTo("sparkml");
    assertThat(sparkFlavor.path("model_class").asText())
        .isEqualTo("pyspark.ml.pipeline.PipelineModel");
    assertThat(sparkFlavor.path("pyspark_version").asText()).isEqualTo(spark.version());
    assertThat(sparkFlavor.get("code").isNull()).as("code: null").isTrue();
    JsonNode pyfunc = mlModel.path("flavors").path("python_function");
    assertThat(pyfunc.path("loader_module").asText()).isEqualTo("mlflow.spark");
    assertThat(pyfunc.path("data").asText()).isEqualTo("sparkml");
    assertThat(pyfunc.path("env").path("conda").asText()).isEqualTo("conda.yaml");
    assertThat(pyfunc.path("env").path("virtualenv").asText()).isEqualTo("python_env.yaml");
    assertThat(pyfunc.path("python_version").asText()).isEqualTo("3.10");
    assertThat(mlModel.path("artifact_path").asText()).isEqualTo("model");
    assertThat(mlModel.path("run_id").asText()).isEqualTo("run-1");
    assertThat(mlModel.path("utc_time_created").asText()).isEqualTo("1970-01-01 00:00:01.000000");
    assertThat(mlModel.path("model_uuid").asText()).matches("[0-9a-f]{32}");
    assertThat(mlModel.path("mlflow_version").asText()).isEqualTo("2.17.2");
    assertThat(mlModel.path("model_size_bytes").asLong())
        .isEqualTo(sizeOf(artifact.dir().resolve("sparkml")));
    JsonNode inputs =
        new ObjectMapper().readTree(mlModel.path("signature").path("inputs").asText());
    assertThat(inputs.toString())
        .isEqualTo(
            "[{\"type\":\"string\",\"name\":\"plan\",\"required\":false},"
                + "{\"type\":\"long\",\"name\":\"tenure_days\",\"required\":false},"
                + "{\"type\":\"double\",\"name\":\"spend\",\"required\":false}]");
    assertThat(mlModel.path("signature").path("outputs").asText())
        .isEqualTo("[{\"type\":\"double\",\"name\":\"prediction\",\"required\":false}]");
  }

  @Test
  void environmentFilesPinPysparkAndMlflow() throws IOException {
    String pins = "mlflow==2.17.2\npyspark==" + spark.version() + "\n";
    assertThat(Files.readString(artifact.dir().resolve("requirements.txt"))).isEqualTo(pins);
    JsonNode conda = YAML.readTree(artifact.dir().resolve("conda.yaml").toFile());
    assertThat(conda.path("dependencies").get(0).asText()).isEqualTo("python=3.10");
    assertThat(conda.path("dependencies").get(2).path("pip").toString())
        .isEqualTo("[\"mlflow==2.17.2\",\"pyspark==" + spark.version() + "\"]");
    JsonNode pythonEnv = YAML.readTree(artifact.dir().resolve("python_env.yaml").toFile());
    assertThat(pythonEnv.path("python").asText()).isEqualTo("3.10");
    assertThat(pythonEnv.path("dependencies").get(0).asText()).isEqualTo("-r requirements.txt");
  }

  @Test
  void changedDataFileIsRefused() throws IOException {
    Path copy = copyOf(artifact);
    String data = firstFile(copy, "sparkml/stages/2_lr/data/part-");
    flipLastByte(copy.resolve(data));

    assertRefused(copy, "file " + data + " has sha256 ");
  }

  @Test
  void changedMetadataFileIsRefused() throws IOException {
    Path copy = copyOf(artifact);
    flipLastByte(copy.resolve("sparkml/stages/2_lr/metadata/part-00000"));

    assertRefused(copy, "file sparkml/stages/2_lr/metadata/part-00000 has sha256 ");
  }

  @Test
  void changedMlmodelIsRefused() throws IOException {
    Path copy = copyOf(artifact);
    flipLastByte(copy.resolve("MLmodel"));

    assertRefused(copy, "file MLmodel has sha256 ");
  }

  @Test
  void deletedFileIsRefused() throws IOException {
    Path copy = copyOf(artifact);
    Files.delete(copy.resolve("sparkml/metadata/part-00000"));

    assertRefused(copy, "file sparkml/metadata/part-00000 is missing");
  }

  @Test
  void extraFileIsRefused() throws IOException {
    Path copy = copyOf(artifact);
    Files.writeString(copy.resolve("sparkml/stages/notes.txt"), "hello");

    assertRefused(copy, "file sparkml/stages/notes.txt is not in the manifest");
  }

  @Test
  void changedModelWithAMatchingManifestIsRefusedByItsDigest() throws IOException {
    Path copy = copyOf(artifact);
    Path metadata = copy.resolve("sparkml/stages/2_lr/metadata/part-00000");
    Files.writeString(
        metadata, Files.readString(metadata).replace("\"regParam\":0.01", "\"regParam\":0.02"));
    Path manifest = copy.resolve("manifest.json");
    String entry = artifact.files().get("sparkml/stages/2_lr/metadata/part-00000");
    Files.writeString(
        manifest, Files.readString(manifest).replace(entry, sha256(Files.readAllBytes(metadata))));

    assertRefused(copy, "its model digest is sha256:");
    assertThatThrownBy(() -> ModelArtifact.verify(copy))
        .hasMessageContaining("the manifest lists " + artifact.digest());
  }

  @Test
  void wrongExpectedDigestIsRefusedNamingBoth() {
    String expected = "sha256:" + "0".repeat(64);

    assertThatThrownBy(() -> ModelArtifact.verify(artifact.dir(), expected))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("its model digest is " + artifact.digest() + ", expected " + expected)
        .extracting(e -> ((SluiceException) e).exitCode())
        .isEqualTo(4);
  }

  @Test
  void loadVerifiesAgain() throws IOException {
    Path copy = copyOf(artifact);
    ModelArtifact verified = ModelArtifact.verify(copy);
    flipLastByte(copy.resolve("sparkml/stages/2_lr/metadata/part-00000"));

    assertThatThrownBy(() -> verified.load(spark))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("file sparkml/stages/2_lr/metadata/part-00000 has sha256 ");
  }

  @Test
  void writeRefusesANonEmptyDirectory() throws IOException {
    Files.writeString(work.resolve("keep.txt"), "mine");

    assertThatThrownBy(() -> ModelArtifact.write(model, work, info("r", 1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot write a model artifact to %s: it is not empty", work.toAbsolutePath());
    assertThat(Files.readString(work.resolve("keep.txt"))).isEqualTo("mine");
  }

  private static PipelineModel fit(String classifier, double regParam) {
    StringIndexer indexer =
        new StringIndexer("idx_plan").setInputCol("plan").setOutputCol("plan_idx");
    VectorAssembler assembler =
        new VectorAssembler("asm")
            .setInputCols(new String[] {"plan_idx", "tenure_days", "spend"})
            .setOutputCol("features");
    PipelineStage estimator =
        classifier.equals("rf")
            ? new RandomForestClassifier("rf").setNumTrees(3).setMaxDepth(3).setSeed(7L)
            : new LogisticRegression("lr").setMaxIter(20).setRegParam(regParam);
    return new Pipeline("pipe")
        .setStages(new PipelineStage[] {indexer, assembler, estimator})
        .fit(data);
  }

  private static ArtifactInfo info(String runId, long epochMillis) {
    return new ArtifactInfo(runId, Instant.ofEpochMilli(epochMillis), INPUTS, OUTPUTS);
  }

  private static List<Row> predictions(PipelineModel pipeline) {
    return pipeline
        .transform(data)
        .select("id", "prediction", "probability")
        .orderBy("id")
        .collectAsList();
  }

  private static void assertRefused(Path dir, String problem) {
    assertThatThrownBy(() -> ModelArtifact.verify(dir))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Model artifact " + dir.toAbsolutePath() + " is refused: ")
        .hasMessageContaining(problem)
        .extracting(e -> ((SluiceException) e).exitCode())
        .as("exit code")
        .isEqualTo(4);
  }

  /** The SHA-256 of every file but the manifest, computed here independently. */
  private static Map<String, String> hashAll(ModelArtifact written) throws IOException {
    Map<String, String> hashes = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(written.dir())) {
      for (Path file : paths.filter(Files::isRegularFile).toList()) {
        String relative = written.dir().relativize(file).toString().replace('\\', '/');
        if (!relative.equals("manifest.json")) {
          hashes.put(relative, sha256(Files.readAllBytes(file)));
        }
      }
    }
    return hashes;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private String firstFile(Path dir, String prefix) {
    return artifact.files().keySet().stream()
        .filter(path -> path.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No " + prefix + "* in " + dir));
  }

  private Path copyOf(ModelArtifact original) throws IOException {
    Path copy = work.resolve("copy");
    try (Stream<Path> paths = Files.walk(original.dir())) {
      for (Path source : paths.toList()) {
        Path target = copy.resolve(original.dir().relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    return copy;
  }

  private static void flipLastByte(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length - 1] ^= 1;
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
