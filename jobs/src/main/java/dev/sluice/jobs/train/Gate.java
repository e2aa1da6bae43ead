/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import dev.sluice.error.ErrorCode;
import dev.sluice.job.Decision;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.model.Deployments;
import dev.sluice.model.Deployments.Move;
import dev.sluice.model.ModelArtifact;
import dev.sluice.model.ModelTags;
import dev.sluice.model.RegisteredArtifacts;
import dev.sluice.registry.ModelRegistry;
import dev.sluice.registry.ModelVersion;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The validation gate: the candidate's holdout metrics against the conf's absolute thresholds and,
 * when a champion exists, against the champion scored on the same holdout (its artifact fetched and
 * verified first). Passing tags the version with {@link ModelTags#VALIDATED_DIGEST} and moves an
 * alias (champion when there is none, else challenger), audited in {@code deployments}; failing
 * tags the reason and ends the job with exit 5, moving nothing.
 */
final class Gate {
  private final JobEnv env;
  private final Path work;

  Gate(JobEnv env, Path work) {
    this.env = env;
    this.work = work;
  }

  void judge(
      TrainSpec spec,
      ModelVersion version,
      ModelArtifact artifact,
      Evaluation evaluation,
      Dataset<Row> holdout,
      JobResult result) {
    ModelRegistry registry = env.registry();
    String model = spec.model();
    Optional<ModelVersion> champion = registry.versionByAlias(model, ModelTags.CHAMPION);
    Optional<Map<String, Double>> championMetrics = Optional.empty();
    Optional<String> unscorable = Optional.empty();
    if (champion.isPresent()) {
      result.modelInput(model, champion.get().version());
      if (champion.get().version() == version.version()) {
        championMetrics = Optional.of(evaluation.metrics());
      } else {
        ModelArtifact championArtifact =
            RegisteredArtifacts.fetch(registry, champion.get(), work.resolve("champion"));
        try {
          championMetrics =
              Optional.of(championOnHoldout(spec, champion.get(), championArtifact, holdout));
        } catch (Exception e) { // AnalysisException arrives undeclared
          if (!(e instanceof org.apache.spark.sql.AnalysisException)
              && !(e instanceof IllegalArgumentException)) {
            throw e;
          }
          unscorable =
              Optional.of(
                  String.format(
                      "the champion (version %d) cannot score this holdout (%s); compare by hand"
                          + " and promote with `sluice promote`, or remove gate.max-regression",
                      champion.get().version(), e.getMessage().lines().findFirst().orElse("")));
        }
      }
    }
    GatePolicy.Verdict verdict = spec.gate().judge(evaluation.metrics(), championMetrics);
    List<String> failures = new java.util.ArrayList<>(verdict.failures());
    unscorable.ifPresent(failures::add);
    boolean passed = failures.isEmpty();
    String reason = passed ? verdict.reason() : String.join("; ", failures);
    registry.setModelVersionTag(
        model, version.version(), ModelTags.GATE, passed ? "passed" : "failed");
    registry.setModelVersionTag(model, version.version(), ModelTags.GATE_REASON, reason);
    result.metric("gate", passed ? "passed" : "failed");
    if (!passed) {
      env.stages().note("validation gate refused version " + version.version() + ": " + reason);
      result.decide(
          new Decision(
              "reject", "version " + version.version() + " failed the validation gate: " + reason),
          ErrorCode.POLICY.exitCode());
      return;
    }
    registry.setModelVersionTag(
        model, version.version(), ModelTags.VALIDATED_DIGEST, artifact.digest());
    Optional<Move> move = move(registry, spec, version, artifact, champion, verdict);
    if (move.isEmpty()) {
      env.stages()
          .note(
              String.format(
                  "version %d passed the gate and already holds its alias", version.version()));
      // No alias moves, so no decision: a rerun that reproduced an aliased version.
      registry
          .getModelVersion(model, version.version())
          .aliases()
          .forEach(alias -> result.metric("alias", alias));
      return;
    }
    result.output(Deployments.apply(registry, env.lake(), env.run(), List.of(move.get())));
    env.catalog().register(dev.sluice.table.SluiceTables.DEPLOYMENTS);
    String what =
        String.format(
            "version %d became %s: %s", version.version(), move.get().alias(), move.get().reason());
    env.stages().note(what);
    result.metric("alias", move.get().alias());
    result.decide(new Decision(Deployments.REGISTER, what), 0);
  }

  private Optional<Move> move(
      ModelRegistry registry,
      TrainSpec spec,
      ModelVersion version,
      ModelArtifact artifact,
      Optional<ModelVersion> champion,
      GatePolicy.Verdict verdict) {
    String model = spec.model();
    Map<String, Object> evidence = new LinkedHashMap<>(verdict.evidence());
    evidence.put("version", version.version());
    evidence.put("mlflow_run_id", version.runId().orElse(""));
    if (champion.isEmpty()) {
      return Optional.of(
          new Move(
              model,
              ModelTags.CHAMPION,
              Optional.empty(),
              Optional.of(version.version()),
              Deployments.REGISTER,
              "first version to pass the validation gate (absolute thresholds)",
              evidence,
              Optional.of(artifact.digest())));
    }
    Optional<ModelVersion> challenger = registry.versionByAlias(model, ModelTags.CHALLENGER);
    long v = version.version();
    if (champion.get().version() == v || challenger.map(c -> c.version() == v).orElse(false)) {
      return Optional.empty();
    }
    return Optional.of(
        new Move(
            model,
            ModelTags.CHALLENGER,
            challenger.map(ModelVersion::version),
            Optional.of(v),
            Deployments.REGISTER,
            String.format(
                "passed the validation gate against champion version %d on the same holdout",
                champion.get().version()),
            evidence,
            Optional.of(artifact.digest())));
  }

  private Map<String, Double> championOnHoldout(
      TrainSpec spec, ModelVersion champion, ModelArtifact artifact, Dataset<Row> holdout) {
    return env.stages()
        .stage(
            "champion",
            "champion version " + champion.version() + " on the same holdout",
            () -> {
              Evaluation evaluation = Evaluation.of(spec, artifact.load(env.spark()), holdout);
              evaluation.release();
              return evaluation.metrics();
            });
  }
}
