/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import dev.sluice.error.PipelineErrors;
import dev.sluice.error.SluiceException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow_project.google.gson.JsonObject;

/**
 * One MLflow server's REST calls, through the MLflow Java client or {@link MlflowHttp}, with every
 * failure translated to Sluice's errors: 404 / {@code RESOURCE_DOES_NOT_EXIST} → {@code
 * UPSTREAM_MISSING} naming what is missing, {@code INVALID_PARAMETER_VALUE} → {@code CONFIG},
 * anything else → {@code INTERNAL}.
 */
final class MlflowCalls {
  final String location;
  final MlflowClient client;
  final MlflowHttp http;

  MlflowCalls(String location, MlflowClient client, MlflowHttp http) {
    this.location = requireNonNull(location, "location is null");
    this.client = requireNonNull(client, "client is null");
    this.http = requireNonNull(http, "http is null");
  }

  /** A flat JSON request from key/value pairs. */
  static JsonObject json(String... keysAndValues) {
    JsonObject json = new JsonObject();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      json.addProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    return json;
  }

  /** A GET whose 404 is an answer: empty when the object does not exist. */
  Optional<JsonObject> getIfExists(String endpoint, Map<String, String> query) {
    MlflowHttp.Answer answer = http.get(endpoint, query);
    if (answer.body().isPresent()) {
      return answer.body();
    }
    MlflowHttp.Failure failure = answer.failure().orElseThrow();
    if (failure.notFound()) {
      return Optional.empty();
    }
    throw translate(endpoint, failure, endpoint);
  }

  /** A POST through the Java client ({@code sendPost}); {@code what} names the object. */
  String post(String endpoint, JsonObject request, String what) {
    return call(endpoint, () -> client.sendPost(endpoint, request.toString()), what);
  }

  /** A DELETE verb, which the Java client lacks; the failure, if any. */
  Optional<MlflowHttp.Failure> delete(String endpoint, JsonObject request) {
    return http.delete(endpoint, request).failure();
  }

  /** A DELETE that must succeed. */
  void deleteOrThrow(String endpoint, JsonObject request, String what) {
    delete(endpoint, request)
        .ifPresent(
            failure -> {
              throw translate(endpoint, failure, what);
            });
  }

  <T> T call(String operation, Supplier<T> action) {
    return call(operation, action, operation);
  }

  <T> T call(String operation, Supplier<T> action, String what) {
    try {
      return action.get();
    } catch (MlflowHttpException e) {
      throw translate(operation, MlflowHttp.failure(e.getStatusCode(), e.getBodyMessage()), what);
    } catch (MlflowClientException e) {
      throw PipelineErrors.registryUnreachable(location, operation, e);
    }
  }

  void run(String operation, Runnable action) {
    call(
        operation,
        () -> {
          action.run();
          return null;
        });
  }

  SluiceException notFound(String what) {
    return PipelineErrors.registryNotFound(what, location);
  }

  SluiceException translate(String operation, MlflowHttp.Failure failure, String what) {
    if (failure.notFound()) {
      return notFound(what);
    }
    if ("INVALID_PARAMETER_VALUE".equals(failure.errorCode())) {
      return PipelineErrors.registryRefused(operation, location, failure.message());
    }
    return PipelineErrors.registryFailed(operation, location, failure.toString());
  }
}
