/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift;

import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.jobs.cli.DateRangeOptions;
import dev.sluice.jobs.cli.JobRunner;
import dev.sluice.jobs.cli.JobRunner.JobSpec;
import dev.sluice.jobs.drift.report.DriftReportCommand;
import dev.sluice.jobs.trainingset.TrainingSetSpec;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice drift --model M --date D [--granularity 1d|1w]} (or {@code --from/--to}), and its
 * subcommand {@code sluice drift report}. {@code --model} is required of the drift job itself; it
 * is checked in {@link #call()} rather than by picocli, which would otherwise demand it of {@code
 * drift} before any subcommand too.
 */
@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    subcommands = DriftReportCommand.class,
    // The synopsis picocli would print if --model were required, plus the subcommand.
    customSynopsis = {
      "sluice drift [-hV] [--conf=FILE] [--date=D] [--from=D1]",
      "                    [--granularity=G] --model=M [--run-key=KEY] [--to=D2]",
      "                    [-D=key=value]...",
      "       sluice drift report --model=M [--date=D] [--out=FILE] [...]"
    },
    description = {
      "Profile the served scoring inputs and scores of each window on the model's baseline bins",
      "(profile_metrics), compare them with the training baseline and the previous window",
      "(drift_metrics), and raise alerts by sluice.models.M.drift (exit 5 on an alert)."
    })
public final class DriftCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin DateRangeOptions days;

  @Option(names = "--model", paramLabel = "M", description = "Model (required).")
  String model;

  @Option(
      names = "--granularity",
      paramLabel = "G",
      description = "1d (a day per window) or 1w (7 days); default: the model's drift.granularity.")
  String granularity;

  @Override
  public Integer call() {
    if (model == null) {
      // The message picocli gives a missing required option (a usage error: exit 2, no summary).
      throw new MissingParameterException(
          spec.commandLine(), spec.findOption("--model"), "Missing required option: '--model=M'");
    }
    return run(
            new JobRunner(System.out, System.err),
            common,
            model,
            days.first(),
            days.last(),
            Optional.ofNullable(granularity),
            days.mixed())
        .exitCode();
  }

  public static JobRunner.Outcome run(
      JobRunner runner,
      CommonOptions common,
      String model,
      LocalDate from,
      LocalDate to,
      Optional<String> granularity,
      boolean mixedRange) {
    return runner.run(
        new JobSpec("drift", Optional.of(model), Optional.of(to)),
        common,
        (env, result) -> {
          DateRangeOptions.check(from, to, mixedRange);
          DriftSpec spec = DriftSpec.of(env.config().reader(), model, granularity);
          String entity = TrainingSetSpec.fromModel(env.config().reader(), model).entity();
          new Drifter(env).run(model, entity, from, to, spec, result);
        });
  }
}
