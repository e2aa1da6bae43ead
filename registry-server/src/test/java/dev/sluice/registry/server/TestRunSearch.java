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
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;

/**
 * runs/search through the MLflow Java client: filters over metrics, params, tags and attributes,
 * order_by and paging, checked against the expected result computed from the logged data.
 */
class TestRunSearch {
  private static final int RUNS = 25;
  @TempDir static Path directory;
  private static RegistryFixture registry;
  private static MlflowClient client;
  private static String experimentId;
  private static final List<Logged> LOGGED = new ArrayList<>();

  /** What one run was given. */
  record Logged(int index, String runId, double accuracy, String model, String team) {}

  @BeforeAll
  static void logRuns() {
    registry = new RegistryFixture(directory);
    client = registry.client;
    experimentId = client.createExperiment("search");
    for (int i = 0; i < RUNS; i++) {
      String runId = client.createRun(experimentId).getRunId();
      double accuracy = (i * 37 % RUNS) / (double) RUNS;
      String model = i % 3 == 0 ? "lr" : i % 3 == 1 ? "gbt" : "rf";
      String team = List.of("a", "b", "c", "d").get(i % 4);
      client.logBatch(
          runId,
          List.of(metric("acc", accuracy)),
          List.of(Param.newBuilder().setKey("model").setValue(model).build()),
          List.of(
              RunTag.newBuilder().setKey("team").setValue(team).build(),
              RunTag.newBuilder().setKey("mlflow.runName").setValue("Run-" + i).build()));
      if (i % 2 == 0) {
        client.setTerminated(runId, RunStatus.FINISHED);
      }
      LOGGED.add(new Logged(i, runId, accuracy, model, team));
    }
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  static List<Arguments> filters() {
    return List.of(
        Arguments.of("metrics.acc > 0.5", (Predicate<Logged>) r -> r.accuracy() > 0.5),
        Arguments.of("metrics.acc <= 0.2", (Predicate<Logged>) r -> r.accuracy() <= 0.2),
        Arguments.of("params.model = 'lr'", (Predicate<Logged>) r -> r.model().equals("lr")),
        Arguments.of("params.model != 'lr'", (Predicate<Logged>) r -> !r.model().equals("lr")),
        Arguments.of(
            "tags.team IN ('a', 'b')",
            (Predicate<Logged>) r -> Set.of("a", "b").contains(r.team())),
        Arguments.of("params.model LIKE 'g%'", (Predicate<Logged>) r -> r.model().startsWith("g")),
        Arguments.of(
            "tags.`mlflow.runName` ILIKE 'run-1%'",
            (Predicate<Logged>) r -> String.valueOf(r.index()).startsWith("1")),
        Arguments.of("attributes.status = 'FINISHED'", (Predicate<Logged>) r -> r.index() % 2 == 0),
        Arguments.of(
            "metrics.acc >= 0.4 and params.model = 'rf' AND tags.team != 'c'",
            (Predicate<Logged>)
                r -> r.accuracy() >= 0.4 && r.model().equals("rf") && !r.team().equals("c")),
        Arguments.of("metrics.absent > 0", (Predicate<Logged>) r -> false));
  }

  @ParameterizedTest
  @MethodSource("filters")
  void filterSelectsTheMatchingRuns(String filter, Predicate<Logged> expected) {
    List<String> found =
        client.searchRuns(List.of(experimentId), filter).stream()
            .map(info -> info.getRunId())
            .toList();
    List<String> wanted = LOGGED.stream().filter(expected).map(Logged::runId).toList();
    assertThat(found).as(filter).containsExactlyInAnyOrderElementsOf(wanted);
  }

  @Test
  void ordersByMetricAndPagesAcrossSeveralPages() {
    List<String> seen = new ArrayList<>();
    RunsPage page =
        client.searchRuns(
            List.of(experimentId), "", ViewType.ACTIVE_ONLY, 10, List.of("metrics.acc DESC"));
    List<Integer> sizes = new ArrayList<>();
    while (true) {
      sizes.add(page.getItems().size());
      page.getItems().forEach(run -> seen.add(run.getInfo().getRunId()));
      if (!page.hasNextPage()) {
        break;
      }
      page = (RunsPage) page.getNextPage();
    }
    assertThat(sizes).containsExactly(10, 10, 5);
    List<String> expected =
        LOGGED.stream()
            .sorted(Comparator.comparingDouble(Logged::accuracy).reversed())
            .map(Logged::runId)
            .toList();
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void defaultOrderIsNewestStartTimeFirst() {
    List<Run> runs =
        client
            .searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 1000, List.of())
            .getItems();
    assertThat(runs).hasSize(RUNS);
    assertThat(runs)
        .extracting(run -> run.getInfo().getStartTime())
        .isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(runs.get(0).getData().getParamsList()).as("search returns run data").hasSize(1);
  }

  @Test
  void deletedRunsShowOnlyWhenAsked() {
    String runId = client.createRun(experimentId).getRunId();
    client.deleteRun(runId);
    assertThat(ids(ViewType.ACTIVE_ONLY)).doesNotContain(runId);
    assertThat(ids(ViewType.DELETED_ONLY)).containsExactly(runId);
    assertThat(ids(ViewType.ALL)).contains(runId).hasSize(RUNS + 1);
    client.restoreRun(runId);
    client.deleteRun(runId);
  }

  @Test
  void malformedFilterAnswersInvalidParameterValue() {
    assertThatThrownBy(() -> client.searchRuns(List.of(experimentId), "metrics.acc > 'high'"))
        .isInstanceOf(MlflowHttpException.class)
        .hasMessageContaining("INVALID_PARAMETER_VALUE")
        .hasMessageContaining("expected a numeric value for metrics.acc");
    assertThatThrownBy(() -> client.searchRuns(List.of(experimentId), "params.model = lr"))
        .isInstanceOf(MlflowHttpException.class)
        .hasMessageContaining("INVALID_PARAMETER_VALUE")
        .hasMessageContaining("Invalid filter");
  }

  private static List<String> ids(ViewType viewType) {
    return client.searchRuns(List.of(experimentId), "", viewType).stream()
        .map(info -> info.getRunId())
        .toList();
  }

  private static Metric metric(String key, double value) {
    return Metric.newBuilder()
        .setKey(key)
        .setValue(value)
        .setTimestamp(System.currentTimeMillis())
        .setStep(0)
        .build();
  }
}
