/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.http;

import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.RegistryAuth;
import dev.sluice.registry.server.api.MlflowErrors;
import dev.sluice.registry.server.store.ExperimentStore;
import dev.sluice.registry.server.store.ModelVersionStore;
import dev.sluice.registry.server.store.RegisteredModelStore;
import dev.sluice.registry.server.store.RunLogger;
import dev.sluice.registry.server.store.RunStore;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP application: MLflow REST API 2.0 routes, auth, limits and MLflow's error shape. */
public final class RegistryApp {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryApp.class);

  private RegistryApp() {}

  /** The stores the routes serve. */
  public record Stores(
      ExperimentStore experiments,
      RunStore runs,
      RunLogger logger,
      RegisteredModelStore models,
      ModelVersionStore versions) {
    public Stores {
      requireNonNull(experiments, "experiments is null");
      requireNonNull(runs, "runs is null");
      requireNonNull(logger, "logger is null");
      requireNonNull(models, "models is null");
      requireNonNull(versions, "versions is null");
    }
  }

  /**
   * Creates (not starts) the application.
   *
   * @param artifactsDirectory where mlflow-artifacts are stored, or empty to not serve them
   */
  public static Javalin create(
      Stores stores,
      RegistryAuth auth,
      Optional<Path> artifactsDirectory,
      long maxJsonBodyBytes,
      long maxArtifactBytes) {
    Javalin app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.startupWatcherEnabled = false;
              config.http.maxRequestSize = maxJsonBodyBytes;
              config.http.disableCompression();
              config.router.ignoreTrailingSlashes = true;
            });
    app.before(new AuthFilter(auth));
    Endpoints.installErrorHandlers(app);
    app.exception(
        HttpResponseException.class,
        (e, ctx) ->
            Endpoints.writeError(ctx, MlflowErrors.fromHttpStatus(e.getStatus(), e.getMessage())));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("Request {} {} failed", ctx.method(), ctx.path(), e);
          Endpoints.writeError(ctx, MlflowErrors.internal("Internal error: " + e, e));
        });
    app.get(AuthFilter.HEALTH, ctx -> ctx.contentType("text/plain").result("OK"));
    Endpoints endpoints = new Endpoints(app, maxJsonBodyBytes);
    new TrackingRoutes(stores.experiments(), stores.runs(), stores.logger()).register(endpoints);
    new ModelRegistryRoutes(stores.models(), stores.versions()).register(endpoints);
    new ArtifactRoutes(artifactsDirectory.map(ArtifactFiles::new), stores.runs(), maxArtifactBytes)
        .register(app, endpoints);
    return app;
  }
}
