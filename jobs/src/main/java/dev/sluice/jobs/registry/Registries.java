/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.registry;

import dev.sluice.config.RegistryConfig;
import dev.sluice.error.PipelineErrors;
import dev.sluice.registry.LazyModelRegistry;
import dev.sluice.registry.MlflowModelRegistry;
import dev.sluice.registry.ModelRegistry;
import dev.sluice.registry.RegistryCredentials;
import dev.sluice.registry.server.RegistryAuth;
import dev.sluice.registry.server.RegistryServer;
import dev.sluice.registry.server.RegistryServerOptions;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry a job works with, from {@code sluice.registry}: with tracking URI {@code
 * embedded}, a {@link RegistryServer} started in this process on 127.0.0.1 and a free port on the
 * configured store and artifacts root; else the configured MLflow server with the {@code
 * MLFLOW_TRACKING_*} credentials of the environment. Either is opened on first use and stopped when
 * the registry is closed, or at the latest when the JVM exits.
 */
public final class Registries {
  private static final Logger LOG = LoggerFactory.getLogger(Registries.class);

  private Registries() {}

  /**
   * @param hadoop the Hadoop configuration for file system artifact roots (the Spark session's)
   * @param env the environment holding the credentials of a remote server
   */
  public static ModelRegistry open(
      RegistryConfig config, Supplier<Configuration> hadoop, Map<String, String> env) {
    if (config.embedded()) {
      return new LazyModelRegistry(
          "embedded registry on " + config.store(), () -> startEmbedded(config, hadoop));
    }
    RegistryCredentials credentials = RegistryCredentials.fromEnvironment(env);
    return new LazyModelRegistry(
        config.trackingUri(),
        () -> MlflowModelRegistry.connect(config.trackingUri(), credentials, hadoop));
  }

  /** The options of a server on the configured store and artifacts root. */
  public static RegistryServerOptions serverOptions(RegistryConfig config) {
    return RegistryServerOptions.local(java.nio.file.Path.of("."))
        .withStore(config.store())
        .withArtifactsRoot(config.artifactsRoot())
        .withHost(config.host())
        .withPort(config.port())
        .withAuth(RegistryAuth.none());
  }

  /** Starts the embedded server (loopback, any free port) and a client that stops it on close. */
  static MlflowModelRegistry startEmbedded(RegistryConfig config, Supplier<Configuration> hadoop) {
    RegistryServer server = start(serverOptions(config).withHost("127.0.0.1").withPort(0));
    AtomicBoolean stopped = new AtomicBoolean();
    Thread hook = new Thread(() -> stop(server, stopped), "sluice-registry-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    LOG.info("Embedded registry on {} (store {})", server.uri(), config.store());
    return MlflowModelRegistry.connect(
        server.uri().toString(),
        RegistryCredentials.none(),
        hadoop,
        () -> {
          stop(server, stopped);
          removeHook(hook);
        });
  }

  /** Starts a server; a failure (port taken, store unreadable) names the store and the cause. */
  public static RegistryServer start(RegistryServerOptions options) {
    try {
      return RegistryServer.start(options);
    } catch (RuntimeException e) {
      throw PipelineErrors.internal(
          String.format(
              "Cannot start the registry server on %s:%s with store %s: %s",
              options.host(), options.port(), options.store(), e.getMessage()),
          e);
    }
  }

  private static void stop(RegistryServer server, AtomicBoolean stopped) {
    if (stopped.compareAndSet(false, true)) {
      server.close();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook runs (and finds the server stopped).
      LOG.debug("Shutdown in progress; the registry hook stays", e);
    }
  }
}
