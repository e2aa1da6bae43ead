/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.cli;

import static java.util.Objects.requireNonNull;

import dev.sluice.build.BuildInfo;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.error.ErrorCode;
import dev.sluice.error.RunKeyLockedException;
import dev.sluice.error.SluiceException;
import dev.sluice.job.JobRecords;
import dev.sluice.job.JobResult;
import dev.sluice.job.JobSummary;
import dev.sluice.job.RunContext;
import dev.sluice.job.RunKey;
import dev.sluice.job.RunLock;
import dev.sluice.jobs.registry.Registries;
import dev.sluice.lineage.RunLineage;
import dev.sluice.registry.ModelRegistry;
import dev.sluice.spark.JobStages;
import dev.sluice.spark.SparkSessions;
import dev.sluice.table.LakeCatalog;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import dev.sluice.table.TableVersion;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job attempt under the job contract (ARCHITECTURE §4): config, run identity, the run-key
 * lock, the Spark session and catalog, the job body, the job_runs row and lineage edges, the exit
 * code and the JSON summary as the last line on stdout.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final PrintStream summaryOut;
  private final PrintStream err;

  /**
   * @param summaryOut where the summary line goes (stdout for a command; stderr for the demo's
   *     stages, whose own summary is the last stdout line)
   * @param err progress and error messages
   */
  public JobRunner(PrintStream summaryOut, PrintStream err) {
    this.summaryOut = requireNonNull(summaryOut, "summaryOut is null");
    this.err = requireNonNull(err, "err is null");
  }

  /** What a job is: its command name and the parts of its run key. */
  public record JobSpec(String job, Optional<String> model, Optional<LocalDate> date) {
    public JobSpec {
      requireNonNull(job, "job is null");
      requireNonNull(model, "model is null");
      requireNonNull(date, "date is null");
    }

    RunKey runKey(Optional<String> override) {
      return override
          .map(RunKey::new)
          .orElseGet(
              () ->
                  date.map(d -> RunKey.of(job, model, d))
                      .orElseGet(() -> new RunKey(job + model.map(m -> "/" + m).orElse(""))));
    }

    /**
     * The OpenLineage job name: the command, and the model when there is one ({@code score.churn}),
     * the same for every date, so every attempt of every date is a run of one job.
     */
    String lineageName() {
      return job + model.map(m -> "." + m).orElse("");
    }
  }

  /** The body of a job: reads and writes through {@code env}, records into {@code result}. */
  @FunctionalInterface
  public interface JobBody {
    void run(JobEnv env, JobResult result);
  }

  /**
   * What a job body works with. {@code registry} is opened on first use (the embedded server starts
   * then) and closed when the job ends.
   */
  public record JobEnv(
      SluiceConfig config,
      RunContext run,
      Lakehouse lake,
      LakeCatalog catalog,
      JobStages stages,
      ModelRegistry registry) {
    public SparkSession spark() {
      return lake.spark();
    }
  }

  /** The exit code and summary line of one attempt. */
  public record Outcome(int exitCode, String summary, JobResult result, Optional<String> error) {}

  public Outcome run(JobSpec spec, CommonOptions options, JobBody body) {
    RunContext run =
        RunContext.start(
            spec.job(), spec.runKey(options.runKey()), spec.date(), BuildInfo.codeVersion(), "");
    JobResult result = new JobResult();
    Lakehouse lake = null;
    RunLineage lineage = RunLineage.NONE;
    try {
      SluiceConfig config = ConfigLoader.load(options.confFile(), options.overrides());
      run =
          new RunContext(
              run.job(),
              run.runId(),
              run.runKey(),
              run.date(),
              run.codeVersion(),
              config.confHash(),
              run.startedAt());
      lineage =
          RunLineage.start(
              config.openlineage(), spec.lineageName(), config.lake().root(), run, err);
      SparkSession spark =
          SparkSessions.getOrCreate("sluice " + spec.job(), config.spark(), config.lake());
      lake = new Lakehouse(spark, config.lake(), config.sources());
      LakeCatalog catalog = new LakeCatalog(lake);
      try (RunLock lock =
              RunLock.acquire(
                  lake.fileSystem(),
                  lake.systemPath("locks"),
                  run,
                  config.jobs().lockHeartbeatMs(),
                  config.jobs().lockLeaseMs());
          ModelRegistry registry =
              Registries.open(
                  config.registry(), () -> spark.sessionState().newHadoopConf(), System.getenv())) {
        err.printf("[sluice] %s: run_key %s, run_id %s%n", run.job(), run.runKey(), run.runId());
        catalog.registerAll();
        body.run(
            new JobEnv(config, run, lake, catalog, new JobStages(spark, run.job(), err), registry),
            result);
        int exitCode = result.exitCode();
        String status = exitCode == 0 ? JobSummary.SUCCEEDED : JobSummary.DECIDED;
        record(lake, catalog, run, result, status, exitCode, null);
        return finish(lineage, run, result, status, exitCode, null);
      }
    } catch (RunKeyLockedException e) {
      // Refused before doing anything: not an attempt of the run, so nothing is recorded.
      err.printf("sluice %s: %s%n", spec.job(), e.getMessage());
      return finish(lineage, run, result, JobSummary.FAILED, e.exitCode(), e.getMessage());
    } catch (SluiceException e) {
      err.printf("sluice %s: %s%n", spec.job(), e.getMessage());
      if (e.code() == ErrorCode.INTERNAL && e.getCause() != null) {
        e.printStackTrace(err);
      }
      return fail(lineage, lake, run, result, e.exitCode(), e.getMessage());
    } catch (Exception e) { // Spark's checked exceptions arrive undeclared
      err.printf("sluice %s: internal error: %s%n", spec.job(), e);
      e.printStackTrace(err);
      return fail(lineage, lake, run, result, ErrorCode.INTERNAL.exitCode(), String.valueOf(e));
    }
  }

  private Outcome fail(
      RunLineage lineage,
      Lakehouse lake,
      RunContext run,
      JobResult result,
      int exitCode,
      String error) {
    if (lake != null) {
      try {
        record(lake, new LakeCatalog(lake), run, result, JobSummary.FAILED, exitCode, error);
      } catch (RuntimeException recordError) {
        LOG.warn("Cannot record the failed attempt {} in job_runs", run.runId(), recordError);
      }
    }
    return finish(lineage, run, result, JobSummary.FAILED, exitCode, error);
  }

  private static void record(
      Lakehouse lake,
      LakeCatalog catalog,
      RunContext run,
      JobResult result,
      String status,
      int exitCode,
      String error) {
    String decision = result.decision().map(d -> d.action() + ": " + d.reason()).orElse(null);
    // Two tables, two independent commits: written at once.
    CompletableFuture<?> lineage =
        CompletableFuture.runAsync(
            () ->
                JobRecords.recordLineage(
                    lake, run, result.lineageInputs(), result.lineageOutputs()));
    JobRecords.recordRun(lake, run, status, exitCode, decision, error);
    Futures.join(lineage);
    result.outputs().stream().map(TableVersion::table).map(TableId::of).forEach(catalog::register);
    catalog.register(SluiceTables.JOB_RUNS);
    if (!result.lineageOutputs().isEmpty()) {
      catalog.register(SluiceTables.LINEAGE);
    }
  }

  /** Ends the attempt's lineage (COMPLETE or FAIL), then prints the summary line. */
  private Outcome finish(
      RunLineage lineage,
      RunContext run,
      JobResult result,
      String status,
      int exitCode,
      String error) {
    lineage.end(run, result, exitCode, Optional.ofNullable(error));
    String summary = JobSummary.toJson(run, status, exitCode, result, error);
    summaryOut.println(summary);
    summaryOut.flush();
    return new Outcome(exitCode, summary, result, Optional.ofNullable(error));
  }
}
