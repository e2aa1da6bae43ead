/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.release;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.error.PipelineErrors;
import dev.sluice.job.Decision;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.model.Deployments;
import dev.sluice.model.Deployments.Move;
import dev.sluice.model.LocalFiles;
import dev.sluice.model.ModelArtifact;
import dev.sluice.model.ModelTags;
import dev.sluice.model.RegisteredArtifacts;
import dev.sluice.registry.ModelRegistry;
import dev.sluice.registry.ModelVersion;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * Alias moves after the validation gate, by policy or by hand, all through the same checks: the
 * version must carry {@link ModelTags#VALIDATED_DIGEST} and its artifact must verify against it
 * (every manifest entry and the digest); a promotion also needs the version's latest canary window
 * to have succeeded. Every move is audited in {@code deployments}.
 */
public final class Releases {
  private final JobEnv env;

  public Releases(JobEnv env) {
    this.env = env;
  }

  /** Challenger becomes champion; the challenger alias is removed. */
  public void promote(
      String model,
      Optional<Long> version,
      String reason,
      Map<String, Object> evidence,
      JobResult result) {
    ModelRegistry registry = env.registry();
    ModelVersion target =
        version
            .map(v -> registry.getModelVersion(model, v))
            .or(() -> registry.versionByAlias(model, ModelTags.CHALLENGER))
            .orElseThrow(
                () ->
                    PipelineErrors.policyRefused(
                        "Promoting " + model,
                        "it has no challenger; name a version with --to-version"));
    String digest = verified(target, "Promoting");
    Optional<String> canary = canaryOutcome(model, target.version());
    if (!canary.map("success"::equals).orElse(false)) {
      throw PipelineErrors.policyRefused(
          String.format("Promoting %s version %d", model, target.version()),
          canary
              .map(o -> "its latest canary window ended " + o + ", not success")
              .orElse("it has no canary analysis; run `sluice canary analyze` first"));
    }
    Optional<ModelVersion> champion = registry.versionByAlias(model, ModelTags.CHAMPION);
    if (champion.map(c -> c.version() == target.version()).orElse(false)) {
      throw PipelineErrors.policyRefused(
          String.format("Promoting %s version %d", model, target.version()),
          "it is already champion");
    }
    List<Move> moves = new ArrayList<>();
    moves.add(
        move(
            model,
            ModelTags.CHAMPION,
            champion.map(ModelVersion::version),
            Optional.of(target.version()),
            Deployments.PROMOTE,
            reason,
            evidence,
            digest));
    registry
        .versionByAlias(model, ModelTags.CHALLENGER)
        .filter(c -> c.version() == target.version())
        .ifPresent(
            c ->
                moves.add(
                    move(
                        model,
                        ModelTags.CHALLENGER,
                        Optional.of(c.version()),
                        Optional.empty(),
                        Deployments.PROMOTE,
                        reason,
                        evidence,
                        digest)));
    apply(moves, result);
    result.decide(
        new Decision(
            Deployments.PROMOTE,
            String.format("version %d became champion: %s", target.version(), reason)),
        0);
  }

  /** The challenger alias is removed; exits 5 (a policy decision). */
  public void abort(String model, String reason, Map<String, Object> evidence, JobResult result) {
    ModelVersion challenger =
        env.registry()
            .versionByAlias(model, ModelTags.CHALLENGER)
            .orElseThrow(
                () ->
                    PipelineErrors.policyRefused(
                        "Aborting the canary of " + model, "it has no challenger"));
    apply(
        List.of(
            move(
                model,
                ModelTags.CHALLENGER,
                Optional.of(challenger.version()),
                Optional.empty(),
                Deployments.CANARY_ABORT,
                reason,
                evidence,
                challenger.tags().getOrDefault(ModelTags.VALIDATED_DIGEST, ""))),
        result);
    result.decide(
        new Decision(
            Deployments.CANARY_ABORT,
            String.format("challenger version %d removed: %s", challenger.version(), reason)),
        dev.sluice.error.ErrorCode.POLICY.exitCode());
  }

  /**
   * The champion moves back to {@code version}, or to the last known good version: the newest
   * earlier champion whose tenure did not end in a rollback.
   */
  public long rollback(
      String model,
      Optional<Long> version,
      String reason,
      Map<String, Object> evidence,
      JobResult result) {
    ModelRegistry registry = env.registry();
    ModelVersion champion =
        registry
            .versionByAlias(model, ModelTags.CHAMPION)
            .orElseThrow(
                () -> PipelineErrors.policyRefused("Rolling back " + model, "it has no champion"));
    long to =
        version.orElseGet(
            () ->
                lastKnownGood(model, champion.version())
                    .orElseThrow(
                        () ->
                            PipelineErrors.policyRefused(
                                "Rolling back " + model,
                                "no earlier champion that was not itself rolled back is recorded in"
                                    + " sluice.deployments; name one with --to-version")));
    if (to == champion.version()) {
      throw PipelineErrors.policyRefused(
          "Rolling back " + model, "version " + to + " is already champion");
    }
    ModelVersion target = registry.getModelVersion(model, to);
    String digest = verified(target, "Rolling back to");
    apply(
        List.of(
            move(
                model,
                ModelTags.CHAMPION,
                Optional.of(champion.version()),
                Optional.of(to),
                Deployments.ROLLBACK,
                reason,
                evidence,
                digest)),
        result);
    result.decide(
        new Decision(
            Deployments.ROLLBACK,
            String.format(
                "champion moved from version %d back to %d: %s", champion.version(), to, reason)),
        0);
    return to;
  }

  /**
   * The newest earlier champion (before {@code current}) whose tenure did not end in a rollback.
   */
  Optional<Long> lastKnownGood(String model, long current) {
    if (!env.lake().exists(SluiceTables.DEPLOYMENTS)) {
      return Optional.empty();
    }
    TableVersion version = env.lake().latest(SluiceTables.DEPLOYMENTS);
    List<Row> champions =
        env.lake()
            .readAt(SluiceTables.DEPLOYMENTS, version.version())
            .where(
                col("model_name")
                    .equalTo(lit(model))
                    .and(col("alias").equalTo(lit(ModelTags.CHAMPION))))
            .orderBy(col("at_ts"))
            .select("to_version", "action")
            .collectAsList();
    for (int i = champions.size() - 2; i >= 0; i--) {
      Row tenure = champions.get(i);
      String endedBy = champions.get(i + 1).getString(1);
      if (!tenure.isNullAt(0)
          && tenure.getLong(0) != current
          && !Deployments.ROLLBACK.equals(endedBy)) {
        return Optional.of(tenure.getLong(0));
      }
    }
    return Optional.empty();
  }

  /** The version's validated digest, after its artifact verified against it. */
  private String verified(ModelVersion version, String action) {
    String label = String.format("%s %s version %d", action, version.name(), version.version());
    String validated = version.tags().get(ModelTags.VALIDATED_DIGEST);
    if (validated == null) {
      throw PipelineErrors.policyRefused(
          label, "it never passed the validation gate (no " + ModelTags.VALIDATED_DIGEST + " tag)");
    }
    Path work = LocalFiles.tempDirectory("sluice-release-");
    try {
      ModelArtifact artifact = RegisteredArtifacts.fetch(env.registry(), version, work);
      return artifact.digest();
    } finally {
      try {
        LocalFiles.deleteRecursively(work);
      } catch (IOException e) {
        // scratch space only
      }
    }
  }

  /** The window outcome of the newest canary analysis of {@code version}. */
  private Optional<String> canaryOutcome(String model, long version) {
    if (!env.lake().exists(SluiceTables.CANARY_ANALYSES)) {
      return Optional.empty();
    }
    List<Row> latest =
        env.lake()
            .read(SluiceTables.CANARY_ANALYSES)
            .where(
                col("model_name")
                    .equalTo(lit(model))
                    .and(col("challenger_version").equalTo(lit(version))))
            .orderBy(col("window_end").desc(), col("at_ts").desc())
            .select("window_outcome")
            .limit(1)
            .collectAsList();
    return latest.isEmpty() ? Optional.empty() : Optional.of(latest.get(0).getString(0));
  }

  private void apply(List<Move> moves, JobResult result) {
    for (Move m : moves) {
      m.from().ifPresent(v -> result.modelInput(m.model(), v));
      m.to().ifPresent(v -> result.modelInput(m.model(), v));
    }
    result.output(Deployments.apply(env.registry(), env.lake(), env.run(), moves));
    env.catalog().register(SluiceTables.DEPLOYMENTS);
  }

  private static Move move(
      String model,
      String alias,
      Optional<Long> from,
      Optional<Long> to,
      String action,
      String reason,
      Map<String, Object> evidence,
      String digest) {
    Map<String, Object> all = new LinkedHashMap<>(evidence);
    return new Move(
        model, alias, from, to, action, reason, all, Optional.of(digest).filter(d -> !d.isEmpty()));
  }
}
