/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

/** Experiments and runs driven by the real MLflow Java client 2.17.2. */
class TestMlflowClientTracking {
  @TempDir Path directory;
  private RegistryFixture registry;
  private MlflowClient client;

  @BeforeEach
  void start() {
    registry = new RegistryFixture(directory);
    client = registry.client;
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void defaultExperimentExists() {
    Experiment experiment = client.getExperiment("0");
    assertThat(experiment.getName()).isEqualTo("Default");
    assertThat(experiment.getLifecycleStage()).isEqualTo("active");
    assertThat(experiment.getArtifactLocation()).isEqualTo("mlflow-artifacts:/0");
    assertThat(client.getExperimentByName("Default").map(Experiment::getExperimentId))
        .contains("0");
  }

  @Test
  void experimentLifecycleRoundTrips() {
    String id = client.createExperiment("churn");
    assertThat(id).as("the first created experiment after Default").isEqualTo("1");
    client.setExperimentTag(id, "team", "growth");
    client.renameExperiment(id, "churn-v2");

    Experiment experiment = client.getExperiment(id);
    assertThat(experiment.getName()).isEqualTo("churn-v2");
    assertThat(experiment.getArtifactLocation()).isEqualTo("mlflow-artifacts:/1");
    assertThat(experiment.getTagsList())
        .extracting(t -> t.getKey() + "=" + t.getValue())
        .containsExactly("team=growth");
    assertThat(client.getExperimentByName("churn")).isEmpty();

    client.deleteExperiment(id);
    assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("deleted");
    assertThat(client.searchExperiments().getItems())
        .extracting(Experiment::getName)
        .containsExactly("Default");
    client.restoreExperiment(id);
    assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("active");
  }

  @Test
  void createExperimentWithAnExistingNameAnswersResourceAlreadyExists() {
    client.createExperiment("dup");
    assertThatThrownBy(() -> client.createExperiment("dup"))
        .isInstanceOf(MlflowHttpException.class)
        .hasMessageContaining("RESOURCE_ALREADY_EXISTS")
        .hasMessageContaining("Experiment 'dup' already exists.")
        .satisfies(e -> assertThat(((MlflowHttpException) e).getStatusCode()).isEqualTo(400));
  }

  @Test
  void getUnknownExperimentAnswersResourceDoesNotExist() {
    assertThatThrownBy(() -> client.getExperiment("42"))
        .isInstanceOf(MlflowHttpException.class)
        .hasMessageContaining("RESOURCE_DOES_NOT_EXIST")
        .hasMessageContaining("No Experiment with id=42 exists")
        .satisfies(e -> assertThat(((MlflowHttpException) e).getStatusCode()).isEqualTo(404));
  }

  @Test
  void searchExperimentsFiltersAndPages() {
    for (int i = 0; i < 7; i++) {
      client.createExperiment("search-" + i);
    }
    client.createExperiment("other");
    List<String> names = new ArrayList<>();
    ExperimentsPage page =
        client.searchExperiments(
            "name LIKE 'search-%'", ViewType.ACTIVE_ONLY, 3, List.of("name DESC"));
    int pages = 1;
    page.getItems().forEach(e -> names.add(e.getName()));
    while (page.hasNextPage()) {
      page = (ExperimentsPage) page.getNextPage();
      page.getItems().forEach(e -> names.add(e.getName()));
      pages++;
    }
    assertThat(pages).as("7 experiments in pages of 3").isEqualTo(3);
    assertThat(names)
        .containsExactly(
            "search-6", "search-5", "search-4", "search-3", "search-2", "search-1", "search-0");
  }

  @Test
  void runLifecycleRoundTrips() {
    String experimentId = client.createExperiment("runs");
    RunInfo created = client.createRun(experimentId);
    String runId = created.getRunId();
    assertThat(created.getRunUuid()).isEqualTo(runId);
    assertThat(created.getStatus()).isEqualTo(RunStatus.RUNNING);
    assertThat(created.getLifecycleStage()).isEqualTo("active");
    assertThat(created.getArtifactUri())
        .isEqualTo("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts");

    client.logParam(runId, "alpha", "0.5");
    client.logParam(runId, "alpha", "0.5");
    client.logMetric(runId, "auc", 0.81, 1000L, 0L);
    client.logMetric(runId, "auc", 0.87, 2000L, 1L);
    client.setTag(runId, "owner", "ana");
    client.setTag(runId, "temp", "x");
    client.deleteTag(runId, "temp");
    client.setTerminated(runId, RunStatus.FINISHED, 5000L);

    Run run = client.getRun(runId);
    assertThat(run.getInfo().getStatus()).isEqualTo(RunStatus.FINISHED);
    assertThat(run.getInfo().getEndTime()).isEqualTo(5000L);
    assertThat(run.getData().getParamsList())
        .extracting(p -> p.getKey() + "=" + p.getValue())
        .containsExactly("alpha=0.5");
    assertThat(run.getData().getMetricsList())
        .as("RunData carries the latest point")
        .extracting(Metric::getValue)
        .containsExactly(0.87);
    assertThat(run.getData().getTagsList())
        .extracting(RunTag::getKey)
        .contains("owner", "mlflow.runName")
        .doesNotContain("temp");

    client.deleteRun(runId);
    assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("deleted");
    client.restoreRun(runId);
    assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("active");
  }

  @Test
  void changingAParamValueAnswersInvalidParameterValue() {
    String runId = client.createRun().getRunId();
    client.logParam(runId, "depth", "3");
    assertThatThrownBy(() -> client.logParam(runId, "depth", "4"))
        .isInstanceOf(MlflowHttpException.class)
        .hasMessageContaining("INVALID_PARAMETER_VALUE")
        .hasMessageContaining("Changing param values is not allowed");
  }

  @Test
  void logBatchOfOneThousandMetricsIsStoredOnceEvenWhenResent() {
    String runId = client.createRun().getRunId();
    List<Metric> metrics = new ArrayList<>();
    for (int key = 0; key < 10; key++) {
      for (int step = 0; step < 100; step++) {
        metrics.add(
            Metric.newBuilder()
                .setKey("m" + key)
                .setValue(key * 1000 + step)
                .setTimestamp(1_700_000_000_000L + step)
                .setStep(step)
                .build());
      }
    }
    List<Param> params = List.of(Param.newBuilder().setKey("lr").setValue("0.1").build());
    List<RunTag> tags = List.of(RunTag.newBuilder().setKey("stage").setValue("train").build());
    client.logBatch(runId, metrics, params, tags);
    client.logBatch(runId, metrics, params, tags);

    Run run = client.getRun(runId);
    assertThat(run.getData().getMetricsList()).hasSize(10);
    assertThat(run.getData().getMetricsList())
        .filteredOn(m -> m.getKey().equals("m3"))
        .extracting(Metric::getValue)
        .containsExactly(3099.0);
    List<Metric> history = client.getMetricHistory(runId, "m7");
    assertThat(history).as("a resent batch adds no points").hasSize(100);
    assertThat(history).extracting(Metric::getStep).isSorted();
    assertThat(history.get(42).getValue()).isEqualTo(7042.0);
  }

  @Test
  void metricHistoryKeepsEveryPointIncludingNan() {
    String runId = client.createRun().getRunId();
    client.logMetric(runId, "loss", 1.5, 10L, 0L);
    client.logMetric(runId, "loss", Double.NaN, 20L, 1L);
    client.logMetric(runId, "loss", 0.5, 30L, 2L);
    assertThat(client.getMetricHistory(runId, "loss"))
        .extracting(Metric::getValue)
        .containsExactly(1.5, Double.NaN, 0.5);
    assertThat(client.getMetricHistory(runId, "absent")).isEmpty();
  }

  @Test
  void unknownRunAnswersResourceDoesNotExist() {
    assertThatThrownBy(() -> client.getRun("0123456789abcdef0123456789abcdef"))
        .isInstanceOf(MlflowHttpException.class)
        .hasMessageContaining("RESOURCE_DOES_NOT_EXIST")
        .hasMessageContaining("Run with id=0123456789abcdef0123456789abcdef not found");
  }
}
