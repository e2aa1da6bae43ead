/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.quality;

import dev.sluice.jobs.cli.CommandGroup;
import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.jobs.cli.JobRunner;
import dev.sluice.jobs.cli.JobRunner.JobSpec;
import dev.sluice.snapshot.SnapshotResolver;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice quality}: the data-quality commands. */
@Command(
    name = "quality",
    mixinStandardHelpOptions = true,
    description = "Data-quality gates (Deequ) on the pinned sources.",
    subcommands = QualityCommand.Check.class)
public final class QualityCommand extends CommandGroup {

  /** {@code sluice quality check --date D}. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Run the checks of sluice.quality.tables on the sources pinned for date D; results in",
        "sluice.data_quality, Deequ metrics in sluice.data_quality_metrics, failing rows in",
        "sluice.<table>_quarantine when configured. Exit 3 when an error-level check fails."
      })
  public static final class Check implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--date", paramLabel = "D", description = "Logical date (default: today, UTC).")
    LocalDate date;

    @Option(
        names = "--snapshot-id",
        description = "Use this snapshot run's pins instead of the newest for D.")
    String snapshotId;

    @Override
    public Integer call() {
      LocalDate day = date != null ? date : LocalDate.now(ZoneOffset.UTC);
      return run(
              new JobRunner(System.out, System.err), common, day, Optional.ofNullable(snapshotId))
          .exitCode();
    }

    public static JobRunner.Outcome run(
        JobRunner runner, CommonOptions common, LocalDate date, Optional<String> snapshotId) {
      return runner.run(
          new JobSpec("quality", Optional.empty(), Optional.of(date)),
          common,
          (env, result) ->
              new QualityRunner(env)
                  .gate(SnapshotResolver.resolve(env.lake(), date, snapshotId), List.of(), result));
    }
  }
}
