/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.sample;

import dev.sluice.config.SampleConfig;
import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.jobs.cli.JobRunner;
import dev.sluice.jobs.cli.JobRunner.JobSpec;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice sample-data}: writes the demo's source tables. */
@Command(
    name = "sample-data",
    mixinStandardHelpOptions = true,
    description = {
      "Write a deterministic churn-like sample as Delta source tables (customers, daily activity,",
      "labels that land days later), appended one version per day, with built-in drift and",
      "malformed rows. Sizes and names come from sluice.sample; flags override them."
    })
public final class SampleDataCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--customers", description = "Number of customers (sluice.sample.customers).")
  Integer customers;

  @Option(names = "--days", description = "Number of days (sluice.sample.days).")
  Integer days;

  @Option(names = "--seed", description = "Random seed (sluice.sample.seed).")
  Long seed;

  @Option(names = "--replace", description = "Delete and rewrite sample tables that differ.")
  boolean replace;

  @Override
  public Integer call() {
    return run(new JobRunner(System.out, System.err), common, customers, days, seed, replace)
        .exitCode();
  }

  /** Runs sample-data; null sizes fall back to the config. */
  public static JobRunner.Outcome run(
      JobRunner runner,
      CommonOptions common,
      Integer customers,
      Integer days,
      Long seed,
      boolean replace) {
    return runner.run(
        new JobSpec("sample-data", Optional.empty(), Optional.empty()),
        common,
        (env, result) -> {
          SampleConfig configured = env.config().sample();
          SampleConfig params =
              configured.withSize(
                  customers != null ? customers : configured.customers(),
                  days != null ? days : configured.days(),
                  seed != null ? seed : configured.seed());
          SampleParameters.validate(params);
          new SampleData(env, params).write(replace, result);
        });
  }
}
