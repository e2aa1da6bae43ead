/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.quality;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The outcome of one constraint on one table version.
 *
 * @param table the table checked
 * @param version its Delta version
 * @param level warning or error
 * @param constraint what was checked, e.g. {@code completeness(customer_id) >= 0.99}
 * @param passed whether it held
 * @param metricValue the observed value (a share of rows, a minimum, a row count...)
 * @param message Deequ's message when it failed
 */
public record QualityResult(
    String table,
    long version,
    QualityCheck.Level level,
    String constraint,
    boolean passed,
    Optional<Double> metricValue,
    String message) {
  public QualityResult {
    requireNonNull(table, "table is null");
    requireNonNull(level, "level is null");
    requireNonNull(constraint, "constraint is null");
    requireNonNull(metricValue, "metricValue is null");
    requireNonNull(message, "message is null");
  }

  public boolean failedError() {
    return !passed && level == QualityCheck.Level.ERROR;
  }

  public String status() {
    return passed ? "success" : "failure";
  }
}
