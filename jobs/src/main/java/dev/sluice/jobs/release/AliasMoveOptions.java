/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.release;

import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.jobs.cli.JobRunner;
import dev.sluice.jobs.cli.JobRunner.JobSpec;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every hand-made alias move takes ({@code promote}, {@code rollback}, {@code canary abort}):
 * the model and the reason recorded in {@code deployments}; each runs as a job keyed by today.
 */
public final class AliasMoveOptions {
  @Mixin CommonOptions common;

  @Option(names = "--model", paramLabel = "M", required = true, description = "Model.")
  String model;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      required = true,
      description = "Why; recorded in sluice.deployments.")
  String reason;

  /** The move a command makes with {@link Releases}. */
  @FunctionalInterface
  public interface Move {
    void apply(
        Releases releases,
        String model,
        String reason,
        Map<String, Object> evidence,
        JobResult result);
  }

  /** Runs the move as job {@code job} and returns its exit code. */
  public int run(String job, Move move) {
    return new JobRunner(System.out, System.err)
        .run(
            new JobSpec(job, Optional.of(model), Optional.of(LocalDate.now(ZoneOffset.UTC))),
            common,
            (env, result) ->
                move.apply(new Releases(env), model, reason, Map.of("by", "hand"), result))
        .exitCode();
  }
}
