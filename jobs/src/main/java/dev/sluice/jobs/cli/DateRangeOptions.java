/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.cli;

import dev.sluice.error.PipelineErrors;
import java.time.LocalDate;
import java.time.ZoneOffset;
import picocli.CommandLine.Option;

/**
 * {@code --date D} or {@code --from D1 --to D2}: the days a command covers (a picocli mixin). The
 * range is checked inside the job body ({@link #check}), so a bad range is a recorded attempt with
 * exit 2 like any other bad argument.
 */
public final class DateRangeOptions {
  @Option(names = "--date", paramLabel = "D", description = "The day (default: today, UTC).")
  LocalDate date;

  @Option(names = "--from", paramLabel = "D1", description = "First day of a backfill.")
  LocalDate from;

  @Option(names = "--to", paramLabel = "D2", description = "Last day of a backfill.")
  LocalDate to;

  /** {@code --to}, else {@code --date}, else today (UTC): the run key's date. */
  public LocalDate last() {
    return to != null ? to : date != null ? date : LocalDate.now(ZoneOffset.UTC);
  }

  /** {@code --from}, else {@link #last()}. */
  public LocalDate first() {
    return from != null ? from : last();
  }

  /** Whether the options mix {@code --date} with a range or give half a range. */
  public boolean mixed() {
    return (from == null) != (to == null) || (from != null && date != null);
  }

  /** Refuses a mixed or reversed range with the invalid-argument error (exit 2). */
  public static void check(LocalDate from, LocalDate to, boolean mixed) {
    if (mixed) {
      throw PipelineErrors.invalidArgument(
          "--from/--to", "", "give both --from and --to, or --date alone");
    }
    if (from.isAfter(to)) {
      throw PipelineErrors.invalidArgument("--from", from, "must not be after --to (" + to + ")");
    }
  }
}
