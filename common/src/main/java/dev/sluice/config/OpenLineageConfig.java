/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import dev.sluice.error.PipelineErrors;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Optional;

/**
 * Where jobs send their OpenLineage run events (docs/lineage.md). Off by default.
 *
 * @param transport {@code none}, {@code file} (JSON lines appended to {@code file}) or {@code http}
 *     (one POST per event to {@code url})
 * @param file the absolute path of the JSON-lines file, present exactly when the transport is file
 * @param url the endpoint events are POSTed to, present exactly when the transport is http
 * @param namespace the OpenLineage namespace of Sluice's jobs
 * @param timeoutMs how long one event may take to send before it counts as undelivered
 */
public record OpenLineageConfig(
    Transport transport, Optional<Path> file, Optional<URI> url, String namespace, long timeoutMs) {

  /** How events leave the job. */
  public enum Transport {
    NONE,
    FILE,
    HTTP
  }

  public OpenLineageConfig {
    requireNonNull(transport, "transport is null");
    requireNonNull(file, "file is null");
    requireNonNull(url, "url is null");
    requireNonNull(namespace, "namespace is null");
  }

  static OpenLineageConfig from(ConfigReader reader) {
    Transport transport = transport(reader);
    String namespace = reader.nonEmptyString("namespace", "sluice");
    long timeoutMs = reader.positiveLong("timeout-ms");
    Optional<Path> file = Optional.empty();
    Optional<URI> url = Optional.empty();
    if (transport == Transport.FILE) {
      String raw = reader.string("file").trim();
      if (raw.isEmpty()) {
        throw PipelineErrors.invalidConfig(
            reader.path("file"),
            raw,
            "must be a file path when "
                + reader.path("transport")
                + " is \"file\", e.g. ./lakehouse/_lineage/events.jsonl");
      }
      file = Optional.of(Paths.get(raw).toAbsolutePath().normalize());
    } else if (transport == Transport.HTTP) {
      url = Optional.of(httpUrl(reader.path("url"), reader.string("url").trim()));
    }
    return new OpenLineageConfig(transport, file, url, namespace, timeoutMs);
  }

  private static Transport transport(ConfigReader reader) {
    String raw = reader.nonEmptyString("transport", "none");
    try {
      return Transport.valueOf(raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw PipelineErrors.invalidConfig(
          reader.path("transport"), raw, "must be one of \"none\", \"file\" or \"http\"");
    }
  }

  private static URI httpUrl(String key, String raw) {
    String allowed = "must be an http(s):// URL of an OpenLineage endpoint, e.g. ";
    String example = "http://127.0.0.1:5000/api/v1/lineage";
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw PipelineErrors.invalidConfig(key, raw, allowed + example + " (" + e.getReason() + ")");
    }
    boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
    if (!http || uri.getHost() == null) {
      throw PipelineErrors.invalidConfig(key, raw, allowed + example);
    }
    return uri;
  }
}
