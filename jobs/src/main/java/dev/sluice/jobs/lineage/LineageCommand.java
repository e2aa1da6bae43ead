/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.lineage;

import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.jobs.cli.JobRunner;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.jobs.cli.JobRunner.JobSpec;
import dev.sluice.registry.ModelVersion;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice lineage}: where a model version came from and where it went. */
@Command(
    name = "lineage",
    mixinStandardHelpOptions = true,
    description = {
      "Print the lineage of a registered model version, read from sluice.lineage and",
      "sluice.job_runs: upstream, its training run <- training set@version <- feature",
      "tables@version (definition hashes) <- snapshots <- source tables@version (fingerprints),",
      "with the code version and conf hash of every run; downstream, the runs that read it",
      "(score: predictions and scoring_inputs, drift: profile_metrics and drift_metrics) and its",
      "alias moves in sluice.deployments. docs/sql/lineage_of_model_version.sql is the same",
      "answer as one SQL query."
    })
public final class LineageCommand implements Callable<Integer> {
  /** The alias traced when neither --version nor --alias is given. */
  public static final String DEFAULT_ALIAS = "champion";

  @Mixin CommonOptions common;

  @Option(names = "--model", paramLabel = "M", required = true, description = "Model.")
  String model;

  @ArgGroup(exclusive = true)
  Which which;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  LineageFormat format;

  static final class Which {
    @Option(names = "--version", paramLabel = "V", description = "The model version.")
    Long version;

    @Option(
        names = "--alias",
        paramLabel = "A",
        description = "The alias whose version to trace (default: " + DEFAULT_ALIAS + ").")
    String alias;
  }

  @Override
  public Integer call() {
    Optional<Long> version = Optional.ofNullable(which).map(w -> w.version);
    String alias = Optional.ofNullable(which).map(w -> w.alias).orElse(DEFAULT_ALIAS);
    return new JobRunner(System.out, System.err)
        .run(
            new JobSpec("lineage", Optional.of(model), Optional.empty()),
            common,
            (env, result) ->
                System.out.print(format.render(trace(env, model, version, alias, result))))
        .exitCode();
  }

  /**
   * Traces {@code version} of {@code model}, or the version {@code alias} points at when no version
   * is given; records what it read in {@code result}.
   */
  public static ModelLineage trace(
      JobEnv env, String model, Optional<Long> version, String alias, JobResult result) {
    ModelVersion found =
        version.isPresent()
            ? env.registry().getModelVersion(model, version.get())
            : env.registry().requireAlias(model, alias);
    for (TableId table :
        List.of(
            SluiceTables.LINEAGE,
            SluiceTables.JOB_RUNS,
            SluiceTables.SNAPSHOTS,
            SluiceTables.TRAINING_SETS,
            SluiceTables.DEPLOYMENTS)) {
      if (env.lake().exists(table)) {
        result.input(env.lake().latest(table));
      }
    }
    result.modelInput(model, found.version());
    ModelLineage lineage =
        new LineageTracer(env.lake(), LineageEdges.read(env.lake()))
            .trace(
                model,
                found.version(),
                version.isPresent() ? Optional.empty() : Optional.of(alias),
                found.runId());
    result.metric("model_version", found.version());
    result.metric("upstream_nodes", lineage.upstream().size());
    result.metric("tables", lineage.tables().size());
    result.metric("downstream_runs", lineage.downstream().size());
    result.metric("deployments", lineage.deployments().size());
    result.metric("code_version", lineage.trainedBy().codeVersion());
    return lineage;
  }
}
