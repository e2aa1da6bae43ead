/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.job;

import static java.util.Objects.requireNonNull;

/** A policy decision a job took (promote, canary_abort, rollback, refuse...) and why. */
public record Decision(String action, String reason) {
  public Decision {
    requireNonNull(action, "action is null");
    requireNonNull(reason, "reason is null");
  }
}
