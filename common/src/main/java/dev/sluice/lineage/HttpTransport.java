/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.lineage;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** POSTs each event as {@code application/json} to an OpenLineage endpoint (e.g. Marquez's). */
final class HttpTransport implements EventTransport {
  private static final int MAX_BODY_CHARS = 200;

  private final URI url;
  private final Duration timeout;
  private final HttpClient http;

  HttpTransport(URI url, long timeoutMs) {
    this.url = requireNonNull(url, "url is null");
    this.timeout = Duration.ofMillis(timeoutMs);
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public void send(String json) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response =
        http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      String body = response.body();
      throw new IOException(
          "HTTP "
              + response.statusCode()
              + ": "
              + (body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) + "…" : body));
    }
  }

  @Override
  public String target() {
    return url.toString();
  }
}
