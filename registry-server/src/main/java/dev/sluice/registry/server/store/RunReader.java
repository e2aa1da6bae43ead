/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunData;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;

/** Reads runs with their latest metrics, params and tags, one run or many at once. */
final class RunReader {
  private RunReader() {}

  static Optional<Run> one(Connection connection, String runId) throws SQLException {
    Optional<RunInfo> info =
        Sql.queryOne(connection, "SELECT * FROM runs WHERE run_uuid = ?", RunReader::info, runId);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    String where = " WHERE run_uuid = ?";
    Map<String, RunData.Builder> data = new HashMap<>();
    data.put(runId, RunData.newBuilder());
    readData(connection, where, data, runId);
    return Optional.of(Run.newBuilder().setInfo(info.get()).setData(data.get(runId)).build());
  }

  /** Every run of the given experiments, in no particular order. */
  static List<Run> ofExperiments(Connection connection, List<Long> experimentIds)
      throws SQLException {
    if (experimentIds.isEmpty()) {
      return List.of();
    }
    String in = Sql.placeholders(experimentIds);
    Object[] args = experimentIds.toArray();
    List<RunInfo> infos =
        Sql.query(
            connection, "SELECT * FROM runs WHERE experiment_id IN " + in, RunReader::info, args);
    Map<String, RunData.Builder> data = new LinkedHashMap<>();
    infos.forEach(info -> data.put(info.getRunId(), RunData.newBuilder()));
    String where =
        " WHERE run_uuid IN (SELECT run_uuid FROM runs WHERE experiment_id IN " + in + ")";
    readData(connection, where, data, args);
    List<Run> runs = new ArrayList<>(infos.size());
    for (RunInfo info : infos) {
      runs.add(Run.newBuilder().setInfo(info).setData(data.get(info.getRunId())).build());
    }
    return runs;
  }

  private static void readData(
      Connection connection, String where, Map<String, RunData.Builder> data, Object... args)
      throws SQLException {
    for (Keyed<Metric> metric :
        Sql.query(
            connection,
            "SELECT * FROM latest_metrics" + where + " ORDER BY metric_key",
            row -> new Keyed<>(row.getString("run_uuid"), metric(row)),
            args)) {
      data.get(metric.runId()).addMetrics(metric.value());
    }
    for (Keyed<Param> param :
        Sql.query(
            connection,
            "SELECT * FROM params" + where + " ORDER BY param_key",
            row ->
                new Keyed<>(
                    row.getString("run_uuid"),
                    Param.newBuilder()
                        .setKey(row.getString("param_key"))
                        .setValue(row.getString("param_value"))
                        .build()),
            args)) {
      data.get(param.runId()).addParams(param.value());
    }
    for (Keyed<RunTag> tag :
        Sql.query(
            connection,
            "SELECT * FROM run_tags" + where + " ORDER BY tag_key",
            row ->
                new Keyed<>(
                    row.getString("run_uuid"),
                    RunTag.newBuilder()
                        .setKey(row.getString("tag_key"))
                        .setValue(Objects.toString(row.getString("tag_value"), ""))
                        .build()),
            args)) {
      data.get(tag.runId()).addTags(tag.value());
    }
  }

  /** A row of a run's child table. */
  private record Keyed<T>(String runId, T value) {}

  static Metric metric(ResultSet row) throws SQLException {
    double value = row.getBoolean("is_nan") ? Double.NaN : row.getDouble("metric_value");
    return Metric.newBuilder()
        .setKey(row.getString("metric_key"))
        .setValue(value)
        .setTimestamp(row.getLong("ts"))
        .setStep(row.getLong("step"))
        .build();
  }

  static RunInfo info(ResultSet row) throws SQLException {
    String runId = row.getString("run_uuid");
    RunInfo.Builder info =
        RunInfo.newBuilder()
            .setRunId(runId)
            .setRunUuid(runId)
            .setExperimentId(String.valueOf(row.getLong("experiment_id")))
            .setStatus(RunStatus.valueOf(row.getString("status")))
            .setLifecycleStage(row.getString("lifecycle_stage"));
    String name = row.getString("run_name");
    if (name != null) {
      info.setRunName(name);
    }
    String userId = row.getString("user_id");
    if (userId != null) {
      info.setUserId(userId);
    }
    Long start = Sql.nullableLong(row, "start_time");
    if (start != null) {
      info.setStartTime(start);
    }
    Long end = Sql.nullableLong(row, "end_time");
    if (end != null) {
      info.setEndTime(end);
    }
    String artifactUri = row.getString("artifact_uri");
    if (artifactUri != null) {
      info.setArtifactUri(artifactUri);
    }
    return info.build();
  }
}
