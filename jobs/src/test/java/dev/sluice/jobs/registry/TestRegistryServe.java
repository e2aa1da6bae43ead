/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.RegistryConfig;
import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.cli.SluiceCli;
import dev.sluice.registry.LazyModelRegistry;
import dev.sluice.registry.ModelRegistry;
import dev.sluice.registry.ModelVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TestRegistryServe {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  @TempDir Path dir;

  @Test
  void serveAnswersHealthWithinThreeSecondsAndStopsWhenInterrupted() throws Exception {
    Path store = dir.resolve("reg/registry.db");
    ServeCommand serve =
        serveCommand(
            "registry",
            "serve",
            "--port",
            "0",
            "--store",
            store.toString(),
            "--artifacts-root",
            dir.resolve("reg/artifacts").toString());
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
    CountDownLatch stop = new CountDownLatch(1);
    AtomicInteger exitCode = new AtomicInteger(-1);
    long started = System.nanoTime();
    Thread thread = new Thread(() -> exitCode.set(serve.serve(err, stop, Map.of())), "serve");
    thread.start();

    URI uri = awaitUri(stderr, started);
    int status = awaitHealth(uri, started);
    long healthyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(status).isEqualTo(200);
    assertThat(healthyMs).as("ms from start to a healthy /health").isLessThan(3_000);
    assertThat(uri.getHost()).as("binds loopback by default").isEqualTo("127.0.0.1");
    assertThat(Files.exists(store)).as("the store is created").isTrue();

    thread.interrupt();
    thread.join(10_000);
    assertThat(thread.isAlive()).isFalse();
    assertThat(exitCode.get()).isZero();
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("sluice registry serve: stopped");
    assertThatThrownBy(() -> health(uri))
        .as("the port is closed")
        .isInstanceOf(ConnectException.class)
        .hasMessage(null);
  }

  @Test
  void helpDescribesTheGroupAndServe() {
    CliRun group = CliRun.execute("registry", "--help");
    CliRun serve = CliRun.execute("registry", "serve", "--help");
    CliRun missing = CliRun.execute("registry");

    assertThat(group.exitCode()).as(group.toString()).isZero();
    assertThat(group.stdout()).contains("serve");
    assertThat(serve.exitCode()).as(serve.toString()).isZero();
    assertThat(serve.stdout()).contains("--port", "--host", "--store", "--artifacts-root");
    assertThat(missing.exitCode()).as("a missing subcommand is a usage error").isEqualTo(2);
    assertThat(missing.stderr()).contains("Missing a subcommand");
  }

  @Test
  void authFromEnvWithoutCredentialsIsABadArgument() {
    ServeCommand serve =
        serveCommand("registry", "serve", "--port", "0", "--auth-from-env", "--store", "x.db");
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    int code =
        serve.serve(
            new PrintStream(stderr, true, StandardCharsets.UTF_8), new CountDownLatch(0), Map.of());

    assertThat(code).isEqualTo(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8))
        .contains(
            "Invalid argument --auth-from-env 'no credentials': set MLFLOW_TRACKING_TOKEN, or"
                + " MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD");
  }

  @Test
  void theEmbeddedDefaultStartsOnFirstUseAndStopsOnClose() throws Exception {
    RegistryConfig config =
        new RegistryConfig(
            RegistryConfig.EMBEDDED,
            dir.resolve("_registry/registry.db").toString(),
            dir.resolve("_registry/artifacts").toString(),
            "127.0.0.1",
            5000);
    ModelRegistry registry = Registries.open(config, Configuration::new, Map.of());
    assertThat(((LazyModelRegistry) registry).opened()).as("nothing started yet").isFalse();

    registry.createRegisteredModelIfAbsent("churn");
    ModelVersion version = registry.createModelVersion("churn", "s3a://b/m", "", Map.of());
    String location = registry.location();
    registry.close();

    assertThat(version.version()).isEqualTo(1);
    assertThat(location).startsWith("http://127.0.0.1:").doesNotEndWith(":5000");
    assertThatThrownBy(() -> health(URI.create(location)))
        .as("closing the registry stops the server")
        .isInstanceOf(ConnectException.class)
        .hasMessage(null);
    try (ModelRegistry reopened = Registries.open(config, Configuration::new, Map.of())) {
      assertThat(reopened.getModelVersion("churn", 1).source())
          .as("the store survives")
          .isEqualTo("s3a://b/m");
    }
  }

  private static ServeCommand serveCommand(String... args) {
    CommandLine.ParseResult parsed = SluiceCli.commandLine().parseArgs(args);
    return (ServeCommand) parsed.subcommand().subcommand().commandSpec().userObject();
  }

  private static URI awaitUri(ByteArrayOutputStream stderr, long started) throws Exception {
    while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10)) {
      Matcher matcher = LISTENING.matcher(stderr.toString(StandardCharsets.UTF_8));
      if (matcher.find()) {
        return URI.create(matcher.group(1));
      }
      Thread.sleep(10);
    }
    throw new AssertionError("serve printed no URI: " + stderr);
  }

  private int awaitHealth(URI uri, long started) throws Exception {
    while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10)) {
      try {
        return health(uri);
      } catch (IOException e) {
        Thread.sleep(10);
      }
    }
    throw new AssertionError("no answer from " + uri + "/health");
  }

  private int health(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(uri + "/health")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }
}
