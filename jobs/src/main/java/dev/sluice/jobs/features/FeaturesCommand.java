/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.features;

import dev.sluice.error.PipelineErrors;
import dev.sluice.jobs.cli.CommandGroup;
import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.jobs.cli.JobRunner;
import dev.sluice.jobs.cli.JobRunner.JobSpec;
import dev.sluice.snapshot.SnapshotResolver;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice features}: the feature store commands. */
@Command(
    name = "features",
    mixinStandardHelpOptions = true,
    description = "The feature store: feature tables computed from the pinned sources.",
    subcommands = FeaturesCommand.Build.class)
public final class FeaturesCommand extends CommandGroup {

  /** {@code sluice features build --date D | --from D1 --to D2 [--incremental]}. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = {
        "Compute the feature groups of sluice.features.groups per entity and event day into",
        "sluice.features_<group> (MERGE on entity keys and event_ts, so reruns are idempotent),",
        "reading the sources at the pins of the snapshot for the last day. The quality gate runs",
        "first (exit 3); definitions are checked against the sources (exit 2)."
      })
  public static final class Build implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(
        names = "--date",
        paramLabel = "D",
        description = "Build one event day (default: today, UTC).")
    LocalDate date;

    @Option(names = "--from", paramLabel = "D1", description = "First event day of a backfill.")
    LocalDate from;

    @Option(names = "--to", paramLabel = "D2", description = "Last event day of a backfill.")
    LocalDate to;

    @Option(names = "--incremental", description = "Only the days after the last one built.")
    boolean incremental;

    @Option(names = "--snapshot-id", description = "Read this snapshot run's pins.")
    String snapshotId;

    @Override
    public Integer call() {
      LocalDate last = to != null ? to : date != null ? date : LocalDate.now(ZoneOffset.UTC);
      LocalDate first = from != null ? from : last;
      return run(
              new JobRunner(System.out, System.err),
              common,
              first,
              last,
              incremental,
              Optional.ofNullable(snapshotId))
          .exitCode();
    }

    public static JobRunner.Outcome run(
        JobRunner runner,
        CommonOptions common,
        LocalDate from,
        LocalDate to,
        boolean incremental,
        Optional<String> snapshotId) {
      return runner.run(
          new JobSpec("features", Optional.empty(), Optional.of(to)),
          common,
          (env, result) -> {
            if (from.isAfter(to)) {
              throw PipelineErrors.invalidArgument(
                  "--from", from, "must not be after --to (" + to + ")");
            }
            new FeatureBuilder(env)
                .build(
                    SnapshotResolver.resolve(env.lake(), to, snapshotId),
                    from,
                    to,
                    incremental,
                    result);
          });
    }
  }
}
