/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.job;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

/**
 * One attempt of a job.
 *
 * @param job the command, e.g. {@code snapshot}
 * @param runId a fresh UUID per attempt
 * @param runKey the logical run this attempt belongs to
 * @param date the logical date, when the job has one
 * @param codeVersion git commit or build version
 * @param confHash hash of the resolved config
 * @param startedAt when the attempt started
 */
public record RunContext(
    String job,
    String runId,
    RunKey runKey,
    Optional<LocalDate> date,
    String codeVersion,
    String confHash,
    Instant startedAt) {
  public RunContext {
    requireNonNull(job, "job is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(runKey, "runKey is null");
    requireNonNull(date, "date is null");
    requireNonNull(codeVersion, "codeVersion is null");
    requireNonNull(confHash, "confHash is null");
    requireNonNull(startedAt, "startedAt is null");
  }

  public static RunContext start(
      String job, RunKey runKey, Optional<LocalDate> date, String codeVersion, String confHash) {
    return new RunContext(
        job, UUID.randomUUID().toString(), runKey, date, codeVersion, confHash, Instant.now());
  }

  /** The tag of this attempt's commits in every Delta log it writes. */
  public String commitTag() {
    return "sluice:" + job + ":" + runId;
  }
}
