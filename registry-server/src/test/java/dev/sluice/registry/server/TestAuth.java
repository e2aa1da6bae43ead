/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.registry.server.RestClient.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/** Bearer and basic authentication as MLflow clients send them; /health stays open. */
class TestAuth {
  private static final String EXPERIMENTS = "/api/2.0/mlflow/experiments/get?experiment_id=0";
  @TempDir Path directory;

  @Test
  void withoutAuthEveryRequestIsServed() {
    try (RegistryFixture registry = new RegistryFixture(directory)) {
      assertThat(registry.rest.get(EXPERIMENTS).status()).isEqualTo(200);
    }
  }

  @Test
  void bearerTokenIsRequiredAndAccepted() {
    try (RegistryFixture registry =
        new RegistryFixture(directory, o -> o.withAuth(RegistryAuth.bearer("t0ken")))) {
      Response anonymous = registry.rest.get(EXPERIMENTS);
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.errorCode()).isEqualTo("UNAUTHENTICATED");
      assertThat(with(registry, "Bearer wrong").get(EXPERIMENTS).status()).isEqualTo(401);
      assertThat(with(registry, "Bearer t0ken").get(EXPERIMENTS).status()).isEqualTo(200);
      assertThat(registry.rest.get("/health").status()).as("/health is open").isEqualTo(200);

      String uri = registry.server.uri().toString();
      try (MlflowClient authorized = new MlflowClient(new BasicMlflowHostCreds(uri, "t0ken"))) {
        assertThat(authorized.getExperiment("0").getName()).isEqualTo("Default");
      }
      assertThatThrownBy(() -> registry.client.getExperiment("0"))
          .isInstanceOf(MlflowHttpException.class)
          .hasMessageContaining("UNAUTHENTICATED")
          .satisfies(e -> assertThat(((MlflowHttpException) e).getStatusCode()).isEqualTo(401));
    }
  }

  @Test
  void basicCredentialsAreRequiredAndAccepted() {
    try (RegistryFixture registry =
        new RegistryFixture(directory, o -> o.withAuth(RegistryAuth.basic("ana", "pa55")))) {
      assertThat(with(registry, basic("ana", "wrong")).get(EXPERIMENTS).status()).isEqualTo(401);
      assertThat(with(registry, basic("bob", "pa55")).get(EXPERIMENTS).status()).isEqualTo(401);
      assertThat(with(registry, "Basic !!!").get(EXPERIMENTS).status()).isEqualTo(401);
      assertThat(with(registry, basic("ana", "pa55")).get(EXPERIMENTS).status()).isEqualTo(200);

      String uri = registry.server.uri().toString();
      try (MlflowClient authorized =
          new MlflowClient(new BasicMlflowHostCreds(uri, "ana", "pa55"))) {
        assertThat(authorized.createExperiment("secured")).isEqualTo("1");
      }
    }
  }

  @Test
  void secretsNeverShowInToString() {
    RegistryAuth auth =
        new RegistryAuth(Optional.of("t0ken"), Optional.of("ana"), Optional.of("pa55"));
    RegistryServerOptions options = RegistryServerOptions.local(directory).withAuth(auth);
    assertThat(options.toString()).doesNotContain("t0ken").doesNotContain("pa55").contains("ana");
    assertThatThrownBy(
            () -> new RegistryAuth(Optional.empty(), Optional.of("ana"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Basic auth needs both a username and a password");
  }

  private static RestClient with(RegistryFixture registry, String authorization) {
    return new RestClient(registry.server.uri(), Optional.of(authorization));
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
