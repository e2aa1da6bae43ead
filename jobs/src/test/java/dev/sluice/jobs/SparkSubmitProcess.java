/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sluice's thin jar run through {@code org.apache.spark.deploy.SparkSubmit} in a JVM of its own,
 * with what a cluster provides on the classpath ({@link #sparkClasspath()}).
 */
public final class SparkSubmitProcess {
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

  private SparkSubmitProcess() {}

  /** The thin jar the build made in {@code package}. */
  public static Path thinJar() {
    return Path.of(System.getProperty("sluice.test.thinJar"));
  }

  /** The JVM options Spark needs on Java 17 (the build's spark.jvm.opens). */
  public static List<String> jvmOpens() {
    return Arrays.asList(System.getProperty("sluice.test.opens").trim().split("\\s+"));
  }

  /** {@code java} of this JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Starts {@code spark-submit --master master [--conf k=v]... thin.jar sluiceArgs} in {@code work}
   * with stdout and stderr to the given files.
   */
  public static Process start(
      Path work, String master, List<String> conf, List<String> sluiceArgs, Path out, Path err)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOpens());
    command.addAll(
        List.of(
            "-Xmx1g",
            // A job's JVMs live about a minute: the C1 compiler alone starts them faster (a cold
            // `sluice features build` on the tiny lake: 52 s against 60 s with C2).
            "-XX:TieredStopAtLevel=1",
            "-cp",
            sparkClasspath(),
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            master,
            "--class",
            "dev.sluice.jobs.SluiceMain",
            "--conf",
            "spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.sql.shuffle.partitions=2",
            // As in the test JVM's session (SharedSpark): on tiny data these cost more than they
            // save, and the results do not depend on them.
            "--conf",
            "spark.sql.adaptive.enabled=false",
            "--conf",
            "spark.sql.codegen.wholeStage=false",
            "--conf",
            "spark.sql.codegen.factoryMode=NO_CODEGEN"));
    for (String setting : conf) {
      command.addAll(List.of("--conf", setting));
    }
    command.add(thinJar().toString());
    command.addAll(sluiceArgs);
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    return builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
  }

  /** Runs a spark-submit to its end (at most 5 minutes) and returns what it printed. */
  public static Result run(Path work, String master, List<String> conf, List<String> sluiceArgs)
      throws Exception {
    Path out = Files.createTempFile(work, "stdout", ".txt");
    Path err = Files.createTempFile(work, "stderr", ".txt");
    Process process = start(work, master, conf, sluiceArgs, out, err);
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
  public static List<String> sparkClasspathEntries() {
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
    return kept;
  }

  /** {@link #sparkClasspathEntries()} as one class path. */
  public static String sparkClasspath() {
    return String.join(File.pathSeparator, sparkClasspathEntries());
  }

  /** What a spark-submit did. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** The JSON summary: the last stdout line. */
    public JsonNode summary() throws Exception {
      List<String> lines = stdout.lines().toList();
      return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }

    /** Exit code, stdout and the tail of stderr, for assertion messages. */
    public String log() {
      return "exit "
          + exitCode
          + "\n--- stdout\n"
          + stdout
          + "\n--- stderr (tail)\n"
          + stderr.substring(Math.max(0, stderr.length() - 6000));
    }
  }
}
