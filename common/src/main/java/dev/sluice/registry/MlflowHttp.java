/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import dev.sluice.error.PipelineErrors;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mlflow.tracking.creds.MlflowHostCreds;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;
import org.mlflow_project.google.gson.JsonObject;
import org.mlflow_project.google.gson.JsonParseException;
import org.mlflow_project.google.gson.JsonParser;

/**
 * The calls the MLflow Java client lacks, over java.net.http with the client's credentials: GETs
 * whose 404 is an answer, DELETE verbs, and the {@code mlflow-artifacts} file API. Never logs a
 * header.
 */
final class MlflowHttp {
  static final String API = "/api/2.0/mlflow/";
  static final String ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts";
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final MlflowHostCredsProvider credentials;
  private final HttpClient http;

  MlflowHttp(MlflowHostCredsProvider credentials) {
    this.credentials = requireNonNull(credentials, "credentials is null");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** The server's answer to a REST call that failed: status, MLflow error code and message. */
  record Failure(int status, String errorCode, String message) {
    boolean notFound() {
      return status == 404 || "RESOURCE_DOES_NOT_EXIST".equals(errorCode);
    }

    @Override
    public String toString() {
      return "HTTP " + status + " " + errorCode + ": " + message;
    }
  }

  /** A REST answer: the JSON body on 200, else the failure. */
  record Answer(Optional<JsonObject> body, Optional<Failure> failure) {
    JsonObject orThrow(String operation, String location) {
      return body.orElseThrow(
          () ->
              PipelineErrors.registryFailed(operation, location, failure.orElseThrow().toString()));
    }
  }

  Answer get(String endpoint, Map<String, String> query) {
    return call("GET", restUri(endpoint, query), HttpRequest.BodyPublishers.noBody());
  }

  Answer delete(String endpoint, JsonObject body) {
    return call(
        "DELETE",
        restUri(endpoint, Map.of()),
        HttpRequest.BodyPublishers.ofString(body.toString()));
  }

  /** Lists one artifact directory (relative to the artifacts API root). */
  Answer listArtifacts(String directory) {
    return call(
        "GET",
        URI.create(host() + ARTIFACTS_API + "?path=" + encodeQuery(directory)),
        HttpRequest.BodyPublishers.noBody());
  }

  void uploadArtifact(String path, Path file) {
    HttpRequest request;
    try {
      request =
          authorized(artifactUri(path))
              .header("Content-Type", "application/octet-stream")
              .PUT(HttpRequest.BodyPublishers.ofFile(file))
              .build();
    } catch (IOException e) {
      throw PipelineErrors.internal("Cannot read artifact file " + file, e);
    }
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(), path);
    if (response.statusCode() != 200) {
      throw PipelineErrors.registryFailed(
          "upload of artifact " + path, host(), failure(response).toString());
    }
  }

  void downloadArtifact(String path, Path target) {
    HttpRequest request = authorized(artifactUri(path)).GET().build();
    Path partial = target.resolveSibling(target.getFileName() + ".part");
    HttpResponse<Path> response = send(request, HttpResponse.BodyHandlers.ofFile(partial), path);
    try {
      if (response.statusCode() != 200) {
        String body = Files.readString(partial, StandardCharsets.UTF_8);
        Files.deleteIfExists(partial);
        throw PipelineErrors.registryFailed(
            "download of artifact " + path,
            host(),
            failure(response.statusCode(), body).toString());
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw PipelineErrors.internal("Cannot write artifact file " + target, e);
    }
  }

  String host() {
    return stripSlash(hostCreds().getHost());
  }

  private Answer call(String method, URI uri, HttpRequest.BodyPublisher body) {
    HttpRequest request =
        authorized(uri).header("Content-Type", "application/json").method(method, body).build();
    HttpResponse<String> response =
        send(request, HttpResponse.BodyHandlers.ofString(), uri.getPath());
    if (response.statusCode() == 200) {
      return new Answer(Optional.of(parse(response.body())), Optional.empty());
    }
    return new Answer(Optional.empty(), Optional.of(failure(response)));
  }

  private <T> HttpResponse<T> send(
      HttpRequest request, HttpResponse.BodyHandler<T> handler, String what) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw PipelineErrors.registryUnreachable(host(), what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PipelineErrors.internal("Interrupted while calling the model registry: " + what, e);
    }
  }

  private HttpRequest.Builder authorized(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
    MlflowHostCreds creds = hostCreds();
    if (creds.getToken() != null && !creds.getToken().isEmpty()) {
      builder.header("Authorization", "Bearer " + creds.getToken());
    } else if (creds.getUsername() != null && creds.getPassword() != null) {
      String pair = creds.getUsername() + ":" + creds.getPassword();
      builder.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return builder;
  }

  private MlflowHostCreds hostCreds() {
    return credentials.getHostCreds();
  }

  private URI restUri(String endpoint, Map<String, String> query) {
    String params =
        query.entrySet().stream()
            .map(e -> encodeQuery(e.getKey()) + "=" + encodeQuery(e.getValue()))
            .collect(Collectors.joining("&"));
    return URI.create(host() + API + endpoint + (params.isEmpty() ? "" : "?" + params));
  }

  private URI artifactUri(String path) {
    StringBuilder encoded = new StringBuilder();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        encoded.append('/').append(encodeQuery(segment).replace("+", "%20"));
      }
    }
    return URI.create(host() + ARTIFACTS_API + encoded);
  }

  private static Failure failure(HttpResponse<String> response) {
    return failure(response.statusCode(), response.body());
  }

  static Failure failure(int status, String body) {
    try {
      JsonObject json = JsonParser.parseString(body).getAsJsonObject();
      String code = json.has("error_code") ? json.get("error_code").getAsString() : "";
      String message = json.has("message") ? json.get("message").getAsString() : body;
      return new Failure(status, code, message);
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
      return new Failure(status, "", body.length() > 500 ? body.substring(0, 500) : body);
    }
  }

  private static JsonObject parse(String body) {
    if (body == null || body.isBlank()) {
      return new JsonObject();
    }
    return JsonParser.parseString(body).getAsJsonObject();
  }

  private static String encodeQuery(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String stripSlash(String host) {
    return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
  }
}
