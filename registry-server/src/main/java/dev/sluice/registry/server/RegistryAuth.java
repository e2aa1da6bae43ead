/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Optional authentication, as MLflow clients send it: a bearer token ({@code
 * MLFLOW_TRACKING_TOKEN}) and/or basic credentials ({@code MLFLOW_TRACKING_USERNAME} and {@code
 * MLFLOW_TRACKING_PASSWORD}). With neither, the server is open. {@link #toString()} never shows a
 * secret.
 */
public record RegistryAuth(
    Optional<String> bearerToken, Optional<String> username, Optional<String> password) {
  public RegistryAuth {
    requireNonNull(bearerToken, "bearerToken is null");
    requireNonNull(username, "username is null");
    requireNonNull(password, "password is null");
    if (username.isPresent() != password.isPresent()) {
      throw new IllegalArgumentException("Basic auth needs both a username and a password");
    }
    bearerToken.ifPresent(token -> checkNotEmpty("bearer token", token));
    password.ifPresent(secret -> checkNotEmpty("password", secret));
  }

  /** No authentication. */
  public static RegistryAuth none() {
    return new RegistryAuth(Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static RegistryAuth bearer(String token) {
    return new RegistryAuth(Optional.of(token), Optional.empty(), Optional.empty());
  }

  public static RegistryAuth basic(String username, String password) {
    return new RegistryAuth(Optional.empty(), Optional.of(username), Optional.of(password));
  }

  /** Whether requests must authenticate. */
  public boolean enabled() {
    return bearerToken.isPresent() || username.isPresent();
  }

  @Override
  public String toString() {
    return "RegistryAuth[bearer="
        + (bearerToken.isPresent() ? "***" : "off")
        + ", basic="
        + username.map(user -> user + ":***").orElse("off")
        + "]";
  }

  private static void checkNotEmpty(String what, String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("Empty " + what);
    }
  }
}
