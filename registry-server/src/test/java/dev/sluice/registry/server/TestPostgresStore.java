/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.RunInfo;

/**
 * The same server on PostgreSQL. Runs only when {@code SLUICE_TEST_POSTGRES_URL} names a database
 * (e.g. {@code jdbc:postgresql://127.0.0.1:5432/registry?user=postgres}); skipped otherwise.
 */
class TestPostgresStore {
  private static final String URL_VARIABLE = "SLUICE_TEST_POSTGRES_URL";
  @TempDir Path directory;

  @Test
  void trackingAndRegistryRoundTripOnPostgres() {
    String url = System.getenv(URL_VARIABLE);
    if ("true".equals(System.getenv("CI"))) {
      // Under CI a missing server is a failure, not a skip: .ci/run starts one.
      assertThat(url).as("%s must name a PostgreSQL database under CI", URL_VARIABLE).isNotBlank();
    }
    assumeTrue(
        url != null && !url.isBlank(),
        "PostgreSQL test skipped: no server given; set " + URL_VARIABLE + " to run it");
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    try (RegistryFixture registry = new RegistryFixture(directory, o -> o.withStore(url))) {
      String experimentId = registry.client.createExperiment("pg-" + suffix);
      RunInfo run = registry.client.createRun(experimentId);
      List<Metric> metrics = new ArrayList<>();
      for (int step = 0; step < 100; step++) {
        metrics.add(
            Metric.newBuilder()
                .setKey("m")
                .setValue(step)
                .setTimestamp(step)
                .setStep(step)
                .build());
      }
      registry.client.logBatch(run.getRunId(), metrics, List.of(), List.of());
      registry.client.logBatch(run.getRunId(), metrics, List.of(), List.of());
      registry.client.logParam(run.getRunId(), "p", "x");
      registry.client.setTerminated(run.getRunId());
      assertThat(registry.client.getMetricHistory(run.getRunId(), "m")).hasSize(100);
      assertThat(
              registry.client.searchRuns(
                  List.of(experimentId), "metrics.m = 99 and params.p = 'x'"))
          .extracting(RunInfo::getRunId)
          .containsExactly(run.getRunId());

      String model = "pg-model-" + suffix;
      registry.client.sendPost("registered-models/create", "{\"name\":\"" + model + "\"}");
      registry.client.sendPost(
          "model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"s3a://b/1\"}");
      registry.client.sendPost(
          "registered-models/alias",
          "{\"name\":\"" + model + "\",\"alias\":\"champion\",\"version\":\"1\"}");
      registry.client.sendPost(
          "registered-models/rename",
          "{\"name\":\"" + model + "\",\"new_name\":\"" + model + "-renamed\"}");
      assertThat(registry.client.getModelVersion(model + "-renamed", "1").getAliasesList())
          .containsExactly("champion");
    }
  }
}
