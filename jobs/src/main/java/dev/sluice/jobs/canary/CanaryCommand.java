/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.canary;

import dev.sluice.jobs.cli.CommandGroup;
import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.jobs.cli.JobRunner;
import dev.sluice.jobs.cli.JobRunner.JobSpec;
import dev.sluice.jobs.release.AliasMoveOptions;
import dev.sluice.jobs.trainingset.TrainingSetSpec;
import dev.sluice.snapshot.SnapshotResolver;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice canary}: the canary of a model's challenger. */
@Command(
    name = "canary",
    mixinStandardHelpOptions = true,
    description = "Canary analysis and abort of a model's challenger.",
    subcommands = {CanaryCommand.Analyze.class, CanaryCommand.Abort.class})
public final class CanaryCommand extends CommandGroup {

  /** {@code sluice canary analyze}. */
  @Command(
      name = "analyze",
      mixinStandardHelpOptions = true,
      description = {
        "Compare the challenger's canary cohort with the champion's on score date --date",
        "(sluice.models.M.canary): metric by metric with a stated test, into canary_analyses;",
        "failure aborts the canary (exit 5), promote-after successful windows in a row promote."
      })
  public static final class Analyze implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--model", paramLabel = "M", required = true, description = "Model.")
    String model;

    @Option(
        names = "--date",
        paramLabel = "D",
        description = "The window: a score date (default: today, UTC).")
    LocalDate date;

    @Option(
        names = "--snapshot-id",
        description = "Read labels at this snapshot run's pins (default: the snapshot of --date).")
    String snapshotId;

    @Override
    public Integer call() {
      LocalDate day = date != null ? date : LocalDate.now(ZoneOffset.UTC);
      return run(
              new JobRunner(System.out, System.err),
              common,
              model,
              day,
              Optional.ofNullable(snapshotId))
          .exitCode();
    }

    public static JobRunner.Outcome run(
        JobRunner runner,
        CommonOptions common,
        String model,
        LocalDate date,
        Optional<String> snapshotId) {
      return runner.run(
          new JobSpec("canary-analyze", Optional.of(model), Optional.of(date)),
          common,
          (env, result) ->
              new CanaryAnalyzer(env)
                  .analyze(
                      model,
                      TrainingSetSpec.fromModel(env.config().reader(), model).entity(),
                      date,
                      CanarySpec.fromModel(env.config().reader(), model),
                      () -> SnapshotResolver.resolve(env.lake(), date, snapshotId),
                      result));
    }
  }

  /** {@code sluice canary abort}. */
  @Command(
      name = "abort",
      mixinStandardHelpOptions = true,
      description = "Remove the challenger alias by hand (audited in deployments; exits 5).")
  public static final class Abort implements Callable<Integer> {
    @Mixin AliasMoveOptions move;

    @Override
    public Integer call() {
      return move.run(
          "canary-abort",
          (releases, model, reason, evidence, result) ->
              releases.abort(model, reason, evidence, result));
    }
  }
}
