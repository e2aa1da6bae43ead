/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.error.ErrorCode;
import dev.sluice.error.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestRegistryConfig {
  @TempDir Path dir;

  @Test
  void defaultsToTheEmbeddedServerUnderALocalLakeRoot() throws Exception {
    Path lake = dir.resolve("lake");
    RegistryConfig config = load(Map.of("sluice.lake.root", lake.toString()));

    Path registry = lake.toAbsolutePath().resolve("_registry");
    assertThat(config)
        .isEqualTo(
            new RegistryConfig(
                "embedded",
                registry.resolve("registry.db").toString(),
                registry.resolve("artifacts").toString(),
                "127.0.0.1",
                5000));
    assertThat(config.embedded()).isTrue();
  }

  @Test
  void keepsTheStoreOnTheLocalSideWhenTheLakeIsOnS3() throws Exception {
    RegistryConfig config = load(Map.of("sluice.lake.root", "s3a://bucket/lake"));

    Path registry = Paths.get("lakehouse", "_registry").toAbsolutePath().normalize();
    assertThat(config.store()).isEqualTo(registry.resolve("registry.db").toString());
    assertThat(config.artifactsRoot()).isEqualTo(registry.resolve("artifacts").toString());
  }

  @Test
  void mapsEveryKey() throws Exception {
    RegistryConfig config =
        load(
            Map.of(
                "sluice.registry.tracking-uri", "https://mlflow.example.com:8443",
                "sluice.registry.store", dir.resolve("r.db").toString(),
                "sluice.registry.artifacts-root", "s3a://bucket/mlflow",
                "sluice.registry.host", "0.0.0.0",
                "sluice.registry.port", "5123"));

    assertThat(config)
        .isEqualTo(
            new RegistryConfig(
                "https://mlflow.example.com:8443",
                dir.resolve("r.db").toString(),
                "s3a://bucket/mlflow",
                "0.0.0.0",
                5123));
    assertThat(config.embedded()).isFalse();
  }

  @Test
  void putsArtifactsBesideAnExplicitStoreAndKeepsJdbcUrls() throws Exception {
    RegistryConfig sqlite = load(Map.of("sluice.registry.store", dir.resolve("x/r.db").toString()));
    RegistryConfig postgres =
        load(Map.of("sluice.registry.store", "jdbc:postgresql://db:5432/registry"));

    assertThat(sqlite.artifactsRoot()).isEqualTo(dir.resolve("x/artifacts").toString());
    assertThat(postgres.store()).isEqualTo("jdbc:postgresql://db:5432/registry");
  }

  @Test
  void acceptsDatabricksTrackingUris() throws Exception {
    assertThat(load(Map.of("sluice.registry.tracking-uri", "databricks")).trackingUri())
        .isEqualTo("databricks");
    assertThat(load(Map.of("sluice.registry.tracking-uri", "databricks://prod")).trackingUri())
        .isEqualTo("databricks://prod");
  }

  @Test
  void refusesATrackingUriThatIsNotAServer() {
    assertThatThrownBy(() -> load(Map.of("sluice.registry.tracking-uri", "file:/tmp/mlruns")))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Invalid config sluice.registry.tracking-uri = 'file:/tmp/mlruns': must be"
                + " \"embedded\", an http(s)://host:port URI of an MLflow server, or"
                + " databricks[://profile] (set it in your --conf file or with"
                + " -Dsluice.registry.tracking-uri=...)")
        .satisfies(e -> assertThat(((SluiceException) e).code()).isEqualTo(ErrorCode.CONFIG));
  }

  @Test
  void refusesAPortOutOfRange() {
    assertThatThrownBy(() -> load(Map.of("sluice.registry.port", "70000")))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith(
            "Invalid config sluice.registry.port = '70000': must be a port number between 0 and"
                + " 65535");
  }

  private RegistryConfig load(Map<String, String> overrides) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.conf"), "");
    return ConfigLoader.load(Optional.of(empty), overrides).registry();
  }
}
