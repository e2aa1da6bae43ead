/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server;

import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.http.RegistryApp;
import dev.sluice.registry.server.store.ArtifactRoot;
import dev.sluice.registry.server.store.Database;
import dev.sluice.registry.server.store.ExperimentStore;
import dev.sluice.registry.server.store.ModelVersionStore;
import dev.sluice.registry.server.store.RegisteredModelStore;
import dev.sluice.registry.server.store.RunLogger;
import dev.sluice.registry.server.store.RunStore;
import io.javalin.Javalin;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded MLflow-compatible (REST API 2.0) tracking and model-registry server. Start one with
 * {@link #start(RegistryServerOptions)} and close it to stop it; the store survives restarts.
 */
public final class RegistryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);

  private final Javalin app;
  private final Database database;
  private final String host;

  private RegistryServer(Javalin app, Database database, String host) {
    this.app = app;
    this.database = database;
    this.host = host;
  }

  /** Opens (and migrates) the store, then serves on the configured host and port. */
  public static RegistryServer start(RegistryServerOptions options) {
    requireNonNull(options, "options is null");
    Optional<Path> artifactsDirectory = options.localArtifactsDirectory();
    ArtifactRoot artifactRoot =
        artifactsDirectory.isPresent()
            ? ArtifactRoot.SERVED
            : new ArtifactRoot(options.artifactsRoot());
    Database database = Database.open(options.store());
    try {
      ExperimentStore experiments = new ExperimentStore(database, artifactRoot);
      experiments.ensureDefault();
      RunStore runs = new RunStore(database);
      RegistryApp.Stores stores =
          new RegistryApp.Stores(
              experiments,
              runs,
              new RunLogger(database),
              new RegisteredModelStore(database),
              new ModelVersionStore(database));
      Javalin app =
          RegistryApp.create(
              stores,
              options.auth(),
              artifactsDirectory,
              options.maxJsonBodyBytes(),
              options.maxArtifactBytes());
      app.start(options.host(), options.port());
      RegistryServer server = new RegistryServer(app, database, options.host());
      LOG.info(
          "Registry server on {} (artifacts: {}, auth: {})",
          server.uri(),
          artifactsDirectory.map(Path::toString).orElse(artifactRoot.base()),
          options.auth().enabled() ? "on" : "off");
      return server;
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** The port the server listens on (the chosen one when started with port 0). */
  public int port() {
    return app.port();
  }

  /** The tracking URI to give MLflow clients, e.g. {@code http://127.0.0.1:5000}. */
  public URI uri() {
    String literal = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + literal + ":" + port());
  }

  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      database.close();
    }
  }
}
