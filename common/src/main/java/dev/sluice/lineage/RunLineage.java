/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.lineage;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.OpenLineageConfig;
import dev.sluice.job.JobResult;
import dev.sluice.job.RunContext;
import java.io.PrintStream;
import java.net.URI;
import java.util.Optional;

/**
 * The OpenLineage events of one job attempt: START when it begins, then COMPLETE or FAIL when it
 * ends. With events on, the summary's metrics carry {@value #ERRORS_METRIC}, the number of events
 * that could not be delivered.
 */
public final class RunLineage {
  public static final String ERRORS_METRIC = "openlineage.errors";

  /** No events: before the config is known (a config error), or with transport none. */
  public static final RunLineage NONE = new RunLineage(Optional.empty());

  private final Optional<Active> active;

  /** Events on: where they go and how they are built. */
  private record Active(OpenLineageEmitter emitter, RunEvents events) {}

  private RunLineage(Optional<Active> active) {
    this.active = active;
  }

  /**
   * Sends the START event of {@code run} and returns the lineage that will end it.
   *
   * @param jobName the job's stable name (see {@link RunEvents})
   * @param lakeRoot the namespace of the tables
   */
  public static RunLineage start(
      OpenLineageConfig config,
      String jobName,
      URI lakeRoot,
      RunContext run,
      PrintStream warnings) {
    requireNonNull(config, "config is null");
    OpenLineageEmitter emitter = OpenLineageEmitter.of(config, warnings);
    if (!emitter.enabled()) {
      return NONE;
    }
    RunEvents events = new RunEvents(RunEvents.producer(), config.namespace(), jobName, lakeRoot);
    emitter.emit(RunEvents.START, () -> events.start(run));
    return new RunLineage(Optional.of(new Active(emitter, events)));
  }

  /**
   * Sends the event that ends {@code run} (exit 0 or 5: COMPLETE; else FAIL) and records the number
   * of undelivered events in {@code result}'s metrics.
   */
  public void end(RunContext run, JobResult result, int exitCode, Optional<String> error) {
    if (active.isEmpty()) {
      return;
    }
    OpenLineageEmitter emitter = active.get().emitter();
    RunEvents events = active.get().events();
    emitter.emit(RunEvents.endType(exitCode), () -> events.end(run, result, exitCode, error));
    result.metric(ERRORS_METRIC, emitter.errors());
  }
}
