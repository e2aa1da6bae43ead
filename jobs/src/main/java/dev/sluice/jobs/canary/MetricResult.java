/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.canary;

/**
 * One metric of a canary window: its value per cohort, the sample sizes, the test applied and its
 * statistic, p-value or interval, the threshold and the outcome.
 */
public record MetricResult(
    String metric,
    double championValue,
    double challengerValue,
    long championN,
    long challengerN,
    String test,
    double statistic,
    double pValue,
    double ciLow,
    double ciHigh,
    double threshold,
    String outcome) {
  public static final String SUCCESS = "success";
  public static final String FAILURE = "failure";
  public static final String INCONCLUSIVE = "inconclusive";

  /** The window's outcome: failure if any metric failed, success if all succeeded. */
  static String windowOutcome(java.util.List<MetricResult> metrics) {
    if (metrics.stream().anyMatch(m -> m.outcome().equals(FAILURE))) {
      return FAILURE;
    }
    if (!metrics.isEmpty() && metrics.stream().allMatch(m -> m.outcome().equals(SUCCESS))) {
      return SUCCESS;
    }
    return INCONCLUSIVE;
  }
}
