/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Sluice jobs from the thin jar through {@code org.apache.spark.deploy.SparkSubmit}, with
 * Spark's jars (and no Sluice class) on the classpath, as a cluster's spark-submit would.
 */
class ITSparkSubmit {
  /** Path fragments of what the thin jar bundles (keep in step with jobs/pom.xml's shade set). */
  static final List<String> BUNDLED =
      List.of("/io/delta/", "/com/typesafe/config/", "/info/picocli/");

  /** Test-only libraries: not on a cluster. */
  static final List<String> TEST_ONLY =
      List.of(
          "/org/junit/",
          "/org/assertj/",
          "/com/holdenkarau/",
          "/org/opentest4j/",
          "/org/apiguardian/",
          "/net/bytebuddy/",
          "/org/scalatest/",
          "/org/scalactic/");

  @TempDir static Path work;
  private static Path thinJar;

  @BeforeAll
  static void findJar() {
    thinJar = Path.of(System.getProperty("sluice.test.thinJar"));
    assertThat(thinJar).as("the thin jar is built in package").exists();
  }

  @Test
  void thinJarBundlesSluiceAndDeltaButNotSparkHadoopOrJackson() throws Exception {
    try (ZipFile jar = new ZipFile(thinJar.toFile())) {
      assertThat(jar.getEntry("dev/sluice/jobs/SluiceMain.class")).isNotNull();
      assertThat(jar.getEntry("io/delta/tables/DeltaTable.class")).isNotNull();
      assertThat(jar.getEntry("org/apache/spark/SparkContext.class")).isNull();
      assertThat(jar.getEntry("org/apache/hadoop/fs/FileSystem.class")).isNull();
      assertThat(jar.getEntry("com/fasterxml/jackson/databind/ObjectMapper.class")).isNull();
      String services =
          new String(
              jar.getInputStream(
                      jar.getEntry(
                          "META-INF/services/org.apache.spark.sql.sources.DataSourceRegister"))
                  .readAllBytes(),
              StandardCharsets.UTF_8);
      assertThat(services).contains("org.apache.spark.sql.delta.sources.DeltaDataSource");
    }
  }

  @Test
  void runsTheSnapshotJobThroughSparkSubmitAndQueriesItFromANewProcess() throws Exception {
    Path lake = work.resolve("lake");
    Result sample = submit(TinyLake.args(lake, "sample-data"));
    Result snapshot = submit(TinyLake.args(lake, "snapshot", "--date", TinyLake.END.toString()));
    Result sql =
        submit(
            TinyLake.args(
                lake,
                "sql",
                "SELECT (SELECT count(*) FROM sluice.snapshots) AS pins,"
                    + " (SELECT count(*) FROM sluice.job_runs) AS runs",
                "--format",
                "json"));

    assertThat(sample.exitCode()).as(sample.log()).isZero();
    assertThat(snapshot.exitCode()).as(snapshot.log()).isZero();
    JsonNode summary = snapshot.summary();
    assertThat(summary.path("status").asText()).isEqualTo("succeeded");
    assertThat(summary.path("outputs").get(0).path("table").asText()).isEqualTo("snapshots");
    assertThat(summary.path("inputs")).hasSize(3);
    assertThat(sql.exitCode()).as(sql.log()).isZero();
    assertThat(sql.stdout().trim()).isEqualTo("{\"pins\":3,\"runs\":2}");
  }

  private static Result submit(List<String> sluiceArgs) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(System.getProperty("sluice.test.opens").trim().split("\\s+")));
    command.addAll(
        List.of(
            "-Xmx1g",
            "-cp",
            sparkClasspath(),
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            "local[2]",
            "--class",
            "dev.sluice.jobs.SluiceMain",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.sql.shuffle.partitions=2",
            thinJar.toString()));
    command.addAll(sluiceArgs);
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    Path out = Files.createTempFile(work, "stdout", ".txt");
    Path err = Files.createTempFile(work, "stderr", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(
          "spark-submit did not finish in 5 minutes: " + Files.readString(err));
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * What a cluster provides: the test classpath less Sluice, what the thin jar bundles and test
   * libraries.
   */
  static String sparkClasspath() {
    String full =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> kept = new ArrayList<>();
    for (String entry : full.split(File.pathSeparator)) {
      String path = entry.replace(File.separatorChar, '/');
      boolean sluice =
          path.contains("/target/classes")
              || path.contains("/target/test-classes")
              || path.substring(path.lastIndexOf('/') + 1).startsWith("sluice-");
      boolean bundled = BUNDLED.stream().anyMatch(path::contains);
      boolean testOnly = TEST_ONLY.stream().anyMatch(path::contains);
      if (!sluice && !bundled && !testOnly && !entry.isBlank()) {
        kept.add(entry);
      }
    }
    return String.join(File.pathSeparator, kept);
  }

  record Result(int exitCode, String stdout, String stderr) {
    JsonNode summary() throws Exception {
      List<String> lines = stdout.lines().toList();
      return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }

    String log() {
      return "exit "
          + exitCode
          + "\n--- stdout\n"
          + stdout
          + "\n--- stderr (tail)\n"
          + stderr.substring(Math.max(0, stderr.length() - 6000));
    }
  }
}
