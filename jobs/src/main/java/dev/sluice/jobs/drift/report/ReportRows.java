/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import static java.util.Objects.requireNonNull;

import dev.sluice.jobs.drift.report.DriftReport.Alert;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Rows of {@code drift_metrics} and {@code alerts} (schemas in {@link
 * dev.sluice.drift.DriftRecords}) as the report reads them. Profiles and baselines are read with
 * {@link dev.sluice.drift.DriftRecords#readProfile} and {@link
 * dev.sluice.model.BaselineRecords#fromRows}.
 */
final class ReportRows {
  /** The statistics of {@code drift_metrics} that the report charts, in chart order. */
  static final List<String> STATISTICS =
      List.of(
          "psi",
          "js_distance",
          "ks_statistic",
          "wasserstein_distance",
          "chi_squared_statistic",
          "tv_distance",
          "l_infinity_distance");

  private ReportRows() {}

  /**
   * One comparison of {@code drift_metrics}.
   *
   * @param statistics the non-null values among {@link #STATISTICS}, in that order
   * @param severity {@code none}, {@code warn} or {@code alert}
   */
  record DriftPoint(
      long modelVersion,
      LocalDate windowEnd,
      String sliceKey,
      String driftType,
      String column,
      Map<String, Double> statistics,
      String severity,
      boolean driftDetected) {
    DriftPoint {
      requireNonNull(windowEnd, "windowEnd is null");
      requireNonNull(sliceKey, "sliceKey is null");
      requireNonNull(driftType, "driftType is null");
      requireNonNull(column, "column is null");
      statistics = Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
    }
  }

  static DriftPoint driftPoint(Row r) {
    Map<String, Double> statistics = new LinkedHashMap<>();
    for (String statistic : STATISTICS) {
      Double value = r.getAs(statistic);
      if (value != null) {
        statistics.put(statistic, value);
      }
    }
    return new DriftPoint(
        r.<Long>getAs("model_version"),
        r.<Date>getAs("window_end").toLocalDate(),
        r.getAs("slice_key"),
        r.getAs("drift_type"),
        r.getAs("column_name"),
        statistics,
        r.getAs("severity"),
        r.<Boolean>getAs("drift_detected"));
  }

  /** An {@code alerts} row; its window end must be set (drift alerts always have one). */
  static Alert alert(Row r) {
    Date end = r.getAs("window_end");
    return new Alert(
        r.getAs("model_version"),
        requireNonNull(end, "window_end is null").toLocalDate(),
        r.getAs("column_name"),
        r.getAs("metric"),
        r.getAs("value"),
        r.getAs("threshold"),
        r.getAs("action"));
  }
}
