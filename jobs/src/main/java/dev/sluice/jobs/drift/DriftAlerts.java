/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.drift.DriftComparison;
import dev.sluice.drift.DriftComparison.Result;
import dev.sluice.drift.DriftPolicy;
import dev.sluice.drift.DriftPolicy.Severity;
import dev.sluice.drift.DriftRecords;
import dev.sluice.drift.DriftRecords.Window;
import dev.sluice.drift.WindowProfiler;
import dev.sluice.error.ErrorCode;
import dev.sluice.error.SluiceException;
import dev.sluice.job.Decision;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.jobs.release.Releases;
import dev.sluice.model.ModelTags;
import dev.sluice.registry.ModelVersion;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.SluiceTables;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts of a drift run (docs/drift.md, "Alerts"): every column of the whole population (slice
 * {@code all}) whose comparison with the baseline reached severity alert, and one dataset-level
 * alert per window and version when at least {@code drifted-share} of its features drifted. With
 * alerts, {@code on-alert = rollback} moves the champion back to the last known good version
 * (through {@link Releases#rollback}, audited in {@code deployments}) when the champion's rows
 * drifted; the alerts are replaced in {@code alerts} for the run's windows, POSTed as JSON to the
 * webhook, and the job exits 5.
 */
final class DriftAlerts {
  private static final Logger LOG = LoggerFactory.getLogger(DriftAlerts.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JobEnv env;

  DriftAlerts(JobEnv env) {
    this.env = env;
  }

  /** A baseline or consecutive comparison and its window. */
  record Judged(Window window, Result result) {}

  /** A window of one version, whose share of drifted features is counted. */
  private record Drifted(Window window, long version) {}

  /** An alert before its action is known. */
  private record Breach(
      long version, Window window, String column, String metric, Double value, String threshold) {}

  void raise(
      String model,
      String score,
      List<Window> windows,
      List<Judged> judged,
      DriftSpec spec,
      JobResult result) {
    List<Breach> breaches = breaches(score, judged, spec);
    result.metric("alerts", breaches.size());
    if (breaches.isEmpty()) {
      return;
    }
    String action = act(model, breaches, spec, result);
    Instant at = Instant.now();
    List<Row> rows = new ArrayList<>();
    for (Breach b : breaches) {
      rows.add(
          RowFactory.create(
              UUID.randomUUID().toString(),
              "drift",
              Severity.ALERT.value(),
              model,
              b.version(),
              Date.valueOf(b.window().start()),
              Date.valueOf(b.window().end()),
              b.column(),
              b.metric(),
              b.value(),
              b.threshold(),
              action,
              env.run().runId(),
              Timestamp.from(at)));
    }
    result.output(
        DeltaWriter.replaceWhere(
            env.lake(),
            SluiceTables.ALERTS,
            env.spark().createDataFrame(rows, DriftRecords.ALERTS).coalesce(1),
            String.format(
                "source = 'drift' AND model_name = '%s' AND window_end >= DATE'%s' AND window_end"
                    + " <= DATE'%s'",
                model, windows.get(0).end(), windows.get(windows.size() - 1).end()),
            env.run().commitTag()));
    env.catalog().register(SluiceTables.ALERTS);
    spec.webhook().ifPresent(url -> post(url, payload(model, breaches, action), result));
    Breach first = breaches.get(0);
    result.decide(
        new Decision(
            action.startsWith("rollback") ? "rollback" : "alert",
            String.format(
                "%d drift alert(s), first: %s v%d %s..%s %s %s; action: %s",
                breaches.size(),
                model,
                first.version(),
                first.window().start(),
                first.window().end(),
                first.column(),
                first.threshold(),
                action)),
        ErrorCode.POLICY.exitCode());
  }

  private static List<Breach> breaches(String score, List<Judged> judged, DriftSpec spec) {
    List<Breach> breaches = new ArrayList<>();
    Map<Drifted, int[]> shares = new LinkedHashMap<>(); // drifted features, features
    for (Judged j : judged) {
      Result r = j.result();
      if (!r.driftType().equals(DriftComparison.BASELINE)
          || !r.window().sliceKey().equals(WindowProfiler.ALL)) {
        continue;
      }
      String column = r.window().profile().name();
      boolean alert = r.verdict().severity() == Severity.ALERT;
      if (!column.equals(score)) {
        int[] counts =
            shares.computeIfAbsent(
                new Drifted(j.window(), r.window().modelVersion()), k -> new int[2]);
        counts[0] += alert ? 1 : 0;
        counts[1]++;
      }
      if (alert) {
        DriftPolicy.Breach first =
            r.verdict().breaches().stream()
                .filter(b -> b.level() == Severity.ALERT)
                .findFirst()
                .orElseThrow();
        breaches.add(
            new Breach(
                r.window().modelVersion(),
                j.window(),
                column,
                first.metric(),
                first.value(),
                String.join("; ", r.verdict().reasons())));
      }
    }
    shares.forEach(
        (drifted, counts) -> {
          double share = (double) counts[0] / counts[1];
          if (counts[0] > 0 && share >= spec.policy().driftedShare()) {
            breaches.add(
                new Breach(
                    drifted.version(),
                    drifted.window(),
                    null,
                    "drifted_share",
                    share,
                    String.format(
                        "drifted share %.2f >= %s", share, spec.policy().driftedShare())));
          }
        });
    return breaches;
  }

  /** The rollback when the policy asks for it and the champion's rows drifted. */
  private String act(String model, List<Breach> breaches, DriftSpec spec, JobResult result) {
    if (!spec.rollbackOnAlert()) {
      return "none";
    }
    Optional<ModelVersion> champion = env.registry().versionByAlias(model, ModelTags.CHAMPION);
    if (champion.isEmpty()
        || breaches.stream().noneMatch(b -> b.version() == champion.get().version())) {
      return "none (the champion's rows did not drift)";
    }
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put(
        "alerts",
        breaches.stream()
            .filter(b -> b.version() == champion.get().version())
            .map(
                b ->
                    b.window().end()
                        + " "
                        + (b.column() == null ? "*" : b.column())
                        + " "
                        + b.threshold())
            .toList());
    try {
      long to =
          new Releases(env)
              .rollback(
                  model,
                  Optional.empty(),
                  "drift alert on version " + champion.get().version(),
                  evidence,
                  result);
      return "rollback to version " + to;
    } catch (SluiceException e) {
      LOG.warn("Drift rollback of {} refused: {}", model, e.getMessage());
      return "rollback refused: " + e.getMessage();
    }
  }

  private static String payload(String model, List<Breach> breaches, String action) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("source", "sluice drift");
    body.put("model", model);
    body.put("action", action);
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (Breach b : breaches) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("model_version", b.version());
      a.put("window_start", b.window().start().toString());
      a.put("window_end", b.window().end().toString());
      a.put("column", b.column());
      a.put("metric", b.metric());
      a.put("value", b.value());
      a.put("threshold", b.threshold());
      alerts.add(a);
    }
    body.put("alerts", alerts);
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render the alert payload", e);
    }
  }

  private void post(java.net.URI url, String body, JobResult result) {
    try {
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .build()
              .send(
                  HttpRequest.newBuilder(url)
                      .timeout(Duration.ofSeconds(10))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      result.metric("webhook.status", response.statusCode());
    } catch (IOException e) {
      LOG.warn("Cannot POST the drift alerts to {}: {}", url, e.toString());
      result.metric("webhook.status", "failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.metric("webhook.status", "interrupted");
    }
  }
}
