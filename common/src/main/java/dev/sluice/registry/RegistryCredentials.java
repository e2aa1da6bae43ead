/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlflow.tracking.creds.DatabricksConfigHostCredsProvider;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;

/**
 * Credentials for an MLflow server, read from the environment as every MLflow client reads them: a
 * bearer token ({@code MLFLOW_TRACKING_TOKEN}) or basic credentials ({@code
 * MLFLOW_TRACKING_USERNAME} and {@code MLFLOW_TRACKING_PASSWORD}). The token wins when both are
 * set. {@link #toString()} never shows a secret, and Sluice never logs one.
 */
public record RegistryCredentials(
    Optional<String> token, Optional<String> username, Optional<String> password) {
  public static final String TOKEN_ENV = "MLFLOW_TRACKING_TOKEN";
  public static final String USERNAME_ENV = "MLFLOW_TRACKING_USERNAME";
  public static final String PASSWORD_ENV = "MLFLOW_TRACKING_PASSWORD";

  public RegistryCredentials {
    requireNonNull(token, "token is null");
    requireNonNull(username, "username is null");
    requireNonNull(password, "password is null");
  }

  public static RegistryCredentials none() {
    return new RegistryCredentials(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Reads the MLFLOW_TRACKING_* variables of {@code env}; empty values count as unset. */
  public static RegistryCredentials fromEnvironment(Map<String, String> env) {
    return new RegistryCredentials(
        nonEmpty(env.get(TOKEN_ENV)),
        nonEmpty(env.get(USERNAME_ENV)),
        nonEmpty(env.get(PASSWORD_ENV)));
  }

  /** Whether basic credentials are complete (a username and a password). */
  public boolean hasBasic() {
    return username.isPresent() && password.isPresent();
  }

  /**
   * The MLflow client's credentials for a tracking URI: these for http(s), the {@code
   * ~/.databrickscfg} profile for {@code databricks[://profile]}.
   */
  MlflowHostCredsProvider hostCredentials(String trackingUri) {
    URI uri = URI.create(trackingUri);
    if ("databricks".equals(uri.getScheme()) || "databricks".equals(trackingUri)) {
      String profile = uri.getAuthority();
      return profile == null
          ? new DatabricksConfigHostCredsProvider()
          : new DatabricksConfigHostCredsProvider(profile);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid tracking URI: '%s' (must be http(s)://host:port or databricks)",
              trackingUri));
    }
    if (token.isPresent()) {
      return new BasicMlflowHostCreds(trackingUri, token.orElseThrow());
    }
    if (hasBasic()) {
      return new BasicMlflowHostCreds(trackingUri, username.orElseThrow(), password.orElseThrow());
    }
    return new BasicMlflowHostCreds(trackingUri);
  }

  @Override
  public String toString() {
    return "RegistryCredentials[token="
        + (token.isPresent() ? "***" : "none")
        + ", basic="
        + (hasBasic() ? username.orElseThrow() + ":***" : "none")
        + "]";
  }

  private static Optional<String> nonEmpty(String value) {
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
