/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.ModelLake;
import dev.sluice.jobs.TinyLake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The pipeline of issue 9 run locally, in a test JVM: what {@link ITClusterPipeline} compares the
 * cluster's results with. Surefire's {@link TestLocalPipeline} runs it once per build into the
 * directory {@code sluice.test.pipelineReference}, on a copy of {@link ModelLake}'s lake (four of
 * this pipeline's jobs, already run in that JVM, built it), stamped with the build's {@code
 * sluice.test.build}; the cluster test (Failsafe, after {@code package}) reads it when it holds
 * this build's run and otherwise runs the reference itself.
 */
final class PipelineReference {
  static final String DATE = ModelLake.DATE;

  /** A half-and-half canary, so both cohorts hold enough rows on the tiny lake. */
  static final List<String> HALF_CANARY = List.of("-Dsluice.models.churn.score.canary.share=0.5");

  /** The pipeline, each job with the settings it runs with locally and on the cluster. */
  static final List<List<String>> PIPELINE = pipeline();

  private static final String RUNS = "runs.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private PipelineReference() {}

  /** One job of the local run: its exit code, JSON summary and seconds (not for template jobs). */
  record Run(int exitCode, Optional<JsonNode> summary, double seconds) {}

  /** The local run: its lake and each job's run, by {@link #name}. */
  record Reference(Path lake, Map<String, Run> runs) {}

  private static List<List<String>> pipeline() {
    List<String> churn = List.of("--model", "churn", "--date", DATE);
    // One shuffle per feature for permutation importance (3 by default): it still runs on the
    // cluster, with a third of the holdout evaluations.
    List<String> train =
        join(
            List.of("train"),
            churn,
            ModelLake.permissiveGate(),
            List.of("-Dsluice.models.churn.explain.permutation-repeats=1"));
    List<List<String>> jobs = new ArrayList<>(ModelLake.templateCommands());
    // The template's features build ran the quality gate itself: here it "already passed".
    jobs.add(2, List.of("quality", "check", "--date", DATE));
    jobs.add(train);
    jobs.add(join(train, List.of("-Dsluice.models.churn.train.params.maxIter=10")));
    jobs.add(join(List.of("score"), churn, HALF_CANARY));
    jobs.add(
        join(
            List.of("canary", "analyze"),
            churn,
            HALF_CANARY,
            List.of("-Dsluice.models.churn.canary.min-samples=20")));
    jobs.add(join(List.of("drift"), churn, List.of("-Dsluice.models.churn.drift.min-count=0")));
    return List.copyOf(jobs);
  }

  @SafeVarargs
  private static List<String> join(List<String>... parts) {
    return Stream.of(parts).flatMap(List::stream).toList();
  }

  /** {@code "<index> <command>"}, e.g. {@code 5 train}. */
  static String name(int index) {
    return index + " " + PIPELINE.get(index).get(0);
  }

  /** Where Surefire leaves the reference for Failsafe, if the build says. */
  static Optional<Path> directory() {
    return Optional.ofNullable(System.getProperty("sluice.test.pipelineReference")).map(Path::of);
  }

  /** Runs the pipeline locally into {@code dir}/lake and records it in {@code dir}/runs.json. */
  static Reference run(Path dir) {
    delete(dir);
    Path lake = ModelLake.withTrainingSet(dir.resolve("lake"));
    Map<String, Run> runs = new LinkedHashMap<>();
    for (int i = 0; i < PIPELINE.size(); i++) {
      if (ModelLake.templateCommands().contains(PIPELINE.get(i))) {
        runs.put(name(i), new Run(0, Optional.empty(), Double.NaN));
        continue;
      }
      long start = System.nanoTime();
      CliRun run = ModelLake.execute(lake, PIPELINE.get(i).toArray(String[]::new));
      double seconds = (System.nanoTime() - start) / 1e9;
      if (run.exitCode() != 0 && run.exitCode() != 5) {
        throw new AssertionError(String.join(" ", PIPELINE.get(i)) + " failed locally: " + run);
      }
      runs.put(name(i), new Run(run.exitCode(), Optional.of(run.summary()), seconds));
    }
    write(dir, runs);
    return new Reference(lake, runs);
  }

  /** This build's reference in {@code dir}, if Surefire left one there. */
  static Optional<Reference> load(Path dir) {
    Path file = dir.resolve(RUNS);
    String build = System.getProperty("sluice.test.build", "");
    try {
      if (build.isEmpty() || !Files.exists(file)) {
        return Optional.empty();
      }
      JsonNode node = JSON.readTree(file.toFile());
      if (!node.path("build").asText().equals(build)) {
        return Optional.empty();
      }
      Map<String, Run> runs = new LinkedHashMap<>();
      for (JsonNode run : node.path("runs")) {
        JsonNode summary = run.path("summary");
        runs.put(
            run.path("name").asText(),
            new Run(
                run.path("exit_code").asInt(),
                summary.isObject() ? Optional.of(summary) : Optional.empty(),
                run.path("seconds").asDouble(Double.NaN)));
      }
      return Optional.of(new Reference(dir.resolve("lake"), runs));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the pipeline reference " + file, e);
    }
  }

  private static void write(Path dir, Map<String, Run> runs) {
    ObjectNode node = JSON.createObjectNode();
    node.put("build", System.getProperty("sluice.test.build", ""));
    ArrayNode list = node.putArray("runs");
    runs.forEach(
        (name, run) -> {
          ObjectNode entry = list.addObject().put("name", name).put("exit_code", run.exitCode());
          run.summary().ifPresent(summary -> entry.set("summary", summary));
          if (!Double.isNaN(run.seconds())) {
            entry.put("seconds", run.seconds());
          }
        });
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(RUNS).toFile(), node);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the pipeline reference in " + dir, e);
    }
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the old pipeline reference " + dir, e);
    }
  }

  /** A fresh lake root for a reference run outside the build's directory. */
  static Path scratch() {
    return TinyLake.newRoot("cluster-reference");
  }
}
