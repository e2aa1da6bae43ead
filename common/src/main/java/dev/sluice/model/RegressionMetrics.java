/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holdout metrics of a regression model; {@link ModelEvaluation#regression} defines each one.
 *
 * @param count the number of examples
 * @param rmse the root of the mean squared error
 * @param mae the mean absolute error
 * @param r2 the coefficient of determination, {@code 1 - SS_res / SS_tot}; NaN when every label is
 *     equal ({@code SS_tot = 0}), where it is undefined
 */
public record RegressionMetrics(long count, double rmse, double mae, double r2) {
  /** The metrics by snake_case name, in a fixed order: rmse, mae, r2, count. */
  public Map<String, Double> asMetrics() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("rmse", rmse);
    metrics.put("mae", mae);
    metrics.put("r2", r2);
    metrics.put("count", (double) count);
    return Collections.unmodifiableMap(metrics);
  }
}
