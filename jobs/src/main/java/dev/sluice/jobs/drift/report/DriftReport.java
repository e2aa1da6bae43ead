/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import static java.util.Objects.requireNonNull;

import dev.sluice.drift.DriftRecords.Window;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a drift report shows (docs/drift.md, "Report"), computed from the drift tables by {@link
 * DriftReportModel} and drawn by {@link ReportRenderer}: one model version, the window whose
 * histograms are shown, and per column its histogram on the baseline's bins and its statistics
 * against the baseline over every window up to the shown one.
 *
 * @param model the model's name
 * @param modelVersion the version whose profiles are shown
 * @param window the window whose histograms are shown
 * @param rows the rows of the version profiled in the window
 * @param windows the ends of the windows of the time series, ascending (the x axis of every
 *     statistics chart); the last is {@code window}'s end
 * @param otherVersions rows of the other versions profiled in the window, by version
 * @param drifted the columns whose baseline comparison in the window alerted ({@code
 *     drift_detected}), in column order
 * @param alerts every drift alert of the model in the window, any version
 * @param thresholds the policy's thresholds, drawn on the statistics they apply to
 * @param columns the score column first, then the features in the baseline's order
 * @param inputs the tables read, each at the version read
 */
record DriftReport(
    String model,
    long modelVersion,
    Window window,
    long rows,
    List<LocalDate> windows,
    Map<Long, Long> otherVersions,
    List<String> drifted,
    List<Alert> alerts,
    List<Threshold> thresholds,
    List<ColumnReport> columns,
    Map<String, Long> inputs) {
  DriftReport {
    requireNonNull(model, "model is null");
    requireNonNull(window, "window is null");
    windows = List.copyOf(windows);
    otherVersions = Map.copyOf(otherVersions);
    drifted = List.copyOf(drifted);
    alerts = List.copyOf(alerts);
    thresholds = List.copyOf(thresholds);
    columns = List.copyOf(columns);
    inputs = Map.copyOf(inputs);
  }

  /**
   * One column's charts.
   *
   * @param name the column
   * @param kind {@code numeric} or {@code categorical}
   * @param score whether it is the model's score rather than a feature
   * @param severity its baseline comparison's severity in the shown window ({@code none} without
   *     one)
   */
  record ColumnReport(
      String name,
      String kind,
      boolean score,
      String severity,
      Histogram histogram,
      List<StatisticSeries> statistics,
      List<AlertMarker> markers) {
    ColumnReport {
      requireNonNull(name, "name is null");
      requireNonNull(histogram, "histogram is null");
      statistics = List.copyOf(statistics);
      markers = List.copyOf(markers);
    }

    /** The points the statistics chart draws: every value present in a series. */
    int statisticPoints() {
      return statistics.stream().mapToInt(StatisticSeries::points).sum();
    }
  }

  /**
   * A column's histogram: the baseline's share of each bin beside the window's.
   *
   * @param bins each bin's label: a category, or a numeric range such as {@code [1.5, 3)}
   * @param baseline the baseline's share per bin (of its non-null values)
   * @param window the window's share per bin
   * @param baselineValues the baseline's binned values
   * @param windowValues the window's binned values
   */
  record Histogram(
      List<String> bins,
      List<Double> baseline,
      List<Double> window,
      long baselineValues,
      long windowValues) {
    Histogram {
      bins = List.copyOf(bins);
      baseline = List.copyOf(baseline);
      window = List.copyOf(window);
    }

    /** The bars the chart draws: two per bin. */
    int points() {
      return bins.size() * 2;
    }
  }

  /**
   * One statistic of a column over the report's windows.
   *
   * @param statistic its {@code drift_metrics} column, e.g. {@code psi}
   * @param values one per window of the report, null where it has no value
   */
  record StatisticSeries(String statistic, List<Double> values) {
    StatisticSeries {
      requireNonNull(statistic, "statistic is null");
      values = Collections.unmodifiableList(new ArrayList<>(values)); // nulls are gaps
    }

    int points() {
      return (int) values.stream().filter(Objects::nonNull).count();
    }
  }

  /**
   * An alert drawn on a statistics chart: at its window, on the series of the statistic that raised
   * it.
   */
  record AlertMarker(LocalDate windowEnd, String statistic, double value, String label) {}

  /** A policy threshold drawn as a horizontal line on one statistic's series. */
  record Threshold(String statistic, String name, double value) {}

  /**
   * A row of {@code alerts}.
   *
   * @param modelVersion null when the alert concerns no version
   * @param column null for a dataset-level alert ({@code drifted_share})
   * @param value null when the alert has none
   */
  record Alert(
      Long modelVersion,
      LocalDate windowEnd,
      String column,
      String metric,
      Double value,
      String threshold,
      String action) {}
}
