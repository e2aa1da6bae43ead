/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.http;

import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.RegistryAuth;
import dev.sluice.registry.server.api.MlflowErrors;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Checks the credentials MLflow clients send: {@code Authorization: Bearer <token>} or {@code
 * Authorization: Basic <base64(user:password)>}. {@code /health} stays open. Credentials are
 * compared in constant time and never logged.
 */
final class AuthFilter implements Handler {
  static final String HEALTH = "/health";

  private final RegistryAuth auth;

  AuthFilter(RegistryAuth auth) {
    this.auth = requireNonNull(auth, "auth is null");
  }

  @Override
  public void handle(Context ctx) {
    if (!auth.enabled() || ctx.path().equals(HEALTH)) {
      return;
    }
    String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
    if (!bearerMatches(header) && !basicMatches(header)) {
      ctx.header("WWW-Authenticate", "Basic realm=\"mlflow\"");
      throw MlflowErrors.unauthenticated();
    }
  }

  private boolean bearerMatches(String header) {
    return auth.bearerToken().isPresent()
        && header.regionMatches(true, 0, "Bearer ", 0, 7)
        && same(header.substring(7).trim(), auth.bearerToken().get());
  }

  private boolean basicMatches(String header) {
    if (auth.username().isEmpty() || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    String expected = auth.username().get() + ":" + auth.password().orElseThrow();
    return same(decoded, expected);
  }

  private static boolean same(String given, String expected) {
    return MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
