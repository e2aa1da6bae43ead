/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.error;

/**
 * The category of a Sluice failure, and the process exit code orchestrators read for it (see
 * docs/job-contract.md).
 */
public enum ErrorCode {
  /** A bug or an unexpected failure of a dependency. */
  INTERNAL(1),
  /** Bad configuration or command-line arguments. */
  CONFIG(2),
  /** A data-quality gate at error level failed. */
  DATA_QUALITY(3),
  /** An upstream input (table, snapshot, model) is missing. */
  UPSTREAM_MISSING(4),
  /** A policy decision was taken (gate refused, canary abort, rollback): not a crash. */
  POLICY(5);

  private final int exitCode;

  ErrorCode(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
