/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.jobs.SparkSubmitProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on 127.0.0.1 for tests: one {@code
 * org.apache.spark.deploy.master.Master} JVM and one {@code org.apache.spark.deploy.worker.Worker}
 * JVM (ephemeral ports), with a SPARK_HOME laid out from the Maven-resolved Spark jars (the Worker
 * starts executors with {@code SPARK_HOME/jars/*} on their class path). The environment of every
 * process holds {@code AWS_EC2_METADATA_DISABLED=true} and {@code SPARK_LOCAL_IP=127.0.0.1};
 * executors inherit the Worker's.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final Pattern MASTER_URL =
      Pattern.compile("Starting Spark master at (spark://\\S+)");
  private static final Pattern MASTER_UI_PORT =
      Pattern.compile("Bound MasterWebUI to \\S+, and started at http://[^:/]+:(\\d+)");

  private final List<Process> processes = new ArrayList<>();
  private final Path home;
  private String masterUrl;
  private URI masterUi;

  private StandaloneCluster(Path home) {
    this.home = home;
  }

  /**
   * Starts a master and a worker with {@code cores} cores and {@code memory} (e.g. {@code 1g}) for
   * executors, and waits until the worker has registered.
   */
  static StandaloneCluster start(Path work, int cores, String memory) throws Exception {
    StandaloneCluster cluster = new StandaloneCluster(sparkHome(work.resolve("spark-home")));
    try {
      cluster.startMaster();
      cluster.startWorker(cores, memory);
      cluster.awaitWorkers(1);
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  /** The master URL for {@code --master}. */
  String masterUrl() {
    return masterUrl;
  }

  /** The executors' working directories (under the worker's work dir). */
  Path workDir() {
    return home.resolve("work");
  }

  /** SPARK_HOME with jars/ holding links to the class path a cluster provides. */
  private static Path sparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    Set<String> names = new HashSet<>();
    for (String entry : SparkSubmitProcess.sparkClasspathEntries()) {
      Path jar = Path.of(entry);
      if (!Files.isRegularFile(jar)) {
        continue;
      }
      String name = jar.getFileName().toString();
      if (!names.add(name)) {
        name = names.size() + "-" + name;
        names.add(name);
      }
      Files.createSymbolicLink(jars.resolve(name), jar.toAbsolutePath());
    }
    return home;
  }

  private void startMaster() throws Exception {
    Path log = home.resolve("master.log");
    launch(
        log,
        "-Xmx512m",
        "org.apache.spark.deploy.master.Master",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--webui-port",
        "0");
    masterUrl = awaitLog(log, MASTER_URL);
    masterUi = URI.create("http://127.0.0.1:" + awaitLog(log, MASTER_UI_PORT));
  }

  private void startWorker(int cores, String memory) throws Exception {
    launch(
        home.resolve("worker.log"),
        "-Xmx512m",
        "org.apache.spark.deploy.worker.Worker",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--webui-port",
        "0",
        "--cores",
        Integer.toString(cores),
        "--memory",
        memory,
        "--work-dir",
        workDir().toString(),
        masterUrl);
  }

  private void launch(Path log, String heap, String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(SparkSubmitProcess.java());
    command.addAll(SparkSubmitProcess.jvmOpens());
    command.addAll(List.of(heap, "-cp", home.resolve("jars") + "/*", mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
    Map<String, String> env = builder.environment();
    env.put("SPARK_HOME", home.toString());
    // The launcher library asks for it when SPARK_HOME is not a Spark distribution's build tree.
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.remove("SPARK_CONF_DIR");
    processes.add(builder.redirectErrorStream(true).redirectOutput(log.toFile()).start());
  }

  private String awaitLog(Path log, Pattern pattern) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      Matcher matcher = pattern.matcher(text);
      if (matcher.find()) {
        return matcher.group(1);
      }
      if (processes.stream().anyMatch(p -> !p.isAlive())) {
        throw new AssertionError("A cluster process exited: " + text);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("No '" + pattern + "' in " + log + ":\n" + Files.readString(log));
  }

  /** Waits until the master's JSON lists {@code count} alive workers. */
  private void awaitWorkers(int count) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    JsonNode state = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(masterUi.resolve("/json/")).build(),
              HttpResponse.BodyHandlers.ofString());
      state = json.readTree(response.body());
      if (state.path("aliveworkers").asInt() >= count) {
        return;
      }
      if (processes.stream().anyMatch(p -> !p.isAlive())) {
        break;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "The worker did not register: "
            + state
            + "\n"
            + Files.readString(home.resolve("worker.log")));
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process process = processes.get(i);
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
