/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.error.ErrorCode;
import dev.sluice.error.SluiceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ModelRegistry} shares: run by the in-memory fake's test and by the
 * MLflow implementation's test against the embedded server, with the same assertions.
 */
abstract class ModelRegistryContract {
  @TempDir Path temp;
  ModelRegistry registry;

  /** A fresh, empty registry. */
  abstract ModelRegistry newRegistry(Path directory);

  @BeforeEach
  void open() {
    registry = newRegistry(temp.resolve("registry"));
  }

  @AfterEach
  void closeRegistry() {
    registry.close();
  }

  @Test
  void getOrCreateExperimentReturnsTheSameExperimentTwice() {
    Experiment first = registry.getOrCreateExperiment("churn");
    Experiment second = registry.getOrCreateExperiment("churn");
    Experiment other = registry.getOrCreateExperiment("upsell");

    assertThat(first.name()).isEqualTo("churn");
    assertThat(second).isEqualTo(first);
    assertThat(other.experimentId()).isNotEqualTo(first.experimentId());
  }

  @Test
  void createRunStartsARunningRunWithItsTags() {
    Run run = newRun(Map.of("sluice.run_key", "train/churn/2026-11-27"));

    Run read = registry.getRun(run.runId());
    assertThat(read.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(read.runName()).isEqualTo("train-1");
    assertThat(read.tags()).containsEntry("sluice.run_key", "train/churn/2026-11-27");
    assertThat(read.endTime()).isEmpty();
    assertThat(read.artifactUri()).as("every run has an artifact root").isNotEmpty();
  }

  @Test
  void logsParamsMetricsAndTagsInBatchesAndEndsTheRun() {
    Run run = newRun(Map.of());
    Map<String, String> params = new TreeMap<>();
    for (int i = 0; i < 150; i++) {
      params.put("p" + i, "v" + i);
    }
    List<Metric> metrics = new ArrayList<>();
    Instant t0 = Instant.ofEpochMilli(1_700_000_000_000L);
    for (int step = 0; step < 1_200; step++) {
      metrics.add(new Metric("loss", 1.0 / (step + 1), t0.plusMillis(step), step));
    }
    registry.logParams(run.runId(), params);
    registry.logParams(run.runId(), Map.of("p1", "v1")); // the same value again: a no-op
    registry.logMetrics(run.runId(), metrics);
    registry.logMetrics(run.runId(), Map.of("auc", 0.81));
    registry.setRunTags(run.runId(), Map.of("stage", "train"));
    registry.setRunTags(run.runId(), Map.of("stage", "evaluate"));
    registry.endRun(run.runId(), RunStatus.FINISHED);

    Run read = registry.getRun(run.runId());
    assertThat(read.params()).containsAllEntriesOf(params).hasSize(150);
    assertThat(read.metrics())
        .as("the latest point per key: the greatest step")
        .containsEntry("loss", 1.0 / 1_200)
        .containsEntry("auc", 0.81);
    assertThat(read.tags()).containsEntry("stage", "evaluate");
    assertThat(read.status()).isEqualTo(RunStatus.FINISHED);
    assertThat(read.endTime()).isPresent();
  }

  @Test
  void changingAParamValueIsRefused() {
    Run run = newRun(Map.of());
    registry.logParams(run.runId(), Map.of("max_depth", "5"));

    assertRegistryError(
        () -> registry.logParams(run.runId(), Map.of("max_depth", "6")),
        ErrorCode.CONFIG,
        "max_depth");
  }

  @Test
  void endRunRefusesANonTerminalStatus() {
    Run run = newRun(Map.of());

    assertThatThrownBy(() -> registry.endRun(run.runId(), RunStatus.RUNNING))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot end run %s with status RUNNING (must be terminal)", run.runId());
  }

  @Test
  void anUnknownRunIsUpstreamMissing() {
    assertRegistryError(
        () -> registry.getRun("0123456789abcdef0123456789abcdef"),
        ErrorCode.UPSTREAM_MISSING,
        "Run 0123456789abcdef0123456789abcdef not found in the model registry");
  }

  @Test
  void artifactsRoundTripByteIdenticalWithNestedDirectories() throws IOException {
    Run run = newRun(Map.of());
    Path model = writeModelDirectory(temp.resolve("model"));

    registry.uploadArtifacts(run.runId(), model, "model");
    Path whole = registry.downloadArtifacts(run.runId(), "model", temp.resolve("whole"));
    Path part = registry.downloadArtifacts(run.runId(), "model/sparkml", temp.resolve("part"));

    assertSameTree(model, whole);
    assertSameTree(model.resolve("sparkml"), part);
  }

  @Test
  void downloadingAnAbsentArtifactPathIsUpstreamMissing() {
    Run run = newRun(Map.of());

    assertRegistryError(
        () -> registry.downloadArtifacts(run.runId(), "nothing", temp.resolve("out")),
        ErrorCode.UPSTREAM_MISSING,
        "Artifact path 'nothing' of run " + run.runId() + " not found");
  }

  @Test
  void createRegisteredModelIfAbsentIsIdempotent() {
    RegisteredModel first = registry.createRegisteredModelIfAbsent("churn");
    RegisteredModel second = registry.createRegisteredModelIfAbsent("churn");

    assertThat(first.name()).isEqualTo("churn");
    assertThat(second.createdAt()).isEqualTo(first.createdAt());
    assertThat(registry.getRegisteredModel("churn").aliases()).isEmpty();
  }

  @Test
  void createsModelVersionsNumberedFromOneWithTheirSourceRunAndTags() {
    Run run = newRun(Map.of());
    registry.createRegisteredModelIfAbsent("churn");

    ModelVersion first =
        registry.createModelVersion(
            "churn", "runs:/" + run.runId() + "/model", run.runId(), Map.of("digest", "abc"));
    ModelVersion second = registry.createModelVersion("churn", "s3a://b/m", run.runId(), Map.of());

    assertThat(first.version()).isEqualTo(1);
    assertThat(second.version()).isEqualTo(2);
    ModelVersion read = registry.getModelVersion("churn", 1);
    assertThat(read.name()).isEqualTo("churn");
    assertThat(read.source()).isEqualTo("runs:/" + run.runId() + "/model");
    assertThat(read.runId()).contains(run.runId());
    assertThat(read.status()).isEqualTo("READY");
    assertThat(read.tags()).isEqualTo(Map.of("digest", "abc"));
    assertThat(read.aliases()).isEmpty();
  }

  @Test
  void setsAndDeletesVersionTags() {
    registry.createRegisteredModelIfAbsent("churn");
    registry.createModelVersion("churn", "s3a://b/m", "", Map.of());

    registry.setModelVersionTag("churn", 1, "sluice.validated_digest", "d1");
    registry.setModelVersionTag("churn", 1, "sluice.validated_digest", "d2");
    registry.setModelVersionTag("churn", 1, "owner", "ml");
    registry.deleteModelVersionTag("churn", 1, "owner");
    registry.deleteModelVersionTag("churn", 1, "never-set"); // absent: a no-op

    assertThat(registry.getModelVersion("churn", 1).tags())
        .isEqualTo(Map.of("sluice.validated_digest", "d2"));
  }

  @Test
  void aliasesMoveBetweenVersionsAndResolve() {
    registry.createRegisteredModelIfAbsent("churn");
    registry.createModelVersion("churn", "s3a://b/1", "", Map.of());
    registry.createModelVersion("churn", "s3a://b/2", "", Map.of());

    registry.setAlias("churn", "champion", 1);
    registry.setAlias("churn", "challenger", 2);
    registry.setAlias("churn", "champion", 2);

    assertThat(registry.versionByAlias("churn", "champion").orElseThrow().version()).isEqualTo(2);
    assertThat(registry.getModelVersion("churn", 2).aliases())
        .containsExactlyInAnyOrder("champion", "challenger");
    assertThat(registry.getModelVersion("churn", 1).aliases()).isEmpty();
    assertThat(registry.getRegisteredModel("churn").aliases())
        .isEqualTo(Map.of("champion", 2L, "challenger", 2L));

    registry.deleteAlias("churn", "challenger");
    registry.deleteAlias("churn", "challenger"); // absent: a no-op
    assertThat(registry.versionByAlias("churn", "challenger")).isEmpty();
    assertThat(registry.getRegisteredModel("churn").aliases()).isEqualTo(Map.of("champion", 2L));
  }

  @Test
  void reservedAliasesAreRefused() {
    registry.createRegisteredModelIfAbsent("churn");
    registry.createModelVersion("churn", "s3a://b/1", "", Map.of());

    assertRegistryError(
        () -> registry.setAlias("churn", "latest", 1),
        ErrorCode.CONFIG,
        "'latest' alias name (case insensitive) is reserved.");
  }

  @Test
  void anUnknownVersionOrModelIsUpstreamMissing() {
    registry.createRegisteredModelIfAbsent("churn");

    assertRegistryError(
        () -> registry.getModelVersion("churn", 9),
        ErrorCode.UPSTREAM_MISSING,
        "Version 9 of registered model churn not found in the model registry");
    assertRegistryError(
        () -> registry.setAlias("churn", "champion", 9),
        ErrorCode.UPSTREAM_MISSING,
        "Version 9 of registered model churn not found");
    assertRegistryError(
        () -> registry.setModelVersionTag("churn", 9, "k", "v"),
        ErrorCode.UPSTREAM_MISSING,
        "Version 9 of registered model churn not found");
    assertRegistryError(
        () -> registry.getRegisteredModel("nobody"),
        ErrorCode.UPSTREAM_MISSING,
        "Registered model nobody not found");
    assertRegistryError(
        () -> registry.versionByAlias("nobody", "champion"),
        ErrorCode.UPSTREAM_MISSING,
        "Registered model nobody not found");
    assertRegistryError(
        () -> registry.searchVersions("nobody"),
        ErrorCode.UPSTREAM_MISSING,
        "Registered model nobody not found");
    assertRegistryError(
        () -> registry.createModelVersion("nobody", "s3a://b/1", "", Map.of()),
        ErrorCode.UPSTREAM_MISSING,
        "Registered model nobody not found");
  }

  @Test
  void searchVersionsListsEveryVersionNewestFirst() {
    registry.createRegisteredModelIfAbsent("churn");
    registry.createRegisteredModelIfAbsent("other");
    for (int i = 1; i <= 3; i++) {
      registry.createModelVersion("churn", "s3a://b/" + i, "", Map.of("i", String.valueOf(i)));
    }
    registry.createModelVersion("other", "s3a://b/x", "", Map.of());
    registry.setAlias("churn", "champion", 2);

    List<ModelVersion> versions = registry.searchVersions("churn");

    assertThat(versions).extracting(ModelVersion::version).containsExactly(3L, 2L, 1L);
    assertThat(versions.get(1).aliases()).containsExactly("champion");
    assertThat(versions.get(0).tags()).isEqualTo(Map.of("i", "3"));
  }

  @Test
  void deletingAVersionRemovesItsAliasesAndItsNumberIsNeverReused() {
    registry.createRegisteredModelIfAbsent("churn");
    registry.createModelVersion("churn", "s3a://b/1", "", Map.of());
    registry.createModelVersion("churn", "s3a://b/2", "", Map.of());
    registry.setAlias("churn", "champion", 2);

    registry.deleteModelVersion("churn", 2);
    ModelVersion third = registry.createModelVersion("churn", "s3a://b/3", "", Map.of());

    assertThat(third.version()).isEqualTo(3);
    assertThat(registry.versionByAlias("churn", "champion")).isEmpty();
    assertThat(registry.searchVersions("churn"))
        .extracting(ModelVersion::version)
        .containsExactly(3L, 1L);
    assertRegistryError(
        () -> registry.deleteModelVersion("churn", 2),
        ErrorCode.UPSTREAM_MISSING,
        "Version 2 of registered model churn not found");
  }

  @Test
  void deletingARegisteredModelRemovesItAndItsVersions() {
    registry.createRegisteredModelIfAbsent("churn");
    registry.createModelVersion("churn", "s3a://b/1", "", Map.of());

    registry.deleteRegisteredModel("churn");

    assertRegistryError(
        () -> registry.getModelVersion("churn", 1), ErrorCode.UPSTREAM_MISSING, "not found");
    assertRegistryError(
        () -> registry.deleteRegisteredModel("churn"),
        ErrorCode.UPSTREAM_MISSING,
        "Registered model churn not found");
    assertThat(registry.createRegisteredModelIfAbsent("churn").aliases()).isEmpty();
  }

  Run newRun(Map<String, String> tags) {
    Experiment experiment = registry.getOrCreateExperiment("contract");
    return registry.createRun(experiment.experimentId(), "train-1", tags);
  }

  static void assertRegistryError(ThrowingCallable call, ErrorCode code, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((SluiceException) e).code()).isEqualTo(code));
  }

  /** A model-like directory: nested folders, binary and text files, a name with a space. */
  static Path writeModelDirectory(Path root) throws IOException {
    Random random = new Random(7);
    byte[] binary = new byte[300_000];
    random.nextBytes(binary);
    Files.createDirectories(root.resolve("sparkml/stages/0_vec/data"));
    Files.write(root.resolve("sparkml/stages/0_vec/data/part-00000.parquet"), binary);
    Files.writeString(root.resolve("sparkml/metadata.json"), "{\"class\":\"PipelineModel\"}\n");
    Files.writeString(root.resolve("MLmodel"), "flavors:\n  spark: {}\n");
    Files.writeString(root.resolve("model card.md"), "# Churn ✓\n", StandardCharsets.UTF_8);
    Files.write(root.resolve("empty.bin"), new byte[0]);
    return root;
  }

  static void assertSameTree(Path expected, Path actual) throws IOException {
    List<String> expectedFiles = files(expected);
    assertThat(files(actual)).as("the same files").isEqualTo(expectedFiles);
    for (String file : expectedFiles) {
      assertThat(Files.readAllBytes(actual.resolve(file)))
          .as("bytes of %s", file)
          .isEqualTo(Files.readAllBytes(expected.resolve(file)));
    }
  }

  private static List<String> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".crc"))
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }
}
