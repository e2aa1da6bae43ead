/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.http;

import dev.sluice.registry.server.api.MlflowErrors;
import dev.sluice.registry.server.api.MlflowException;
import dev.sluice.registry.server.api.ProtoJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mlflow_project.google.gson.JsonObject;
import org.mlflow_project.google.protobuf.Message;
import org.mlflow_project.google.protobuf.MessageOrBuilder;

/**
 * Binds MLflow REST endpoints: the request proto is read from the JSON body (or, when there is
 * none, from the query string), and the response proto is written as a JSON object.
 */
final class Endpoints {
  static final String API = "/api/2.0/mlflow/";
  static final String JSON = "application/json";
  private static final String ERROR_WRITTEN = "sluice.mlflow-error";

  private final Javalin app;
  private final long maxBodyBytes;

  Endpoints(Javalin app, long maxBodyBytes) {
    this.app = app;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Serves {@code API + path} for each of {@code methods}. */
  <B extends Message.Builder> void bind(
      String path,
      Supplier<B> request,
      Function<B, ? extends MessageOrBuilder> action,
      HandlerType... methods) {
    for (HandlerType method : methods) {
      app.addHttpHandler(
          method,
          API + path,
          ctx -> {
            B builder = read(ctx, request.get());
            respond(ctx, action.apply(builder));
          });
    }
  }

  <B extends Message.Builder> B read(Context ctx, B builder) {
    if (ctx.contentLength() > maxBodyBytes) {
      throw MlflowErrors.tooLarge(maxBodyBytes);
    }
    String body = ctx.body();
    if (body.length() > maxBodyBytes) {
      throw MlflowErrors.tooLarge(maxBodyBytes);
    }
    return body.isBlank()
        ? ProtoJson.parseQuery(ctx.queryParamMap(), builder)
        : ProtoJson.parse(body, builder);
  }

  static void respond(Context ctx, MessageOrBuilder response) {
    ctx.contentType(JSON).result(ProtoJson.print(response));
  }

  /** Answers MLflow errors in MLflow's shape, and unknown routes with ENDPOINT_NOT_FOUND. */
  static void installErrorHandlers(Javalin app) {
    app.exception(MlflowException.class, (e, ctx) -> writeError(ctx, e));
    app.error(
        404,
        ctx -> {
          if (ctx.attribute(ERROR_WRITTEN) == null) {
            writeError(ctx, MlflowErrors.endpointNotFound(ctx.method().name(), ctx.path()));
          }
        });
  }

  static void writeError(Context ctx, MlflowException error) {
    JsonObject json = new JsonObject();
    json.addProperty("error_code", error.errorCode().name());
    json.addProperty("message", error.getMessage());
    ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
    ctx.status(error.httpStatus()).contentType(JSON).result(json.toString());
  }
}
