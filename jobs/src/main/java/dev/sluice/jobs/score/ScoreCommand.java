/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.score;

import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.jobs.cli.DateRangeOptions;
import dev.sluice.jobs.cli.JobRunner;
import dev.sluice.jobs.cli.JobRunner.JobSpec;
import dev.sluice.jobs.trainingset.TrainingSetSpec;
import dev.sluice.snapshot.SnapshotResolver;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice score}: batch scoring with canary cohorts. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Score --model M's population for --date D (or each day of --from..--to) with its champion",
      "and, on the canary cohort, its challenger (sluice.models.M.score). Features come as of the",
      "score date from the feature tables; predictions and scoring_inputs are replaced for the",
      "model and dates, so a rerun never duplicates."
    })
public final class ScoreCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Mixin DateRangeOptions days;

  @Option(names = "--model", paramLabel = "M", required = true, description = "Model to score.")
  String model;

  @Option(names = "--snapshot-id", description = "Read this snapshot run's pins.")
  String snapshotId;

  @Override
  public Integer call() {
    return run(
            new JobRunner(System.out, System.err),
            common,
            model,
            days.first(),
            days.last(),
            Optional.ofNullable(snapshotId),
            days.mixed())
        .exitCode();
  }

  public static JobRunner.Outcome run(
      JobRunner runner,
      CommonOptions common,
      String model,
      LocalDate from,
      LocalDate to,
      Optional<String> snapshotId) {
    return run(runner, common, model, from, to, snapshotId, false);
  }

  /**
   * Scores {@code from..to}; the run key is {@code score/<model>/<to>} (a backfill's key names its
   * last day). Sources are read at the pins of {@code to}'s snapshot.
   */
  private static JobRunner.Outcome run(
      JobRunner runner,
      CommonOptions common,
      String model,
      LocalDate from,
      LocalDate to,
      Optional<String> snapshotId,
      boolean mixedRange) {
    return runner.run(
        new JobSpec("score", Optional.of(model), Optional.of(to)),
        common,
        (env, result) -> {
          DateRangeOptions.check(from, to, mixedRange);
          ScoreSpec spec = ScoreSpec.fromModel(env.config().reader(), model);
          String entity = TrainingSetSpec.fromModel(env.config().reader(), model).entity();
          new Scorer(env)
              .score(
                  spec,
                  entity,
                  from,
                  to,
                  () -> SnapshotResolver.resolve(env.lake(), to, snapshotId),
                  result);
        });
  }
}
