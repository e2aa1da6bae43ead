/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.snapshot;

import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.jobs.cli.JobRunner;
import dev.sluice.jobs.cli.JobRunner.JobSpec;
import dev.sluice.snapshot.SnapshotResolver;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice snapshot --date D}: pins every configured source table for date D. */
@Command(
    name = "snapshot",
    description = {
      "Pin every source table in sluice.sources to a Delta version and record the pins",
      "(version, commit time, row count, schema hash, content fingerprint) in sluice.snapshots",
      "under run key snapshot/<date>. Downstream jobs for that date read these pins."
    })
public final class SnapshotCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  // No -V/--version here: --version pins a table (ARCHITECTURE §4); `sluice --version` prints ours.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--date", paramLabel = "D", description = "Logical date (default: today, UTC).")
  LocalDate date;

  @Option(
      names = "--version",
      paramLabel = "table=version",
      description = "Pin a table to a Delta version instead of its latest. Repeatable.")
  Map<String, Long> versions = new LinkedHashMap<>();

  @Option(
      names = "--timestamp",
      paramLabel = "table=timestamp",
      description =
          "Pin a table to its newest version committed at or before an ISO timestamp"
              + " (2026-10-30T00:00:00Z). Repeatable.")
  Map<String, String> timestamps = new LinkedHashMap<>();

  @Override
  public Integer call() {
    LocalDate day = date != null ? date : LocalDate.now(ZoneOffset.UTC);
    return run(new JobRunner(System.out, System.err), common, day, versions, timestamps).exitCode();
  }

  /** Runs a snapshot attempt; the demo and tests call this directly. */
  public static JobRunner.Outcome run(
      JobRunner runner,
      CommonOptions common,
      LocalDate date,
      Map<String, Long> versions,
      Map<String, String> timestamps) {
    return runner.run(
        new JobSpec(SnapshotResolver.SNAPSHOT_JOB, Optional.empty(), Optional.of(date)),
        common,
        (env, result) -> new Snapshotter(env, versions, timestamps).pinAll(result));
  }
}
