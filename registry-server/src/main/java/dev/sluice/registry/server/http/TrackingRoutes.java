/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.http;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.store.ExperimentStore;
import dev.sluice.registry.server.store.Page;
import dev.sluice.registry.server.store.RunLogger;
import dev.sluice.registry.server.store.RunStore;
import dev.sluice.registry.server.store.SearchRequest;
import org.mlflow.api.proto.Service.CreateExperiment;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.DeleteExperiment;
import org.mlflow.api.proto.Service.DeleteRun;
import org.mlflow.api.proto.Service.DeleteTag;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.GetExperiment;
import org.mlflow.api.proto.Service.GetExperimentByName;
import org.mlflow.api.proto.Service.GetMetricHistory;
import org.mlflow.api.proto.Service.GetRun;
import org.mlflow.api.proto.Service.LogBatch;
import org.mlflow.api.proto.Service.LogMetric;
import org.mlflow.api.proto.Service.LogModel;
import org.mlflow.api.proto.Service.LogParam;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RestoreExperiment;
import org.mlflow.api.proto.Service.RestoreRun;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.SearchExperiments;
import org.mlflow.api.proto.Service.SearchRuns;
import org.mlflow.api.proto.Service.SetExperimentTag;
import org.mlflow.api.proto.Service.SetTag;
import org.mlflow.api.proto.Service.UpdateExperiment;
import org.mlflow.api.proto.Service.UpdateRun;

/** The tracking API: experiments and runs. */
final class TrackingRoutes {
  private static final long DEFAULT_MAX_EXPERIMENTS = 1000;

  private final ExperimentStore experiments;
  private final RunStore runs;
  private final RunLogger logger;

  TrackingRoutes(ExperimentStore experiments, RunStore runs, RunLogger logger) {
    this.experiments = requireNonNull(experiments, "experiments is null");
    this.runs = requireNonNull(runs, "runs is null");
    this.logger = requireNonNull(logger, "logger is null");
  }

  void register(Endpoints endpoints) {
    registerExperiments(endpoints);
    registerRuns(endpoints);
    registerRunData(endpoints);
  }

  private void registerExperiments(Endpoints endpoints) {
    endpoints.bind(
        "experiments/create",
        CreateExperiment::newBuilder,
        r ->
            CreateExperiment.Response.newBuilder()
                .setExperimentId(
                    experiments.create(r.getName(), r.getArtifactLocation(), r.getTagsList())),
        POST);
    endpoints.bind(
        "experiments/get",
        GetExperiment::newBuilder,
        r ->
            GetExperiment.Response.newBuilder().setExperiment(experiments.get(r.getExperimentId())),
        GET);
    endpoints.bind(
        "experiments/get-by-name",
        GetExperimentByName::newBuilder,
        r ->
            GetExperimentByName.Response.newBuilder()
                .setExperiment(experiments.getByName(r.getExperimentName())),
        GET);
    endpoints.bind(
        "experiments/search",
        SearchExperiments::newBuilder,
        r -> {
          Page<Experiment> page =
              experiments.search(
                  new SearchRequest(
                      r.getFilter(),
                      r.getOrderByList(),
                      r.getPageToken(),
                      r.hasMaxResults() ? r.getMaxResults() : DEFAULT_MAX_EXPERIMENTS),
                  r.getViewType());
          SearchExperiments.Response.Builder response =
              SearchExperiments.Response.newBuilder().addAllExperiments(page.items());
          page.nextPageToken().ifPresent(response::setNextPageToken);
          return response;
        },
        GET,
        POST);
    endpoints.bind(
        "experiments/update",
        UpdateExperiment::newBuilder,
        r -> {
          experiments.rename(r.getExperimentId(), r.getNewName());
          return UpdateExperiment.Response.getDefaultInstance();
        },
        POST);
    endpoints.bind(
        "experiments/delete",
        DeleteExperiment::newBuilder,
        r -> {
          experiments.delete(r.getExperimentId());
          return DeleteExperiment.Response.getDefaultInstance();
        },
        POST);
    endpoints.bind(
        "experiments/restore",
        RestoreExperiment::newBuilder,
        r -> {
          experiments.restore(r.getExperimentId());
          return RestoreExperiment.Response.getDefaultInstance();
        },
        POST);
    endpoints.bind(
        "experiments/set-experiment-tag",
        SetExperimentTag::newBuilder,
        r -> {
          experiments.setTag(r.getExperimentId(), r.getKey(), r.getValue());
          return SetExperimentTag.Response.getDefaultInstance();
        },
        POST);
  }

