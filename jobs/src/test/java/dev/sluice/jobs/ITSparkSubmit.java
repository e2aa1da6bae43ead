/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
  /** Package prefixes the thin jar must hold only relocated (under dev/sluice/shaded/). */
  static final List<String> RELOCATED =
      List.of(
          "org/eclipse/jetty/",
          "kotlin/",
          "io/javalin/",
          "jakarta/servlet/",
          "org/yaml/snakeyaml/",
          "com/fasterxml/jackson/dataformat/yaml/");

  @TempDir static Path work;
  private static Path thinJar;

  @BeforeAll
  static void findJar() {
    thinJar = SparkSubmitProcess.thinJar();
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

  /** Starts a serve process whose stderr goes to work/serve-stderr.txt. */
  private static Process start(List<String> sluiceArgs) throws Exception {
    return start(sluiceArgs, work.resolve("serve-stdout.txt"), work.resolve("serve-stderr.txt"));
  }

  private static Process start(List<String> sluiceArgs, Path out, Path err) throws Exception {
    return SparkSubmitProcess.start(work, "local[2]", List.of(), sluiceArgs, out, err);
  }
}
