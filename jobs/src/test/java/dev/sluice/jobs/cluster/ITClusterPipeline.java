/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.ModelLake;
import dev.sluice.jobs.S3Proxy;
import dev.sluice.jobs.SparkSubmitProcess;
import dev.sluice.jobs.cluster.PipelineReference.Reference;
import dev.sluice.jobs.cluster.PipelineReference.Run;
import dev.sluice.snapshot.Fingerprint;
import dev.sluice.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline job by job through spark-submit (client mode, the thin jar) on a Spark
 * standalone cluster, with the lake root and the registry's artifacts root on {@code s3a://}
 * against S3Proxy, compared with the same pipeline run locally ({@link PipelineReference}: by
 * Surefire's {@link TestLocalPipeline} in this build, else here): snapshot fingerprints exactly,
 * training metrics, predictions and drift statistics within {@link #TOLERANCE}. What only sets the
 * stage does not go through spark-submit, which costs about a minute of JVM, executor and S3A
 * start-up per job on two cores: the sample's sources are copied from the local run's lake to S3,
 * and the challenger trains in this JVM against the S3 lake and registry.
 */
class ITClusterPipeline extends SparkTestBase {
  /**
   * Absolute tolerance of metrics and statistics between the cluster and the local run: other
   * partitionings add floating-point numbers in other orders, and 20 boosting rounds carry those
   * differences on (log loss differed by 1.2e-6 in one run; docs/deploy.md).
   */
  static final double TOLERANCE = 1e-5;

  // A bucket of its own: a JVM caches an S3A file system per bucket, with its endpoint.
  private static final String BUCKET = "sluice-cluster-lake";
  private static final String LAKE = "s3a://" + BUCKET + "/lake";
  private static final String ARTIFACTS = "s3a://" + BUCKET + "/mlflow";
  private static final List<List<String>> PIPELINE = PipelineReference.PIPELINE;

  /** The sources the sample landed: copied from the local run's lake to S3, not generated again. */
  private static final List<String> SOURCES =
      List.of("raw_customers", "raw_activity", "raw_labels");

  /** The challenger's training sets the stage for the canary: it runs in this JVM, on S3. */
  private static final List<String> IN_PROCESS = List.of("6 train");

  @TempDir static Path work;
  private static S3Proxy s3;
  private static StandaloneCluster cluster;

  @BeforeAll
  static void startClusterAndS3() throws Exception {
    assertThat(System.getenv("AWS_EC2_METADATA_DISABLED")).isEqualTo("true");
    s3 = S3Proxy.start(work, List.of(BUCKET));
    Files.createDirectories(work.resolve("registry"));
    cluster = StandaloneCluster.start(work, 2, "1g");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void runsThePipelineOnAStandaloneClusterWithTheLakeOnS3AsALocalRunDoes() throws Exception {
    Reference local =
        PipelineReference.directory()
            .flatMap(PipelineReference::load)
            .orElseGet(() -> PipelineReference.run(work.resolve("reference")));
    Map<String, Run> localRuns = local.runs();
    readS3FromThisJvm();
    landSourcesOnS3(local.lake());

    long clusterStart = System.nanoTime();
    Map<String, SparkSubmitProcess.Result> clusterRuns = new LinkedHashMap<>();
    for (int i = 1; i < PIPELINE.size(); i++) {
      String name = PipelineReference.name(i);
      List<String> job = PIPELINE.get(i);
      long start = System.nanoTime();
      if (IN_PROCESS.contains(name)) {
        CliRun run = CliRun.execute(clusterArgs(job));
        assertThat(run.exitCode())
            .as(String.join(" ", job) + " in this JVM on S3: " + run)
            .isEqualTo(localRuns.get(name).exitCode());
      } else {
        SparkSubmitProcess.Result run =
            SparkSubmitProcess.run(
                work,
                cluster.masterUrl(),
                List.of("spark.executor.memory=1g", "spark.cores.max=2"),
                clusterArgs(job));
        clusterRuns.put(name, run);
        assertThat(run.exitCode())
            .as(String.join(" ", job) + ": " + run.log())
            .isEqualTo(localRuns.get(name).exitCode());
      }
      System.out.printf(
          "%-16s %s %6.1f s, locally %6.1f s%n",
          name,
          IN_PROCESS.contains(name) ? "in this JVM on S3" : "cluster + S3     ",
          (System.nanoTime() - start) / 1e9,
          localRuns.get(name).seconds());
    }
    System.out.printf(
        "Pipeline wall time (%d jobs through spark-submit): standalone cluster + S3 %.1f s%n",
        clusterRuns.size(), (System.nanoTime() - clusterStart) / 1e9);

    assertThat(applications())
        .as("one application per spark-submitted job ran on the cluster")
        .hasSize(PIPELINE.size() - 1 - IN_PROCESS.size());
    JsonNode snapshot = clusterRuns.get("1 snapshot").summary();
    assertThat(snapshot.path("status").asText()).isEqualTo("succeeded");
    assertThat(snapshot.path("inputs")).hasSize(3);

    assertThat(snapshotPins(LAKE)).isEqualTo(snapshotPins(local.lake().toString())).hasSize(3);
    assertPinsReadBackFromS3();
    assertSameMetrics(
        localRuns.get("5 train").summary().orElseThrow().path("metrics"),
        clusterRuns.get("5 train").summary().path("metrics"));
    assertChampionIsVersionOneWithItsDigest(
        clusterRuns.get("5 train").summary().path("metrics").path("digest").asText());
    assertClose(
        values(
            local.lake().toString(), "predictions", "probability", "customer_id", "model_version"),
        values(LAKE, "predictions", "probability", "customer_id", "model_version"));
    for (String statistic :
        List.of("psi", "js_distance", "wasserstein_distance", "tv_distance", "count_delta")) {
      assertClose(
          values(local.lake().toString(), "drift_metrics", statistic, driftKey()),
          values(LAKE, "drift_metrics", statistic, driftKey()));
    }
    assertThat(Files.exists(s3.dataDir().resolve(BUCKET).resolve("lake/drift_metrics/_delta_log")))
        .as("executors wrote the lake to the S3 server")
        .isTrue();
    try (Stream<Path> files = Files.walk(s3.dataDir().resolve(BUCKET).resolve("mlflow"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("the registry's artifacts are objects on the S3 server")
          .contains("MLmodel");
    }
  }

  /**
   * The sources as {@code sample-data} landed them in the local run, copied to the S3 lake (the
   * same Delta logs and files, so the same versions and fingerprints to pin).
   */
  private static void landSourcesOnS3(Path localLake) throws Exception {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path lake = new org.apache.hadoop.fs.Path(LAKE);
    FileSystem s3Fs = lake.getFileSystem(hadoop);
    FileSystem localFs = FileSystem.getLocal(hadoop);
    for (String source : SOURCES) {
      assertThat(
              FileUtil.copy(
                  localFs,
                  new org.apache.hadoop.fs.Path(localLake.resolve(source).toUri()),
                  s3Fs,
                  new org.apache.hadoop.fs.Path(lake, source),
                  false,
                  hadoop))
          .as("copied %s to %s", source, LAKE)
          .isTrue();
    }
  }

  /** The job's command line against the lake and registry artifacts on S3. */
  private static List<String> clusterArgs(List<String> job) {
    List<String> args =
        new ArrayList<>(ModelLake.args(Path.of("unused"), job.toArray(String[]::new)));
    args.add("-Dsluice.lake.root=" + LAKE);
    args.add("-Dsluice.registry.store=" + work.resolve("registry/registry.db"));
    args.add("-Dsluice.registry.artifacts-root=" + ARTIFACTS);
    args.addAll(s3.sluiceOverrides());
    return args;
  }

  /** The applications the worker ran executors for. */
  private static List<Path> applications() throws Exception {
    try (Stream<Path> apps = Files.list(cluster.workDir())) {
      return apps.filter(p -> p.getFileName().toString().startsWith("app-")).toList();
    }
  }

  /** This JVM's session reads the S3 lake with the settings the jobs had. */
  private static void readS3FromThisJvm() {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    for (String override : s3.sluiceOverrides()) {
      String setting = override.substring("-Dsluice.hadoop.".length());
      int eq = setting.indexOf('=');
      hadoop.set(setting.substring(1, eq - 1), setting.substring(eq + 1));
    }
  }

  /** Source table → fingerprint and row count of each pin. */
  private static Map<String, String> snapshotPins(String root) {
    Map<String, String> pins = new TreeMap<>();
    for (Row pin : spark.read().format("delta").load(root + "/snapshots").collectAsList()) {
      pins.put(
          pin.getAs("source_table"),
          pin.<String>getAs("fingerprint") + " " + pin.getAs("row_count"));
    }
    return pins;
  }

  /** Each pin is a table on S3 whose pinned version, read back, has the recorded fingerprint. */
  private static void assertPinsReadBackFromS3() {
    for (Row pin : spark.read().format("delta").load(LAKE + "/snapshots").collectAsList()) {
      String location = pin.getAs("location");
      assertThat(location).startsWith(LAKE + "/");
      Dataset<Row> pinned =
          spark
              .read()
              .format("delta")
              .option("versionAsOf", pin.<Long>getAs("delta_version"))
              .load(location);
      assertThat(Fingerprint.of(pinned).value())
          .as("fingerprint of %s read back from S3", location)
          .isEqualTo(pin.<String>getAs("fingerprint"));
    }
  }

  private static void assertSameMetrics(JsonNode expected, JsonNode actual) {
    assertThat(actual.path("model_version").asLong())
        .isEqualTo(expected.path("model_version").asLong());
    assertThat(actual.path("gate").asText()).isEqualTo(expected.path("gate").asText());
    int compared = 0;
    for (var field : (Iterable<Map.Entry<String, JsonNode>>) expected::fields) {
      if (field.getValue().isFloatingPointNumber()) {
        assertThat(actual.path(field.getKey()).asDouble())
            .as("training metric %s", field.getKey())
            .isCloseTo(field.getValue().asDouble(), within(TOLERANCE));
        compared++;
      }
    }
    assertThat(compared).as("holdout metrics compared").isGreaterThanOrEqualTo(4);
  }

  private static void assertChampionIsVersionOneWithItsDigest(String digest) {
    List<Row> moves =
        spark
            .read()
            .format("delta")
            .load(LAKE + "/deployments")
            .where("alias = 'champion'")
            .select("to_version", "digest")
            .collectAsList();
    assertThat(moves).hasSize(1);
    assertThat(moves.get(0).getLong(0)).isEqualTo(1);
    assertThat(moves.get(0).getString(1)).isEqualTo(digest).startsWith("sha256:");
  }

  private static String[] driftKey() {
    return new String[] {
      "model_version",
      "window_end",
      "granularity",
      "drift_type",
      "slice_key",
      "slice_value",
      "column_name"
    };
  }

  /** A double column of a table by the given key columns (null values as NaN). */
  private static Map<String, Double> values(
      String root, String table, String column, String... key) {
    Map<String, Double> values = new TreeMap<>();
    List<Row> rows =
        spark
            .read()
            .format("delta")
            .load(root + "/" + table)
            .selectExpr(
                "concat_ws('|', " + String.join(", ", key) + ") AS k",
                "CAST(" + column + " AS DOUBLE) AS v")
            .collectAsList();
    for (Row row : rows) {
      assertThat(values.put(row.getString(0), row.isNullAt(1) ? Double.NaN : row.getDouble(1)))
          .as("one %s row per %s", table, row.getString(0))
          .isNull();
    }
    return values;
  }

  private static void assertClose(Map<String, Double> expected, Map<String, Double> actual) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet()).isNotEmpty();
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      if (e.getValue().isNaN()) {
        assertThat(actual.get(e.getKey())).as(e.getKey()).isNaN();
      } else {
        assertThat(actual.get(e.getKey()))
            .as(e.getKey())
            .isCloseTo(e.getValue(), within(TOLERANCE));
      }
    }
  }
}
