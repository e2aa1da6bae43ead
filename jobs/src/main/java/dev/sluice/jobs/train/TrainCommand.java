/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.jobs.cli.JobRunner;
import dev.sluice.jobs.cli.JobRunner.JobSpec;
import dev.sluice.jobs.trainingset.TrainingSetSpec;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice train}: train, evaluate, register and gate a model. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train --model M on its training set for --date D (sluice.models.M.train), evaluate it on",
      "a holdout chosen by entity hash, log the run and register the checksummed artifact, then",
      "judge it by the validation gate: pass moves the champion (first model) or challenger",
      "alias; fail exits 5 with the reason. Writes the version's drift baseline."
    })
public final class TrainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--model", paramLabel = "M", required = true, description = "Model to train.")
  String model;

  @Option(
      names = "--date",
      paramLabel = "D",
      description = "Logical date: the training set built for it (default: today, UTC).")
  LocalDate date;

  @Option(
      names = "--training-set-id",
      paramLabel = "ID",
      description = "Train on this training set instead of the newest one built for --date.")
  String trainingSetId;

  @Override
  public Integer call() {
    LocalDate day = date != null ? date : LocalDate.now(ZoneOffset.UTC);
    return run(
            new JobRunner(System.out, System.err),
            common,
            model,
            day,
            Optional.ofNullable(trainingSetId))
        .exitCode();
  }

  /** Runs one training (the demo calls this). */
  public static JobRunner.Outcome run(
      JobRunner runner,
      CommonOptions common,
      String model,
      LocalDate date,
      Optional<String> trainingSetId) {
    return runner.run(
        new JobSpec("train", Optional.of(model), Optional.of(date)),
        common,
        (env, result) ->
            new Trainer(env)
                .train(
                    TrainSpec.fromModel(env.config().reader(), model),
                    TrainingSetSpec.fromModel(env.config().reader(), model),
                    date,
                    trainingSetId,
                    result));
  }
}
