/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import dev.sluice.error.PipelineErrors;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Pattern;

/**
 * The model registry Sluice logs runs and models to.
 *
 * <p>Defaults (empty {@code store} / {@code artifacts-root}): the registry directory is {@code
 * _registry} under the lake root when the root is local, else {@code ./lakehouse/_registry}; the
 * store is {@code registry.db} there and the artifacts root is {@code artifacts} beside the store.
 *
 * @param trackingUri {@value #EMBEDDED} (an in-process server on loopback), an {@code http(s)://}
 *     URI of an MLflow server, or {@code databricks[://profile]}
 * @param store the embedded server's store: a SQLite file path or a JDBC URL
 * @param artifactsRoot the embedded server's artifacts root: a local directory or a file system URI
 *     such as {@code s3a://bucket/mlflow}
 * @param host the address {@code sluice registry serve} binds
 * @param port the port {@code sluice registry serve} listens on (0 = any free port)
 */
public record RegistryConfig(
    String trackingUri, String store, String artifactsRoot, String host, int port) {
  public static final String EMBEDDED = "embedded";
  private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*");

  public RegistryConfig {
    requireNonNull(trackingUri, "trackingUri is null");
    requireNonNull(store, "store is null");
    requireNonNull(artifactsRoot, "artifactsRoot is null");
    requireNonNull(host, "host is null");
  }

  /** Whether jobs start the embedded server in-process instead of calling a remote one. */
  public boolean embedded() {
    return EMBEDDED.equals(trackingUri);
  }

  static RegistryConfig from(ConfigReader reader, LakeConfig lake) {
    String trackingUri = reader.nonEmptyString("tracking-uri", EMBEDDED);
    checkTrackingUri(reader.path("tracking-uri"), trackingUri);
    Path directory =
        lake.isLocal()
            ? Paths.get(lake.root()).resolve("_registry")
            : Paths.get("lakehouse", "_registry").toAbsolutePath().normalize();
    String rawStore = reader.string("store").trim();
    String store =
        rawStore.isEmpty()
            ? directory.resolve("registry.db").toString()
            : rawStore.startsWith("jdbc:") ? rawStore : absolute(rawStore);
    String rawArtifacts = reader.string("artifacts-root").trim();
    String artifactsRoot;
    if (!rawArtifacts.isEmpty()) {
      artifactsRoot =
          URI_SCHEME.matcher(rawArtifacts).matches() ? rawArtifacts : absolute(rawArtifacts);
    } else if (store.startsWith("jdbc:")) {
      artifactsRoot = directory.resolve("artifacts").toString();
    } else {
      artifactsRoot = Paths.get(store).resolveSibling("artifacts").toString();
    }
    long port = reader.longValue("port", "a port number (0-65535)");
    if (port < 0 || port > 65_535) {
      throw PipelineErrors.invalidConfig(
          reader.path("port"),
          port,
          "must be a port number between 0 and 65535 (0 = any free port)");
    }
    return new RegistryConfig(
        trackingUri, store, artifactsRoot, reader.nonEmptyString("host", "127.0.0.1"), (int) port);
  }

  private static void checkTrackingUri(String key, String value) {
    if (value.equals(EMBEDDED) || value.equals("databricks")) {
      return;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (java.net.URISyntaxException e) {
      throw PipelineErrors.invalidConfig(key, value, "must be a URI: " + e.getReason());
    }
    boolean http =
        ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            && uri.getHost() != null;
    boolean databricks = "databricks".equals(uri.getScheme()) && uri.getAuthority() != null;
    if (!http && !databricks) {
      throw PipelineErrors.invalidConfig(
          key,
          value,
          "must be \"embedded\", an http(s)://host:port URI of an MLflow server, or"
              + " databricks[://profile]");
    }
  }

  private static String absolute(String path) {
    String local = path.startsWith("file:") ? Paths.get(URI.create(path)).toString() : path;
    return Paths.get(local).toAbsolutePath().normalize().toString();
  }
}
