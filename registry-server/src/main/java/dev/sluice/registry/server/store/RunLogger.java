/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.api.MlflowErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow_project.google.gson.JsonArray;
import org.mlflow_project.google.gson.JsonObject;
import org.mlflow_project.google.gson.JsonParser;

/**
 * Logs metrics, params and tags to runs. Resending an identical request changes nothing, as in
 * MLflow: identical metric points are stored once, a param may be logged again with its value.
 */
public final class RunLogger {
  static final int MAX_METRICS = 1000;
  static final int MAX_PARAMS = 100;
  static final int MAX_TAGS = 100;
  static final String MODEL_HISTORY_TAG = "mlflow.log-model.history";
  private static final Comparator<Metric> LATEST =
      Comparator.comparingLong(Metric::getStep)
          .thenComparingLong(Metric::getTimestamp)
          .thenComparing(m -> Double.isNaN(m.getValue()) ? Double.NEGATIVE_INFINITY : m.getValue());

  private final Database database;

  public RunLogger(Database database) {
    this.database = requireNonNull(database, "database is null");
  }

  public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<RunTag> tags) {
    checkLimit("metrics", metrics.size(), MAX_METRICS);
    checkLimit("params", params.size(), MAX_PARAMS);
    checkLimit("tags", tags.size(), MAX_TAGS);
    metrics.forEach(RunLogger::checkMetric);
    Map<String, String> paramValues = new HashMap<>();
    for (Param param : params) {
      Validation.checkKey("key", param.getKey());
      Validation.checkLength(
          "param " + param.getKey(), param.getValue(), Validation.MAX_PARAM_VALUE_LENGTH);
      String previous = paramValues.putIfAbsent(param.getKey(), param.getValue());
      if (previous != null && !previous.equals(param.getValue())) {
        throw MlflowErrors.invalidParameter(
            "Duplicate parameter keys have been submitted: ['%s']. Please ensure the request"
                + " contains only one param value per param key.",
            param.getKey());
      }
    }
    tags.forEach(
        tag -> {
          Validation.checkKey("key", tag.getKey());
          Validation.checkLength(
              "tag " + tag.getKey(), tag.getValue(), Validation.MAX_TAG_VALUE_LENGTH);
        });
    database.transaction(
        connection -> {
          Run run = RunStore.require(connection, runId);
          RunStore.checkActive(run);
          putParams(connection, runId, paramValues);
          putTags(connection, runId, tags);
          putMetrics(connection, runId, metrics);
          return null;
        });
  }

  public void logMetric(String runId, Metric metric) {
    logBatch(runId, List.of(metric), List.of(), List.of());
  }

  public void logParam(String runId, Param param) {
    logBatch(runId, List.of(), List.of(param), List.of());
  }

  public void setTag(String runId, RunTag tag) {
    logBatch(runId, List.of(), List.of(), List.of(tag));
  }

  /**
   * Records a logged model as MLflow does: its JSON (which must name an {@code artifact_path} and
   * {@code flavors}) is appended to the run's {@code mlflow.log-model.history} tag.
   */
  public void logModel(String runId, String modelJson) {
    JsonObject model;
    try {
      model = JsonParser.parseString(Validation.require("model_json", modelJson)).getAsJsonObject();
    } catch (RuntimeException e) {
      throw MlflowErrors.invalidParameter("Malformed model info: %s", modelJson);
    }
    for (String field : List.of("artifact_path", "flavors")) {
      if (!model.has(field)) {
        throw MlflowErrors.invalidParameter("Model json is missing mandatory field '%s'", field);
      }
    }
    database.transaction(
        connection -> {
          Run run = RunStore.require(connection, runId);
          RunStore.checkActive(run);
          JsonArray history = new JsonArray();
          run.getData().getTagsList().stream()
              .filter(tag -> tag.getKey().equals(MODEL_HISTORY_TAG))
              .findFirst()
              .ifPresent(
                  tag -> history.addAll(JsonParser.parseString(tag.getValue()).getAsJsonArray()));
          history.add(model);
          putTags(
              connection,
              runId,
              List.of(
                  RunTag.newBuilder()
                      .setKey(MODEL_HISTORY_TAG)
                      .setValue(history.toString())
                      .build()));
          return null;
        });
  }

  public void deleteTag(String runId, String key) {
    Validation.require("key", key);
    database.transaction(
        connection -> {
          RunStore.checkActive(RunStore.require(connection, runId));
          int deleted =
              Sql.update(
                  connection,
                  "DELETE FROM run_tags WHERE run_uuid = ? AND tag_key = ?",
                  runId,
                  key);
          if (deleted == 0) {
            throw MlflowErrors.notFound("No tag with name: %s in run with id %s", key, runId);
          }
          return null;
        });
  }

  static void putTags(Connection connection, String runId, List<RunTag> tags) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    for (RunTag tag : tags) {
      rows.add(new Object[] {runId, tag.getKey(), tag.getValue()});
      if (tag.getKey().equals(RunStore.RUN_NAME_TAG)) {
        Sql.update(
            connection, "UPDATE runs SET run_name = ? WHERE run_uuid = ?", tag.getValue(), runId);
      }
    }
    Sql.batch(
        connection,
        "INSERT INTO run_tags VALUES (?, ?, ?) "
            + "ON CONFLICT (run_uuid, tag_key) DO UPDATE SET tag_value = excluded.tag_value",
        rows);
  }

  private static void putParams(Connection connection, String runId, Map<String, String> params)
      throws SQLException {
    if (params.isEmpty()) {
      return;
    }
    Map<String, String> existing = new HashMap<>();
    Sql.query(
            connection,
            "SELECT param_key, param_value FROM params WHERE run_uuid = ?",
            row -> Map.entry(row.getString(1), row.getString(2)),
            runId)
        .forEach(e -> existing.put(e.getKey(), e.getValue()));
    List<Object[]> rows = new ArrayList<>();
    for (Map.Entry<String, String> param : params.entrySet()) {
      String old = existing.get(param.getKey());
      if (old == null) {
        rows.add(new Object[] {runId, param.getKey(), param.getValue()});
      } else if (!old.equals(param.getValue())) {
        throw MlflowErrors.invalidParameter(
            "Changing param values is not allowed. Param with key='%s' was already logged with"
                + " value='%s' for run ID='%s'. Attempted logging new value '%s'.",
            param.getKey(), old, runId, param.getValue());
      }
    }
    Sql.batch(connection, "INSERT INTO params VALUES (?, ?, ?)", rows);
  }

  private static void putMetrics(Connection connection, String runId, List<Metric> metrics)
      throws SQLException {
    if (metrics.isEmpty()) {
      return;
    }
    List<Object[]> rows = new ArrayList<>(metrics.size());
    Map<String, Metric> latest = new HashMap<>();
    for (Metric metric : metrics) {
      rows.add(row(runId, metric));
      latest.merge(metric.getKey(), metric, (a, b) -> LATEST.compare(a, b) >= 0 ? a : b);
    }
    Sql.batch(
        connection, "INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rows);
    Sql.query(
            connection, "SELECT * FROM latest_metrics WHERE run_uuid = ?", RunReader::metric, runId)
        .forEach(
            old -> {
              Metric candidate = latest.get(old.getKey());
              if (candidate != null && LATEST.compare(old, candidate) >= 0) {
                latest.remove(old.getKey());
              }
            });
    List<Object[]> upserts = new ArrayList<>(latest.size());
    latest.values().forEach(metric -> upserts.add(row(runId, metric)));
    Sql.batch(
        connection,
        "INSERT INTO latest_metrics VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_uuid, metric_key)"
            + " DO UPDATE SET metric_value = excluded.metric_value, ts = excluded.ts,"
            + " step = excluded.step, is_nan = excluded.is_nan",
        upserts);
  }

  private static Object[] row(String runId, Metric metric) {
    boolean isNan = Double.isNaN(metric.getValue());
    return new Object[] {
      runId,
      metric.getKey(),
      isNan ? 0.0 : metric.getValue(),
      metric.getTimestamp(),
      metric.getStep(),
      isNan
    };
  }

  private static void checkMetric(Metric metric) {
    Validation.checkKey("key", metric.getKey());
    if (!metric.hasValue()) {
      throw MlflowErrors.missingParameter("value");
    }
    if (!metric.hasTimestamp()) {
      throw MlflowErrors.missingParameter("timestamp");
    }
  }

  private static void checkLimit(String what, int size, int max) {
    if (size > max) {
      throw MlflowErrors.invalidParameter(
          "A batch logging request can contain at most %s %s. Got %s %s.", max, what, size, what);
    }
  }
}
