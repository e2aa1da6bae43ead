/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The defaults of {@link RegistryServerOptions} and the mapping of every field. */
class TestRegistryServerOptions {
  private static final Path DIRECTORY = Path.of("/data/registry");

  @Test
  void localDefaults() {
    RegistryServerOptions options = RegistryServerOptions.local(DIRECTORY);
    assertThat(options.host()).as("loopback unless told otherwise").isEqualTo("127.0.0.1");
    assertThat(options.port()).as("ephemeral").isZero();
    assertThat(options.store()).isEqualTo("/data/registry/registry.db");
    assertThat(options.artifactsRoot()).isEqualTo("/data/registry/artifacts");
    assertThat(options.localArtifactsDirectory()).contains(Path.of("/data/registry/artifacts"));
    assertThat(options.auth().enabled()).isFalse();
    assertThat(options.maxJsonBodyBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(options.maxArtifactBytes()).isEqualTo(1024L * 1024 * 1024);
  }

  @Test
  void everyFieldMaps() {
    RegistryServerOptions options =
        RegistryServerOptions.local(DIRECTORY)
            .withHost("0.0.0.0")
            .withPort(5000)
            .withStore("jdbc:postgresql://db/registry")
            .withArtifactsRoot("s3a://bucket/mlflow")
            .withAuth(RegistryAuth.bearer("t"))
            .withLimits(10, 20);
    assertThat(options)
        .isEqualTo(
            new RegistryServerOptions(
                "0.0.0.0",
                5000,
                "jdbc:postgresql://db/registry",
                "s3a://bucket/mlflow",
                RegistryAuth.bearer("t"),
                10,
                20));
    assertThat(options.localArtifactsDirectory()).as("s3a roots are only recorded").isEmpty();
    assertThat(options.withArtifactsRoot("file:///srv/artifacts").localArtifactsDirectory())
        .contains(Path.of("/srv/artifacts"));
  }

  @Test
  void refusesInvalidValues() {
    RegistryServerOptions options = RegistryServerOptions.local(DIRECTORY);
    assertThatThrownBy(() -> options.withPort(70_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid port: 70000 (must be 0-65535)");
    assertThatThrownBy(() -> options.withLimits(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid maxJsonBodyBytes: 0 (must be > 0)");
    assertThatThrownBy(() -> options.withLimits(1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid maxArtifactBytes: -1 (must be > 0)");
    assertThatThrownBy(() -> RegistryAuth.bearer(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Empty bearer token");
  }
}
