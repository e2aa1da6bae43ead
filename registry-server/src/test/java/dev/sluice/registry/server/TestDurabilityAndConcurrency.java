/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.tracking.MlflowClient;

/** The store survives restarts, and concurrent clients and servers lose no writes. */
class TestDurabilityAndConcurrency {
  private static final int CLIENTS = 8;
  private static final int BATCHES = 25;
  private static final int METRICS_PER_BATCH = 40;
  @TempDir Path directory;

  @Test
  void everythingReadsBackAfterARestart() {
    String experimentId;
    String runId;
    int firstPort;
    try (RegistryFixture registry = new RegistryFixture(directory)) {
      firstPort = registry.server.port();
      experimentId = registry.client.createExperiment("durable");
      registry.client.setExperimentTag(experimentId, "k", "v");
      runId = registry.client.createRun(experimentId).getRunId();
      registry.client.logParam(runId, "p", "1");
      registry.client.logMetric(runId, "m", 0.25, 5L, 2L);
      registry.client.sendPost("registered-models/create", "{\"name\":\"durable\"}");
      registry.client.sendPost(
          "model-versions/create",
          "{\"name\":\"durable\",\"source\":\"runs:/"
              + runId
              + "/model\",\"run_id\":\""
              + runId
              + "\"}");
      registry.client.sendPost(
          "registered-models/alias",
          "{\"name\":\"durable\",\"alias\":\"champion\",\"version\":\"1\"}");
    }
    try (RegistryFixture registry = new RegistryFixture(directory)) {
      assertThat(registry.client.getExperiment(experimentId).getTagsList())
          .extracting(t -> t.getKey() + "=" + t.getValue())
          .containsExactly("k=v");
      Run run = registry.client.getRun(runId);
      assertThat(run.getData().getParamsList()).extracting(p -> p.getValue()).containsExactly("1");
      assertThat(registry.client.getMetricHistory(runId, "m"))
          .extracting(Metric::getValue, Metric::getStep)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(0.25, 2L));
      assertThat(registry.client.getModelVersion("durable", "1").getAliasesList())
          .containsExactly("champion");
      assertThat(registry.client.createExperiment("after-restart"))
          .as("ids continue after a restart")
          .isEqualTo(String.valueOf(Long.parseLong(experimentId) + 1));
      assertThat(firstPort).isPositive();
    }
  }

  @Test
  void eightConcurrentClientsLoseNoWrites() throws Exception {
    try (RegistryFixture registry = new RegistryFixture(directory)) {
      String shared = registry.client.createRun().getRunId();
      String uri = registry.server.uri().toString();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<String>> runs = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          int clientIndex = c;
          runs.add(pool.submit(logFrom(uri, clientIndex, shared)));
        }
        for (int c = 0; c < CLIENTS; c++) {
          String runId = runs.get(c).get(120, TimeUnit.SECONDS);
          assertThat(registry.client.getMetricHistory(runId, "loss"))
              .as("client %s's own run", c)
              .hasSize(BATCHES * METRICS_PER_BATCH);
          assertThat(registry.client.getExperimentByName("exp-" + c)).isPresent();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(registry.client.getMetricHistory(shared, "shared"))
          .as("every client's points on the shared run")
          .hasSize(CLIENTS * BATCHES);
      assertThat(registry.client.getRun(shared).getData().getParamsList()).hasSize(CLIENTS);
    }
  }

  @Test
  void twoServersShareOneStoreFile() {
    try (RegistryFixture first = new RegistryFixture(directory);
        RegistryFixture second = new RegistryFixture(directory)) {
      String runId = first.client.createRun().getRunId();
      second.client.logMetric(runId, "m", 1.0);
      first.client.logMetric(runId, "m", 2.0);
      assertThat(second.client.getMetricHistory(runId, "m")).hasSize(2);
      assertThat(first.server.port()).isNotEqualTo(second.server.port());
    }
  }

  private static Callable<String> logFrom(String uri, int clientIndex, String sharedRunId) {
    return () -> {
      try (MlflowClient client = new MlflowClient(uri)) {
        client.createExperiment("exp-" + clientIndex);
        String runId = client.createRun().getRunId();
        client.logParam(sharedRunId, "client-" + clientIndex, "yes");
        for (int b = 0; b < BATCHES; b++) {
          List<Metric> metrics = new ArrayList<>();
          for (int i = 0; i < METRICS_PER_BATCH; i++) {
            metrics.add(point("loss", b * METRICS_PER_BATCH + i, clientIndex));
          }
          client.logBatch(runId, metrics, List.of(), List.of());
          client.logBatch(
              sharedRunId, List.of(point("shared", b, clientIndex)), List.of(), List.of());
        }
        return runId;
      }
    };
  }

  private static Metric point(String key, long step, int clientIndex) {
    return Metric.newBuilder()
        .setKey(key)
        .setValue(step * 0.5 + clientIndex)
        .setTimestamp(1_000L + clientIndex)
        .setStep(step)
        .build();
  }
}
