/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.snapshot.Fingerprint;
import dev.sluice.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot job end to end with the lake on a real S3 server, over S3A. */
class ITS3Snapshot extends SparkTestBase {
  private static final String BUCKET = "sluice-lake";
  private static final String ROOT = "s3a://" + BUCKET + "/lake";

  @TempDir static Path work;
  private static S3Proxy s3;

  @BeforeAll
  static void startS3() throws Exception {
    assertThat(System.getenv("AWS_EC2_METADATA_DISABLED")).isEqualTo("true");
    s3 = S3Proxy.start(work, List.of(BUCKET));
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void snapshotsALakeOnS3AndReproducesItsFingerprints() throws Exception {
    CliRun sample = CliRun.execute(args("sample-data"));
    assertThat(sample.exitCode()).as(sample.toString()).isZero();

    CliRun snapshot = CliRun.execute(args("snapshot", "--date", TinyLake.END.toString()));

    assertThat(snapshot.exitCode()).as(snapshot.toString()).isZero();
    assertThat(snapshot.summary().path("outputs").get(0).path("table").asText())
        .isEqualTo("snapshots");
    List<Row> pins = spark.read().format("delta").load(ROOT + "/snapshots").collectAsList();
    assertThat(pins).hasSize(3);
    for (Row pin : pins) {
      String location = pin.getAs("location");
      assertThat(location).startsWith(ROOT + "/");
      String recomputed =
          Fingerprint.of(
                  spark
                      .read()
                      .format("delta")
                      .option("versionAsOf", pin.<Long>getAs("delta_version"))
                      .load(location))
              .value();
      assertThat(pin.<String>getAs("fingerprint")).isEqualTo(recomputed);
    }
    assertThat(
            Files.exists(
                s3.dataDir()
                    .resolve(BUCKET)
                    .resolve("lake/snapshots/_delta_log/00000000000000000000.json")))
        .as("the Delta log is an object on the S3 server")
        .isTrue();
  }

  private static List<String> args(String... command) {
    List<String> all = new ArrayList<>(TinyLake.args(Path.of("unused"), command));
    all.removeIf(a -> a.startsWith("-Dsluice.lake.root="));
    all.add("-Dsluice.lake.root=" + ROOT);
    all.addAll(s3.sluiceOverrides());
    return all;
  }
}
