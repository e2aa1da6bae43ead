/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import dev.sluice.error.PipelineErrors;
import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.jobs.cli.JobRunner;
import dev.sluice.jobs.cli.JobRunner.JobSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice model-card --model M (--version V | --alias A) [--out DIR]}: renders version V's
 * model card again from the {@code model_card/card.json} logged at its registration
 * (docs/models.md, "Model card") and prints the paths of its Markdown and HTML files. An unknown
 * model or version, or a version without a card, exits 4.
 */
@Command(
    name = "model-card",
    mixinStandardHelpOptions = true,
    description = {
      "Regenerate the model card of --model M --version V or --alias A (Markdown and one self-contained HTML",
      "page with charts) from the data its training run logged, into DIR (default:",
      "<sluice.reports.dir or the lake's _reports>/model-card/M/vV) and print the paths."
    })
public final class ModelCardCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--model", paramLabel = "M", required = true, description = "Model.")
  String model;

  @ArgGroup(multiplicity = "1")
  Target target;

  /** Which version: a number or an alias. */
  static final class Target {
    @Option(names = "--version", paramLabel = "V", description = "Model version.")
    Long version;

    @Option(
        names = "--alias",
        paramLabel = "A",
        description = "The version an alias points at, e.g. champion.")
    String alias;
  }

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "The folder of card.md and card.html (default: see above).")
  Path out;

  @Override
  public Integer call() {
    return run(
            new JobRunner(System.out, System.err),
            System.out,
            common,
            model,
            Optional.ofNullable(target.version),
            Optional.ofNullable(target.alias),
            Optional.ofNullable(out))
        .exitCode();
  }

  public static JobRunner.Outcome run(
      JobRunner runner,
      PrintStream stdout,
      CommonOptions common,
      String model,
      Optional<Long> version,
      Optional<String> alias,
      Optional<Path> out) {
    return runner.run(
        new JobSpec("model-card", Optional.of(model), Optional.empty()),
        common,
        (env, result) -> {
          long v = version.orElseGet(() -> byAlias(env, model, alias.orElseThrow()));
          if (v < 1) {
            throw PipelineErrors.invalidArgument("--version", v, "must be 1 or more");
          }
          ModelCards cards = new ModelCards(env);
          Path dir =
              cards.regenerate(
                  model,
                  v,
                  out.map(p -> p.toAbsolutePath().normalize())
                      .orElseGet(() -> cards.reportsDir(model, v)));
          stdout.println("Model card (Markdown): " + dir.resolve("card.md"));
          stdout.println("Model card (HTML): " + dir.resolve("card.html"));
          result.modelInput(model, v);
          result.metric("model_card", dir.resolve("card.html").toString());
          result.metric("model_card_markdown", dir.resolve("card.md").toString());
        });
  }

  private static long byAlias(JobRunner.JobEnv env, String model, String alias) {
    return env.registry().requireAlias(model, alias).version();
  }
}
