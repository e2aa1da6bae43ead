/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.mlflow_project.google.gson.JsonObject;
import org.mlflow_project.google.gson.JsonParser;

/** Raw HTTP against the server (java.net.http), for what the MLflow Java client lacks. */
final class RestClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private final Optional<String> authorization;

  RestClient(URI base) {
    this(base, Optional.empty());
  }

  RestClient(URI base, Optional<String> authorization) {
    this.base = base;
    this.authorization = authorization;
  }

  /** A response: status and body text. */
  record Response(int status, String body) {
    JsonObject json() {
      return JsonParser.parseString(body).getAsJsonObject();
    }

    String errorCode() {
      return json().get("error_code").getAsString();
    }
  }

  Response get(String path) {
    return send("GET", path, HttpRequest.BodyPublishers.noBody());
  }

  Response post(String path, String json) {
    return send("POST", path, HttpRequest.BodyPublishers.ofString(json));
  }

  Response patch(String path, String json) {
    return send("PATCH", path, HttpRequest.BodyPublishers.ofString(json));
  }

  Response delete(String path, String json) {
    return send("DELETE", path, HttpRequest.BodyPublishers.ofString(json));
  }

  Response put(String path, byte[] body) {
    return send("PUT", path, HttpRequest.BodyPublishers.ofByteArray(body));
  }

  byte[] getBytes(String path) {
    try {
      HttpResponse<byte[]> response =
          http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response send(String method, String path, HttpRequest.BodyPublisher body) {
    try {
      HttpResponse<String> response =
          http.send(
              request(path).method(method, body).header("Content-Type", "application/json").build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    authorization.ifPresent(value -> builder.header("Authorization", value));
    return builder;
  }
}
