/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One metric point of a run.
 *
 * @param key the metric name
 * @param value its value (NaN and infinities allowed)
 * @param timestamp when it was measured (millisecond precision in the registry)
 * @param step the training step or iteration it belongs to
 */
public record Metric(String key, double value, Instant timestamp, long step) {
  public Metric {
    requireNonNull(key, "key is null");
    requireNonNull(timestamp, "timestamp is null");
  }
}
