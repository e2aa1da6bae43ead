/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.api.MlflowErrors;
import dev.sluice.registry.server.store.SearchDoc.Entity;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.UpdateRun;
import org.mlflow.api.proto.Service.ViewType;

/** Runs: create, read, update, delete and restore, search, metric history. */
public final class RunStore {
  static final String RUN_NAME_TAG = "mlflow.runName";
  private static final long SEARCH_LIMIT = 50_000;

  private final Database database;

  public RunStore(Database database) {
    this.database = requireNonNull(database, "database is null");
  }

  public Run create(CreateRun request) {
    String experimentId = request.hasExperimentId() ? request.getExperimentId() : "0";
    String runName = request.getRunName();
    for (RunTag tag : request.getTagsList()) {
      Validation.checkKey("key", tag.getKey());
      if (tag.getKey().equals(RUN_NAME_TAG)) {
        if (!runName.isEmpty() && !runName.equals(tag.getValue())) {
          throw MlflowErrors.invalidParameter(
              "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with"
                  + " different values (run_name='%s', mlflow.runName='%s').",
              runName, tag.getValue());
        }
        runName = tag.getValue();
      }
    }
    String name = runName.isEmpty() ? RunNames.random() : runName;
    String runId = UUID.randomUUID().toString().replace("-", "");
    return database.transaction(
        connection -> {
          Experiment experiment = ExperimentStore.require(connection, experimentId);
          if (!experiment.getLifecycleStage().equals(ExperimentStore.ACTIVE)) {
            throw MlflowErrors.invalidState(
                "The experiment %s must be in the 'active' state. Current state is %s.",
                experimentId, experiment.getLifecycleStage());
          }
          long start = request.hasStartTime() ? request.getStartTime() : System.currentTimeMillis();
          Sql.update(
              connection,
              "INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time,"
                  + " lifecycle_stage, artifact_uri) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              runId,
              Long.parseLong(experiment.getExperimentId()),
              name,
              request.hasUserId() ? request.getUserId() : null,
              RunStatus.RUNNING.name(),
              start,
              ExperimentStore.ACTIVE,
              ArtifactRoot.runArtifactUri(experiment.getArtifactLocation(), runId));
          List<RunTag> tags = new ArrayList<>(request.getTagsList());
          tags.removeIf(tag -> tag.getKey().equals(RUN_NAME_TAG));
          tags.add(RunTag.newBuilder().setKey(RUN_NAME_TAG).setValue(name).build());
          RunLogger.putTags(connection, runId, tags);
          return RunReader.one(connection, runId).orElseThrow();
        });
  }

  public Run get(String runId) {
    return database.read(connection -> require(connection, runId));
  }

  public RunInfo update(UpdateRun request) {
    String runId = runId(request.getRunId(), request.getRunUuid());
    return database.transaction(
        connection -> {
          Run run = require(connection, runId);
          RunStore.checkActive(run);
          RunInfo.Builder info = run.getInfo().toBuilder();
          if (request.hasStatus()) {
            info.setStatus(request.getStatus());
          }
          if (request.hasEndTime()) {
            info.setEndTime(request.getEndTime());
          }
          if (request.hasRunName() && !request.getRunName().isEmpty()) {
            info.setRunName(request.getRunName());
            RunLogger.putTags(
                connection,
                runId,
                List.of(
                    RunTag.newBuilder()
                        .setKey(RUN_NAME_TAG)
                        .setValue(request.getRunName())
                        .build()));
          }
          Sql.update(
              connection,
              "UPDATE runs SET status = ?, end_time = ?, run_name = ? WHERE run_uuid = ?",
              info.getStatus().name(),
              info.hasEndTime() ? info.getEndTime() : null,
              info.getRunName(),
              runId);
          return info.build();
        });
  }

  public void delete(String runId) {
    setLifecycle(runId, ExperimentStore.DELETED, System.currentTimeMillis());
  }

  public void restore(String runId) {
    setLifecycle(runId, ExperimentStore.ACTIVE, null);
  }

  /** Every point of one metric, by step then timestamp. */
  public List<Metric> metricHistory(String runId, String metricKey) {
    Validation.require("metric_key", metricKey);
    return database.read(
        connection -> {
          require(connection, runId);
          return Sql.query(
              connection,
              "SELECT * FROM metrics WHERE run_uuid = ? AND metric_key = ? ORDER BY step, ts",
              RunReader::metric,
              runId,
              metricKey);
        });
  }

  public Page<Run> search(List<String> experimentIds, SearchRequest request, ViewType viewType) {
    Searches.Plan plan =
        Searches.plan(
            SearchSchema.RUNS,
            request,
            OrderBy.by(Entity.ATTRIBUTE, "start_time", false)
                .thenComparing(OrderBy.by(Entity.ATTRIBUTE, "run_id", true)));
    List<Long> ids = new ArrayList<>();
    for (String id : experimentIds) {
      try {
        ids.add(Long.parseLong(id));
      } catch (NumberFormatException e) {
        throw MlflowErrors.invalidParameter("Invalid experiment id '%s'", id);
      }
    }
    List<Run> visible =
        database.read(connection -> RunReader.ofExperiments(connection, ids)).stream()
            .filter(Searches.visible(run -> run.getInfo().getLifecycleStage(), viewType))
            .toList();
    return plan.page(visible, RunStore::doc, SEARCH_LIMIT);
  }

  /** The run id from {@code run_id}, or the deprecated {@code run_uuid}. */
  public static String runId(String runId, String runUuid) {
    String id = runId == null || runId.isEmpty() ? runUuid : runId;
    return Validation.require("run_id", id);
  }

  static Run require(Connection connection, String runId) throws SQLException {
    Validation.require("run_id", runId);
    return RunReader.one(connection, runId).orElseThrow(() -> MlflowErrors.runNotFound(runId));
  }

  static void checkActive(Run run) {
    if (!run.getInfo().getLifecycleStage().equals(ExperimentStore.ACTIVE)) {
      throw MlflowErrors.invalidParameter(
          "The run %s must be in the 'active' state. Current state is %s.",
          run.getInfo().getRunId(), run.getInfo().getLifecycleStage());
    }
  }

  private void setLifecycle(String runId, String stage, Long deletedTime) {
    database.transaction(
        connection -> {
          require(connection, runId);
          return Sql.update(
              connection,
              "UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE run_uuid = ?",
              stage,
              deletedTime,
              runId);
        });
  }

  private static SearchDoc doc(Run run) {
    RunInfo info = run.getInfo();
    Map<String, Object> attributes = new HashMap<>();
    attributes.put("run_id", info.getRunId());
    attributes.put("run_name", info.getRunName());
    attributes.put("status", info.getStatus().name());
    attributes.put("artifact_uri", info.getArtifactUri());
    attributes.put("lifecycle_stage", info.getLifecycleStage());
    if (info.hasUserId()) {
      attributes.put("user_id", info.getUserId());
    }
    if (info.hasStartTime()) {
      attributes.put("start_time", info.getStartTime());
    }
    if (info.hasEndTime()) {
      attributes.put("end_time", info.getEndTime());
    }
    Map<String, Double> metrics = new HashMap<>();
    run.getData().getMetricsList().forEach(m -> metrics.put(m.getKey(), m.getValue()));
    return new SearchDoc(
        attributes,
        metrics,
        Searches.tags(run.getData().getParamsList(), Param::getKey, Param::getValue),
        Searches.tags(run.getData().getTagsList(), RunTag::getKey, RunTag::getValue));
  }
}
