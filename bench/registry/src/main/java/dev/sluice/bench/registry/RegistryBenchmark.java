/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.bench.registry;

import dev.sluice.registry.server.RegistryServer;
import dev.sluice.registry.server.RegistryServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;

/**
 * Registry server benchmark through the MLflow Java client, on loopback only: metrics/s logged with
 * log-batch (1,000 metrics a request; one client, then several at once) and the p50/p99 latency of
 * runs/get. Every loop is bounded. Arguments: {@code [batches] [gets] [clients]}.
 */
public final class RegistryBenchmark {
  private static final int METRICS_PER_BATCH = 1000;

  private RegistryBenchmark() {}

  public static void main(String[] args) throws Exception {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int gets = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    Path directory = Files.createTempDirectory("sluice-registry-bench");
    System.out.printf(
        Locale.ROOT,
        "machine: %s cores, %.1f GiB, Java %s; store: SQLite (WAL) in %s%n",
        Runtime.getRuntime().availableProcessors(),
        totalMemoryGib(),
        System.getProperty("java.version"),
        directory);
    try (RegistryServer server = RegistryServer.start(RegistryServerOptions.local(directory));
        MlflowClient client = new MlflowClient(server.uri().toString())) {
      String uri = server.uri().toString();
      logBatches(client, 10); // warm-up
      double single = logBatches(client, batches);
      System.out.printf(
          Locale.ROOT,
          "log-batch, 1 client: %,d metrics in %d requests: %,.0f metrics/s%n",
          (long) batches * METRICS_PER_BATCH,
          batches,
          single);
      double parallel = logBatchesConcurrently(uri, clients, batches / clients);
      System.out.printf(
          Locale.ROOT,
          "log-batch, %d clients: %,d metrics: %,.0f metrics/s%n",
          clients,
          (long) (batches / clients) * clients * METRICS_PER_BATCH,
          parallel);
      runsGetLatency(client, gets);
    } finally {
      deleteTree(directory);
    }
  }

  /** Logs {@code batches} requests of 1,000 metrics to a new run; returns metrics per second. */
  private static double logBatches(MlflowClient client, int batches) {
    String runId = client.createRun().getRunId();
    long start = System.nanoTime();
    for (int b = 0; b < batches; b++) {
      client.logBatch(runId, batch(b), List.of(), List.of());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return batches * (double) METRICS_PER_BATCH / seconds;
  }

  private static double logBatchesConcurrently(String uri, int clients, int batchesEach)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      long start = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        done.add(
            pool.submit(
                () -> {
                  try (MlflowClient client = new MlflowClient(uri)) {
                    logBatches(client, batchesEach);
                  }
                }));
      }
      for (Future<?> future : done) {
        future.get(10, TimeUnit.MINUTES);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return clients * (double) batchesEach * METRICS_PER_BATCH / seconds;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void runsGetLatency(MlflowClient client, int gets) {
    String runId = client.createRun().getRunId();
    List<Metric> metrics = batch(0).subList(0, 20);
    List<Param> params = new ArrayList<>();
    List<RunTag> tags = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      params.add(Param.newBuilder().setKey("param" + i).setValue("value" + i).build());
      tags.add(RunTag.newBuilder().setKey("tag" + i).setValue("value" + i).build());
    }
    client.logBatch(runId, metrics, params, tags);
    for (int i = 0; i < Math.min(500, gets); i++) {
      client.getRun(runId); // warm-up
    }
    long[] nanos = new long[gets];
    for (int i = 0; i < gets; i++) {
      long start = System.nanoTime();
      client.getRun(runId);
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.printf(
        Locale.ROOT,
        "runs/get (20 metrics, 20 params, 21 tags), %,d calls: p50 %.2f ms, p99 %.2f ms%n",
        gets,
        nanos[gets / 2] / 1e6,
        nanos[(int) Math.min(gets - 1, Math.ceil(gets * 0.99) - 1)] / 1e6);
  }

  private static List<Metric> batch(int batchIndex) {
    List<Metric> metrics = new ArrayList<>(METRICS_PER_BATCH);
    long timestamp = System.currentTimeMillis();
    for (int i = 0; i < METRICS_PER_BATCH; i++) {
      metrics.add(
          Metric.newBuilder()
              .setKey("metric" + (i % 50))
              .setValue(Math.sin(i))
              .setTimestamp(timestamp)
              .setStep((long) batchIndex * METRICS_PER_BATCH + i)
              .build());
    }
    return metrics;
  }

  private static double totalMemoryGib() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize() / (1024.0 * 1024 * 1024);
    }
    return Double.NaN;
  }

  private static void deleteTree(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
