/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.registry;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.RegistryConfig;
import dev.sluice.error.PipelineErrors;
import dev.sluice.error.SluiceException;
import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.registry.RegistryCredentials;
import dev.sluice.registry.server.RegistryAuth;
import dev.sluice.registry.server.RegistryServer;
import dev.sluice.registry.server.RegistryServerOptions;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice registry serve}: runs the MLflow-compatible server until interrupted (Ctrl-C,
 * SIGTERM). Flags override {@code sluice.registry.*}.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the MLflow-compatible tracking server and model registry (MLflow REST API 2.0)",
      "until interrupted. Point MLflow clients at the URI it prints on stderr."
    })
public final class ServeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = "--port",
      description = "Port to listen on; 0 = any free port (default: sluice.registry.port, 5000).")
  Integer port;

  @Option(
      names = "--host",
      description = "Address to bind (default: sluice.registry.host, 127.0.0.1).")
  String host;

  @Option(
      names = "--store",
      paramLabel = "PATH|JDBC-URL",
      description = "SQLite file or JDBC URL (default: sluice.registry.store).")
  String store;

  @Option(
      names = "--artifacts-root",
      paramLabel = "DIR|URI",
      description =
          "Local directory served over mlflow-artifacts, or a URI such as s3a://bucket/mlflow"
              + " (default: sluice.registry.artifacts-root).")
  String artifactsRoot;

  @Option(
      names = "--auth-from-env",
      description =
          "Require the credentials of MLFLOW_TRACKING_TOKEN (bearer) and/or"
              + " MLFLOW_TRACKING_USERNAME + MLFLOW_TRACKING_PASSWORD (basic).")
  boolean authFromEnv;

  @Override
  public Integer call() {
    return serve(System.err, new CountDownLatch(1), System.getenv());
  }

  /** Serves until {@code stop} opens or the thread is interrupted; returns the exit code. */
  int serve(PrintStream err, CountDownLatch stop, Map<String, String> env) {
    RegistryServer server;
    try {
      RegistryServerOptions options = options(env);
      server = Registries.start(options);
      err.printf(
          "sluice registry serve: listening on %s (store %s, artifacts %s, auth %s)%n",
          server.uri(),
          options.store(),
          options.artifactsRoot(),
          options.auth().enabled() ? "on" : "off");
      err.flush();
    } catch (SluiceException e) {
      err.printf("sluice registry serve: %s%n", e.getMessage());
      return e.exitCode();
    }
    AtomicBoolean stopped = new AtomicBoolean();
    Thread hook =
        new Thread(
            () -> {
              if (stopped.compareAndSet(false, true)) {
                server.close();
                err.println("sluice registry serve: stopped");
              }
            },
            "sluice-registry-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean interrupted = false;
    try {
      stop.await();
    } catch (InterruptedException e) {
      // Stopping is what an interrupt asks for; the flag is restored once Jetty has stopped (it
      // cannot stop cleanly on an interrupted thread).
      interrupted = true;
    }
    if (stopped.compareAndSet(false, true)) {
      server.close();
      Runtime.getRuntime().removeShutdownHook(hook);
      err.println("sluice registry serve: stopped");
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  RegistryServerOptions options(Map<String, String> env) {
    RegistryConfig config = ConfigLoader.load(common.confFile(), common.overrides()).registry();
    RegistryServerOptions options = Registries.serverOptions(config);
    if (port != null) {
      if (port < 0 || port > 65_535) {
        throw PipelineErrors.invalidArgument("--port", port, "must be between 0 and 65535");
      }
      options = options.withPort(port);
    }
    if (host != null) {
      options = options.withHost(host);
    }
    if (store != null) {
      options = options.withStore(store);
    }
    if (artifactsRoot != null) {
      options = options.withArtifactsRoot(artifactsRoot);
    }
    return authFromEnv ? options.withAuth(auth(env)) : options;
  }

  private static RegistryAuth auth(Map<String, String> env) {
    RegistryCredentials credentials = RegistryCredentials.fromEnvironment(env);
    if (credentials.token().isEmpty() && !credentials.hasBasic()) {
      throw PipelineErrors.invalidArgument(
          "--auth-from-env",
          "no credentials",
          "set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD");
    }
    return new RegistryAuth(
        credentials.token(),
        credentials.hasBasic() ? credentials.username() : java.util.Optional.empty(),
        credentials.hasBasic() ? credentials.password() : java.util.Optional.empty());
  }
}
