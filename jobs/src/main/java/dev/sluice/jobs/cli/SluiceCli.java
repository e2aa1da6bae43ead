/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.cli;

import dev.sluice.build.BuildInfo;
import dev.sluice.jobs.demo.DemoCommand;
import dev.sluice.jobs.features.FeaturesCommand;
import dev.sluice.jobs.quality.QualityCommand;
import dev.sluice.jobs.registry.RegistryCommand;
import dev.sluice.jobs.sample.SampleDataCommand;
import dev.sluice.jobs.snapshot.SnapshotCommand;
import dev.sluice.jobs.sql.SqlCommand;
import dev.sluice.jobs.trainingset.TrainingSetCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sluice <command>}: one CLI whose commands are also the spark-submit entry points. */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = SluiceCli.Version.class,
    description = "Lakehouse-native MLOps batch pipelines on Apache Spark and Delta Lake.",
    subcommands = {
      SampleDataCommand.class,
      SnapshotCommand.class,
      QualityCommand.class,
      FeaturesCommand.class,
      TrainingSetCommand.class,
      dev.sluice.jobs.train.TrainCommand.class,
      dev.sluice.jobs.train.ModelCardCommand.class,
      dev.sluice.jobs.score.ScoreCommand.class,
      dev.sluice.jobs.drift.DriftCommand.class,
      dev.sluice.jobs.canary.CanaryCommand.class,
      dev.sluice.jobs.release.PromoteCommand.class,
      dev.sluice.jobs.release.RollbackCommand.class,
      dev.sluice.jobs.lineage.LineageCommand.class,
      SqlCommand.class,
      DemoCommand.class,
      RegistryCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 internal error, 2 bad config or arguments, 3 data-quality gate failed,",
      "4 upstream input missing, 5 policy decision taken. The last stdout line of a job is its",
      "JSON summary (docs/job-contract.md)."
    })
public final class SluiceCli extends CommandGroup {
  /** The CLI with Sluice's conventions: usage errors exit 2, options are case-sensitive. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new SluiceCli());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  /** Prints the build version and commit. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"sluice " + BuildInfo.version() + " (" + BuildInfo.codeVersion() + ")"};
    }
  }
}
