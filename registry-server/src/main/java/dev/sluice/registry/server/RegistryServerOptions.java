/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to run a {@link RegistryServer}.
 *
 * @param host the address to bind; 127.0.0.1 unless told otherwise
 * @param port the port; 0 for an ephemeral port
 * @param store a JDBC URL ({@code jdbc:sqlite:...}, {@code jdbc:postgresql://...}) or the path of a
 *     SQLite file
 * @param artifactsRoot a local directory (served over mlflow-artifacts) or a non-local URI such as
 *     {@code s3a://bucket/mlflow} (only recorded in run artifact URIs)
 * @param auth optional authentication
 * @param maxJsonBodyBytes the largest accepted REST request body
 * @param maxArtifactBytes the largest accepted artifact upload
 */
public record RegistryServerOptions(
    String host,
    int port,
    String store,
    String artifactsRoot,
    RegistryAuth auth,
    long maxJsonBodyBytes,
    long maxArtifactBytes) {
  public static final String LOOPBACK = "127.0.0.1";
  public static final long DEFAULT_MAX_JSON_BODY_BYTES = 16L * 1024 * 1024; // 16 MiB
  public static final long DEFAULT_MAX_ARTIFACT_BYTES = 1024L * 1024 * 1024; // 1 GiB

  public RegistryServerOptions {
    requireNonNull(host, "host is null");
    requireNonNull(store, "store is null");
    requireNonNull(artifactsRoot, "artifactsRoot is null");
    requireNonNull(auth, "auth is null");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(String.format("Invalid port: %s (must be 0-65535)", port));
    }
    if (maxJsonBodyBytes <= 0) {
      throw new IllegalArgumentException(
          String.format("Invalid maxJsonBodyBytes: %s (must be > 0)", maxJsonBodyBytes));
    }
    if (maxArtifactBytes <= 0) {
      throw new IllegalArgumentException(
          String.format("Invalid maxArtifactBytes: %s (must be > 0)", maxArtifactBytes));
    }
  }

  /**
   * Defaults for a registry kept in {@code directory}: {@code registry.db} and {@code artifacts/}
   * there, loopback, an ephemeral port, no auth.
   */
  public static RegistryServerOptions local(Path directory) {
    return new RegistryServerOptions(
        LOOPBACK,
        0,
        directory.resolve("registry.db").toString(),
        directory.resolve("artifacts").toString(),
        RegistryAuth.none(),
        DEFAULT_MAX_JSON_BODY_BYTES,
        DEFAULT_MAX_ARTIFACT_BYTES);
  }

  public RegistryServerOptions withHost(String newHost) {
    return new RegistryServerOptions(
        newHost, port, store, artifactsRoot, auth, maxJsonBodyBytes, maxArtifactBytes);
  }

  public RegistryServerOptions withPort(int newPort) {
    return new RegistryServerOptions(
        host, newPort, store, artifactsRoot, auth, maxJsonBodyBytes, maxArtifactBytes);
  }

  public RegistryServerOptions withStore(String newStore) {
    return new RegistryServerOptions(
        host, port, newStore, artifactsRoot, auth, maxJsonBodyBytes, maxArtifactBytes);
  }

  public RegistryServerOptions withArtifactsRoot(String newRoot) {
    return new RegistryServerOptions(
        host, port, store, newRoot, auth, maxJsonBodyBytes, maxArtifactBytes);
  }

  public RegistryServerOptions withAuth(RegistryAuth newAuth) {
    return new RegistryServerOptions(
        host, port, store, artifactsRoot, newAuth, maxJsonBodyBytes, maxArtifactBytes);
  }

  public RegistryServerOptions withLimits(long newMaxJsonBodyBytes, long newMaxArtifactBytes) {
    return new RegistryServerOptions(
        host, port, store, artifactsRoot, auth, newMaxJsonBodyBytes, newMaxArtifactBytes);
  }

  /**
   * The local directory artifacts are served from, or empty when the root is a non-local URI (such
   * as {@code s3a://}) that the server only records.
   */
  public Optional<Path> localArtifactsDirectory() {
    if (artifactsRoot.startsWith("file:")) {
      return Optional.of(Path.of(URI.create(artifactsRoot)));
    }
    if (artifactsRoot.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")
        && !artifactsRoot.matches("^[A-Za-z]:[\\\\/].*")) {
      return Optional.empty();
    }
    return Optional.of(Path.of(artifactsRoot));
  }
}
