/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

/** The status of a run, as MLflow names it. */
public enum RunStatus {
  RUNNING,
  SCHEDULED,
  FINISHED,
  FAILED,
  KILLED;

  /** Whether a run in this status has ended. */
  public boolean terminal() {
    return this == FINISHED || this == FAILED || this == KILLED;
  }
}