  private void registerRuns(Endpoints endpoints) {
    endpoints.bind(
        "runs/create",
        CreateRun::newBuilder,
        r -> CreateRun.Response.newBuilder().setRun(runs.create(r.build())),
        POST);
    endpoints.bind(
        "runs/get",
        GetRun::newBuilder,
        r ->
            GetRun.Response.newBuilder()
                .setRun(runs.get(RunStore.runId(r.getRunId(), r.getRunUuid()))),
        GET);
    endpoints.bind(
        "runs/update",
        UpdateRun::newBuilder,
        r -> UpdateRun.Response.newBuilder().setRunInfo(runs.update(r.build())),
        POST);
    endpoints.bind(
        "runs/delete",
        DeleteRun::newBuilder,
        r -> {
          runs.delete(RunStore.runId(r.getRunId(), ""));
          return DeleteRun.Response.getDefaultInstance();
        },
        POST);
    endpoints.bind(
        "runs/restore",
        RestoreRun::newBuilder,
        r -> {
          runs.restore(RunStore.runId(r.getRunId(), ""));
          return RestoreRun.Response.getDefaultInstance();
        },
        POST);
    endpoints.bind(
        "runs/search",
        SearchRuns::newBuilder,
        r -> {
          Page<Run> page =
              runs.search(
                  r.getExperimentIdsList(),
                  new SearchRequest(
                      r.getFilter(), r.getOrderByList(), r.getPageToken(), r.getMaxResults()),
                  r.getRunViewType());
          SearchRuns.Response.Builder response =
              SearchRuns.Response.newBuilder().addAllRuns(page.items());
          page.nextPageToken().ifPresent(response::setNextPageToken);
          return response;
        },
        GET,
        POST);
    endpoints.bind(
        "metrics/get-history",
        GetMetricHistory::newBuilder,
        r ->
            GetMetricHistory.Response.newBuilder()
                .addAllMetrics(
                    runs.metricHistory(
                        RunStore.runId(r.getRunId(), r.getRunUuid()), r.getMetricKey())),
        GET);
  }

  private void registerRunData(Endpoints endpoints) {
    endpoints.bind(
        "runs/log-metric",
        LogMetric::newBuilder,
        r -> {
          Metric.Builder metric = Metric.newBuilder().setKey(r.getKey()).setStep(r.getStep());
          if (r.hasValue()) {
            metric.setValue(r.getValue());
          }
          if (r.hasTimestamp()) {
            metric.setTimestamp(r.getTimestamp());
          }
          logger.logMetric(RunStore.runId(r.getRunId(), r.getRunUuid()), metric.build());
          return LogMetric.Response.getDefaultInstance();
        },
        POST);
    endpoints.bind(
        "runs/log-parameter",
        LogParam::newBuilder,
        r -> {
          logger.logParam(
              RunStore.runId(r.getRunId(), r.getRunUuid()),
              Param.newBuilder().setKey(r.getKey()).setValue(r.getValue()).build());
          return LogParam.Response.getDefaultInstance();
        },
        POST);
    endpoints.bind(
        "runs/log-batch",
        LogBatch::newBuilder,
        r -> {
          logger.logBatch(
              RunStore.runId(r.getRunId(), ""),
              r.getMetricsList(),
              r.getParamsList(),
              r.getTagsList());
          return LogBatch.Response.getDefaultInstance();
        },
        POST);
    endpoints.bind(
        "runs/set-tag",
        SetTag::newBuilder,
        r -> {
          logger.setTag(
              RunStore.runId(r.getRunId(), r.getRunUuid()),
              RunTag.newBuilder().setKey(r.getKey()).setValue(r.getValue()).build());
          return SetTag.Response.getDefaultInstance();
        },
        POST);
    endpoints.bind(
        "runs/log-model",
        LogModel::newBuilder,
        r -> {
          logger.logModel(RunStore.runId(r.getRunId(), ""), r.getModelJson());
          return LogModel.Response.getDefaultInstance();
        },
        POST);
    endpoints.bind(
        "runs/delete-tag",
        DeleteTag::newBuilder,
        r -> {
          logger.deleteTag(RunStore.runId(r.getRunId(), ""), r.getKey());
          return DeleteTag.Response.getDefaultInstance();
        },
        POST);
  }
}
