/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.error.SluiceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The canonicalization rules of the model digest, on hand-made model directories. */
class TestModelArtifactDigest {
  private static final String METADATA =
      "{\"class\":\"org.apache.spark.ml.PipelineModel\",\"timestamp\":%s,\"sparkVersion\":\"3.5.9\","
          + "\"uid\":\"pipe\",\"paramMap\":{\"stageUids\":[\"lr\"]},\"defaultParamMap\":{}}\n";

  @TempDir Path work;

  @Test
  void digestIsTheDocumentedHashOfCanonicalPathsAndHashes() throws IOException {
    Path model = work.resolve("sparkml");
    write(model.resolve("metadata/part-00000"), String.format(METADATA, 1));
    write(model.resolve("stages/0_lr/data/part-00000-aaaa-c000.snappy.parquet"), "rows-b");
    write(model.resolve("stages/0_lr/data/part-00001-bbbb-c000.snappy.parquet"), "rows-a");

    String canonicalMetadata =
        "{\"class\":\"org.apache.spark.ml.PipelineModel\",\"defaultParamMap\":{},"
            + "\"paramMap\":{\"stageUids\":[\"lr\"]},\"sparkVersion\":\"3.5.9\",\"uid\":\"pipe\"}";
    String expected =
        "metadata/part-00000\t"
            + sha256(canonicalMetadata)
            + "\n"
            + "stages/0_lr/data/part-0\t"
            + min(sha256("rows-a"), sha256("rows-b"))
            + "\n"
            + "stages/0_lr/data/part-1\t"
            + max(sha256("rows-a"), sha256("rows-b"))
            + "\n";
    assertThat(ModelArtifact.digestOf(model)).isEqualTo("sha256:" + sha256(expected));
  }

  @Test
  void timestampsPartFileNamesKeyOrderAndHadoopFilesDoNotCount() throws IOException {
    Path first = work.resolve("first");
    write(first.resolve("metadata/part-00000"), String.format(METADATA, 1000));
    write(first.resolve("data/part-00000-1111-c000.snappy.parquet"), "rows");
    Path second = work.resolve("second");
    write(
        second.resolve("metadata/part-00000"),
        "{\"uid\":\"pipe\",\"defaultParamMap\":{},\"paramMap\":{\"stageUids\":[\"lr\"]},"
            + "\"sparkVersion\":\"3.5.9\",\"timestamp\":2000,"
            + "\"class\":\"org.apache.spark.ml.PipelineModel\"}\n");
    write(second.resolve("data/part-00000-2222-c000.snappy.parquet"), "rows");
    write(second.resolve("data/_SUCCESS"), "");
    write(second.resolve("data/.part-00000-2222-c000.snappy.parquet.crc"), "crc");

    assertThat(ModelArtifact.digestOf(second)).isEqualTo(ModelArtifact.digestOf(first));
  }

  @Test
  void paramsDataAndStageNamesDoCount() throws IOException {
    Path base = work.resolve("base");
    write(base.resolve("stages/0_lr/metadata/part-00000"), String.format(METADATA, 1));
    write(base.resolve("stages/0_lr/data/part-00000-1111-c000.snappy.parquet"), "rows");
    String digest = ModelArtifact.digestOf(base);

    Path params = work.resolve("params");
    write(
        params.resolve("stages/0_lr/metadata/part-00000"),
        String.format(METADATA, 1).replace("[\"lr\"]", "[\"lr2\"]"));
    write(params.resolve("stages/0_lr/data/part-00000-1111-c000.snappy.parquet"), "rows");
    Path data = work.resolve("data");
    write(data.resolve("stages/0_lr/metadata/part-00000"), String.format(METADATA, 1));
    write(data.resolve("stages/0_lr/data/part-00000-1111-c000.snappy.parquet"), "rowz");
    Path stage = work.resolve("stage");
    write(stage.resolve("stages/0_lr2/metadata/part-00000"), String.format(METADATA, 1));
    write(stage.resolve("stages/0_lr2/data/part-00000-1111-c000.snappy.parquet"), "rows");

    assertThat(ModelArtifact.digestOf(params)).as("params").isNotEqualTo(digest);
    assertThat(ModelArtifact.digestOf(data)).as("data").isNotEqualTo(digest);
    assertThat(ModelArtifact.digestOf(stage)).as("stage uid").isNotEqualTo(digest);
  }

  @Test
  void metadataThatIsNotJsonIsRefused() throws IOException {
    Path model = work.resolve("sparkml");
    write(model.resolve("metadata/part-00000"), "{\"class\":");

    assertThatThrownBy(() -> ModelArtifact.digestOf(model))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("metadata file metadata/part-00000 is not JSON");
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String min(String a, String b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String max(String a, String b) {
    return a.compareTo(b) <= 0 ? b : a;
  }
}
