/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
      List.of(
          "/io/delta/",
          "/com/typesafe/config/",
          "/info/picocli/",
          "/com/amazon/deequ/",
          "/software/amazon/glue/",
          "/org/mlflow/",
          "/io/javalin/",
          "/org/eclipse/jetty/",
          "/org/jetbrains/kotlin/",
          "/org/xerial/sqlite-jdbc/",
          "/org/flywaydb/",
          "/org/postgresql/",
          "/com/fasterxml/jackson/dataformat/jackson-dataformat-yaml/",
          "/org/yaml/snakeyaml/",
          "/org/webjars/npm/echarts/");

  /**
   * Dependencies of bundled libraries that are not bundled because nothing needs them at run time
   * (annotations): left off the classpath too, so that the tests prove it.
   */
  static final List<String> NOT_NEEDED =
      List.of("/org/jetbrains/annotations/", "/org/checkerframework/");

  /** Package prefixes the thin jar must hold only relocated (under dev/sluice/shaded/). */
  static final List<String> RELOCATED =
      List.of(
          "org/eclipse/jetty/",
          "kotlin/",
          "io/javalin/",
          "jakarta/servlet/",
          "org/yaml/snakeyaml/",
          "com/fasterxml/jackson/dataformat/yaml/");

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
  void thinJarBundlesTheRegistryWithJettyKotlinAndJavalinRelocatedAndNoJackson() throws Exception {
    try (ZipFile jar = new ZipFile(thinJar.toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();
      for (String prefix : RELOCATED) {
        assertThat(names).as("no unrelocated %s", prefix).noneMatch(n -> n.startsWith(prefix));
        assertThat(names)
            .as("%s relocated under dev/sluice/shaded/", prefix)
            .anyMatch(n -> n.startsWith("dev/sluice/shaded/" + prefix));
      }
      assertThat(names).as("no second Jackson").noneMatch(n -> n.startsWith("com/fasterxml/"));
      assertThat(names)
          .as("no javax resources beside Spark's")
          .noneMatch(n -> n.startsWith("javax/"));
      assertThat(names)
          .contains(
              "dev/sluice/registry/server/RegistryServer.class",
              "dev/sluice/registry/MlflowModelRegistry.class",
              "dev/sluice/shaded/org/eclipse/jetty/server/Server.class",
              "dev/sluice/shaded/io/javalin/Javalin.class",
              "dev/sluice/shaded/kotlin/Unit.class",
              "org/mlflow/tracking/MlflowClient.class",
              "org/sqlite/JDBC.class",
              "org/flywaydb/core/Flyway.class",
              "org/postgresql/Driver.class",
              "db/migration/V1__registry_schema.sql",
              "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js");
      assertThat(names)
          .as("of the ECharts webjar only what the drift report reads")
          .noneMatch(n -> n.startsWith("META-INF/resources/webjars/echarts/5.3.1/src/"));
      for (String name : names) {
        if (name.startsWith("META-INF/services/")) {
          String services =
              new String(jar.getInputStream(jar.getEntry(name)).readAllBytes(), UTF_8);
          assertThat(services.lines())
              .as("service %s names relocated classes", name)
              .noneMatch(line -> line.startsWith("org.eclipse.jetty."))
              .noneMatch(line -> line.startsWith("jakarta.servlet."));
        }
      }
    }
  }

  @Test
  void registryServeRunsFromTheThinJarOnSparksClasspath() throws Exception {
    Process process =
        start(
            List.of(
                "registry",
                "serve",
                "--port",
                "0",
                "--store",
                work.resolve("reg/registry.db").toString(),
                "--artifacts-root",
                work.resolve("reg/artifacts").toString()));
    Path err = work.resolve("serve-stderr.txt");
    try {
      URI uri = awaitServeUri(process, err);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(uri + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> created =
          http.send(
              HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/registered-models/create"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"churn\"}"))
                  .header("Content-Type", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
      assertThat(created.body()).contains("\"name\":\"churn\"");
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static URI awaitServeUri(Process process, Path err) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    Pattern listening = Pattern.compile("listening on (http://\\S+)");
    while (System.nanoTime() < deadline) {
      String log = Files.exists(err) ? Files.readString(err) : "";
      Matcher matcher = listening.matcher(log);
      if (matcher.find()) {
        return URI.create(matcher.group(1));
      }
      if (!process.isAlive()) {
        throw new AssertionError("registry serve exited " + process.exitValue() + ": " + log);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("registry serve printed no URI: " + Files.readString(err));
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

  @Test
  void trainsAndRegistersAModelThroughSparkSubmit() throws Exception {
    Path lake = work.resolve("pipeline");
    String date = TinyLake.END.toString();
    List<List<String>> jobs =
        List.of(
            List.of("sample-data"),
            List.of("snapshot", "--date", date),
            List.of(
                "features", "build", "--from", TinyLake.START.plusDays(6).toString(), "--to", date),
            List.of("training-set", "build", "--model", "churn", "--date", date),
            List.of("train", "--model", "churn", "--date", date));
    Result train = null;
    for (List<String> job : jobs) {
      List<String> args = new ArrayList<>(TinyLake.args(lake, job.toArray(String[]::new)));
      args.add("-Dsluice.sample.customers=400"); // a holdout with both classes
      args.add("-Dsluice.models.churn.gate.minimums.auc_roc=0");
      train = submit(args);
      assertThat(train.exitCode()).as(String.join(" ", job) + ": " + train.log()).isZero();
    }
    JsonNode metrics = train.summary().path("metrics");
    assertThat(metrics.path("model_version").asLong()).isEqualTo(1);
    assertThat(metrics.path("digest").asText()).startsWith("sha256:");
    Result sql =
        submit(
            TinyLake.args(
                lake,
                "sql",
                "SELECT alias, to_version, digest FROM sluice.deployments",
                "--format",
                "json"));
    assertThat(sql.exitCode()).as(sql.log()).isZero();
    assertThat(sql.stdout().trim())
        .isEqualTo(
            "{\"alias\":\"champion\",\"to_version\":1,\"digest\":\""
                + metrics.path("digest").asText()
                + "\"}");
  }

  private static Result submit(List<String> sluiceArgs) throws Exception {
    Path out = Files.createTempFile(work, "stdout", ".txt");
    Path err = Files.createTempFile(work, "stderr", ".txt");
    Process process = start(sluiceArgs, out, err);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(
          "spark-submit did not finish in 5 minutes: " + Files.readString(err));
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Starts a serve process whose stderr goes to work/serve-stderr.txt. */
  private static Process start(List<String> sluiceArgs) throws Exception {
    return start(sluiceArgs, work.resolve("serve-stdout.txt"), work.resolve("serve-stderr.txt"));
  }

  private static Process start(List<String> sluiceArgs, Path out, Path err) throws Exception {
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
    return builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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
      boolean notNeeded = NOT_NEEDED.stream().anyMatch(path::contains);
      if (!sluice && !bundled && !testOnly && !notNeeded && !entry.isBlank()) {
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
