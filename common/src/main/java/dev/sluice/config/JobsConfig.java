/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import dev.sluice.error.PipelineErrors;

/**
 * Settings shared by every job.
 *
 * @param lockHeartbeatMs how often a running attempt renews its run-key lock
 * @param lockLeaseMs how long an unrenewed lock stays valid before another attempt may take it
 */
public record JobsConfig(long lockHeartbeatMs, long lockLeaseMs) {
  static JobsConfig from(ConfigReader reader) {
    long heartbeat = reader.positiveLong("lock-heartbeat-ms");
    long lease = reader.positiveLong("lock-lease-ms");
    if (lease < 2 * heartbeat) {
      throw PipelineErrors.invalidConfig(
          reader.path("lock-lease-ms"),
          lease,
          "must be at least twice " + reader.path("lock-heartbeat-ms") + " (" + heartbeat + ")");
    }
    return new JobsConfig(heartbeat, lease);
  }
}
