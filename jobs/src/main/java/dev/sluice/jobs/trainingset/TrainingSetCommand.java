/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.trainingset;

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

/** {@code sluice training-set}: point-in-time training sets. */
@Command(
    name = "training-set",
    mixinStandardHelpOptions = true,
    description = "Point-in-time correct training sets from the feature store.",
    subcommands = TrainingSetCommand.Build.class)
public final class TrainingSetCommand extends CommandGroup {

  /** {@code sluice training-set build}. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = {
        "Join each observation row with the latest feature values valid at its timestamp (never",
        "later ones, within each group's TTL) into --out, recorded in sluice.training_sets. Flags",
        "come from --model M's conf (sluice.models.M.training-set) or are given explicitly."
      })
  public static final class Build implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(
        names = "--date",
        paramLabel = "D",
        description = "Logical date: the snapshot whose pins are read (default: today, UTC).")
    LocalDate date;

    @Option(
        names = "--model",
        paramLabel = "M",
        description = "Take the flags below from sluice.models.M.training-set.")
    String model;

    @Option(names = "--observations", paramLabel = "TABLE", description = "Observation table.")
    String observations;

    @Option(
        names = "--entity",
        paramLabel = "COL",
        description = "Entity key column of the observations.")
    String entity;

    @Option(
        names = "--timestamp",
        paramLabel = "COL",
        description = "Timestamp (or date) column of the observations.")
    String timestamp;

    @Option(names = "--label", paramLabel = "COL", description = "Label column.")
    String label;

    @Option(
        names = "--features",
        paramLabel = "group.feature,...",
        description = "Features to attach.")
    String features;

    @Option(names = "--out", paramLabel = "TABLE", description = "Output table.")
    String out;

    @Option(names = "--snapshot-id", description = "Read this snapshot run's pins.")
    String snapshotId;

    @Override
    public Integer call() {
      LocalDate day = date != null ? date : LocalDate.now(ZoneOffset.UTC);
      return run(new JobRunner(System.out, System.err), common, day, this).exitCode();
    }

    /** Runs a build with this command's flags (the demo fills only --model). */
    public static JobRunner.Outcome run(
        JobRunner runner, CommonOptions common, LocalDate date, Build flags) {
      Optional<String> model = Optional.ofNullable(flags.model);
      return runner.run(
          new JobSpec(
              "training-set", model.or(() -> Optional.ofNullable(flags.out)), Optional.of(date)),
          common,
          (env, result) -> {
            TrainingSetSpec spec =
                model.isPresent()
                    ? TrainingSetSpec.fromModel(env.config().reader(), model.get())
                    : flags.explicit();
            new TrainingSetBuilder(env)
                .build(
                    spec,
                    SnapshotResolver.resolve(
                        env.lake(), date, Optional.ofNullable(flags.snapshotId)),
                    date,
                    result);
          });
    }

    /** Flags for the demo and tests: a model's conf. */
    public static Build forModel(String model) {
      Build build = new Build();
      build.model = model;
      return build;
    }

    private TrainingSetSpec explicit() {
      require("--observations", observations);
      require("--entity", entity);
      require("--timestamp", timestamp);
      require("--features", features);
      require("--out", out);
      return new TrainingSetSpec(
          Optional.empty(),
          observations,
          entity,
          timestamp,
          Optional.ofNullable(label),
          TrainingSetSpec.split(features),
          out);
    }

    private static void require(String option, String value) {
      if (value == null || value.isBlank()) {
        throw dev.sluice.error.PipelineErrors.invalidArgument(
            option, "", "is required without --model");
      }
    }
  }
}
