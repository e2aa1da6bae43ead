/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.jobs.cli.JobRunner;
import dev.sluice.jobs.cli.JobRunner.JobSpec;
import dev.sluice.jobs.drift.DriftSpec;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice drift report --model M [--date D] [--granularity G] [--model-version V] [--out
 * FILE]}: the HTML drift report of one window (docs/drift.md, "Report"). A job like any other: run
 * key {@code drift-report/<model>/<date>}, summary line, exit codes.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write one self-contained HTML drift report of model M: per column the baseline's and the",
      "window's histograms, each statistic against the baseline over the windows up to --date with",
      "the policy's thresholds and the alerts; logged to the MLflow run of the model version."
    })
public final class DriftReportCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--model", paramLabel = "M", required = true, description = "Model.")
  String model;

  @Option(
      names = "--date",
      paramLabel = "D",
      description =
          "The window ending on D is shown (default: the newest window of the model in"
              + " profile_metrics).")
  LocalDate date;

  @Option(
      names = "--granularity",
      paramLabel = "G",
      description = "1d or 1w; default: the model's drift.granularity.")
  String granularity;

  @Option(
      names = "--model-version",
      paramLabel = "V",
      description = "The model version shown (default: the one with the most rows in the window).")
  Long version;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "The HTML file (default: <sluice.reports.dir or the lake's _reports>/drift/M/drift-D.html).")
  Path out;

  @Override
  public Integer call() {
    return run(
            new JobRunner(System.out, System.err),
            common,
            model,
            Optional.ofNullable(date),
            Optional.ofNullable(granularity),
            Optional.ofNullable(version),
            Optional.ofNullable(out))
        .exitCode();
  }

  public static JobRunner.Outcome run(
      JobRunner runner,
      CommonOptions common,
      String model,
      Optional<LocalDate> date,
      Optional<String> granularity,
      Optional<Long> version,
      Optional<Path> out) {
    return runner.run(
        new JobSpec(
            "drift-report",
            Optional.of(model),
            Optional.of(date.orElseGet(() -> LocalDate.now(ZoneOffset.UTC)))),
        common,
        (env, result) ->
            new DriftReporter(env)
                .run(
                    new DriftReporter.Request(
                        model,
                        date,
                        version,
                        DriftSpec.of(env.config().reader(), model, granularity),
                        out),
                    result));
  }
}
