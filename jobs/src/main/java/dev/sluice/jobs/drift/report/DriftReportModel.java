/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import dev.sluice.drift.DriftComparison;
import dev.sluice.drift.DriftPolicy;
import dev.sluice.drift.DriftRecords.Window;
import dev.sluice.drift.WindowProfile;
import dev.sluice.drift.WindowProfiler;
import dev.sluice.error.PipelineErrors;
import dev.sluice.features.FeatureSource;
import dev.sluice.jobs.drift.report.DriftReport.Alert;
import dev.sluice.jobs.drift.report.DriftReport.AlertMarker;
import dev.sluice.jobs.drift.report.DriftReport.ColumnReport;
import dev.sluice.jobs.drift.report.DriftReport.Histogram;
import dev.sluice.jobs.drift.report.DriftReport.StatisticSeries;
import dev.sluice.jobs.drift.report.DriftReport.Threshold;
import dev.sluice.jobs.drift.report.ReportRows.DriftPoint;
import dev.sluice.model.ColumnProfile;
import dev.sluice.model.ColumnProfile.Bin;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes a {@link DriftReport} from the rows of the drift tables (no Spark): the version shown,
 * each column's histogram on its baseline's bins, its statistics against the baseline over the
 * windows up to the shown one (slice {@code all}), the alerts on them and the policy's thresholds.
 */
final class DriftReportModel {
  /** The alert metrics of {@link DriftPolicy} by the statistic their series charts. */
  private static final Map<String, String> ALERT_STATISTICS =
      Map.of("psi", "psi", "js", "js_distance", "ks", "ks_statistic");

  private DriftReportModel() {}

  /**
   * The version a report shows: {@code requested}, else the one with the most rows in the window
   * (the champion's share of a day with a canary; the higher version on a tie).
   *
   * @param profiles the window's profiles of slice {@code all}, any versions
   * @throws dev.sluice.error.SluiceException exit 2 when {@code requested} has no rows there
   */
  static long version(List<WindowProfile> profiles, Optional<Long> requested, LocalDate end) {
    Map<Long, Long> rows = rowsByVersion(profiles);
    if (requested.isPresent()) {
      if (!rows.containsKey(requested.get())) {
        throw PipelineErrors.invalidArgument(
            "--model-version",
            requested.get(),
            String.format("a version profiled in the window ending %s: %s", end, rows.keySet()));
      }
      return requested.get();
    }
    return rows.entrySet().stream()
        .max(Map.Entry.<Long, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .orElseThrow(() -> new IllegalArgumentException("No profiles in the window ending " + end))
        .getKey();
  }

  /**
   * The report of {@code version} in {@code window}.
   *
   * @param profiles the window's profiles (rows of other slices are ignored)
   * @param baseline the version's baseline profiles
   * @param points {@code drift_metrics} rows of the model (only the version's baseline comparisons
   *     of slice {@code all} up to the window are used)
   * @param alerts {@code alerts} rows of the model (those of later windows are ignored)
   * @param inputs the tables read, at their versions
   */
  static DriftReport build(
      String model,
      Window window,
      long version,
      List<WindowProfile> profiles,
      List<ColumnProfile> baseline,
      List<DriftPoint> points,
      List<Alert> alerts,
      DriftPolicy policy,
      Map<String, Long> inputs) {
    List<WindowProfile> all =
        profiles.stream().filter(p -> p.sliceKey().equals(WindowProfiler.ALL)).toList();
    Map<Long, Long> others = new TreeMap<>(rowsByVersion(all));
    Long rows = others.remove(version);
    List<DriftPoint> series =
        points.stream()
            .filter(
                p ->
                    p.modelVersion() == version
                        && p.sliceKey().equals(WindowProfiler.ALL)
                        && p.driftType().equals(DriftComparison.BASELINE)
                        && !p.windowEnd().isAfter(window.end()))
            .toList();
    TreeSet<LocalDate> ends = new TreeSet<>();
    series.forEach(p -> ends.add(p.windowEnd()));
    ends.add(window.end());
    List<LocalDate> windows = List.copyOf(ends);

    List<ColumnProfile> columns = new ArrayList<>(baseline);
    columns.sort(
        Comparator.comparing((ColumnProfile c) -> !isScore(c.name()))
            .thenComparing(ColumnProfile::name));
    List<ColumnReport> reports = new ArrayList<>();
    List<String> drifted = new ArrayList<>();
    for (ColumnProfile base : columns) {
      Optional<WindowProfile> shown =
          all.stream()
              .filter(p -> p.modelVersion() == version && p.profile().name().equals(base.name()))
              .findFirst();
      if (shown.isEmpty()) {
        continue;
      }
      List<DriftPoint> mine = series.stream().filter(p -> p.column().equals(base.name())).toList();
      Optional<DriftPoint> now =
          mine.stream().filter(p -> p.windowEnd().equals(window.end())).findFirst();
      if (now.isPresent() && now.get().driftDetected()) {
        drifted.add(base.name());
      }
      List<StatisticSeries> statistics = statistics(mine, windows);
      reports.add(
          new ColumnReport(
              base.name(),
              base.kind().value(),
              isScore(base.name()),
              now.map(DriftPoint::severity).orElse("none"),
              histogram(base, shown.get().profile()),
              statistics,
              markers(alerts, version, base.name(), windows, statistics)));
    }
    List<Alert> inWindow =
        alerts.stream()
            .filter(a -> a.windowEnd().equals(window.end()))
            .sorted(
                Comparator.comparing(Alert::modelVersion, Comparator.nullsLast(Long::compare))
                    .thenComparing(Alert::column, Comparator.nullsLast(String::compareTo)))
            .toList();
    return new DriftReport(
        model,
        version,
        window,
        rows == null ? 0 : rows,
        windows,
        others,
        drifted,
        inWindow,
        thresholds(policy),
        reports,
        inputs);
  }

  /** Whether a column is the model's score: every feature column is {@code group__feature}. */
  static boolean isScore(String column) {
    return !column.contains(FeatureSource.OUTPUT_SEPARATOR);
  }

  /** Each bin's share of the binned values of both sides (0 for a side without values). */
  static Histogram histogram(ColumnProfile baseline, ColumnProfile window) {
    List<String> labels = baseline.bins().stream().map(DriftReportModel::label).toList();
    return new Histogram(
        labels,
        shares(baseline.bins()),
        shares(window.bins()),
        total(baseline.bins()),
        total(window.bins()));
  }

  private static List<StatisticSeries> statistics(
      List<DriftPoint> points, List<LocalDate> windows) {
    List<StatisticSeries> series = new ArrayList<>();
    for (String statistic : ReportRows.STATISTICS) {
      List<Double> values = new ArrayList<>();
      for (LocalDate end : windows) {
        values.add(
            points.stream()
                .filter(p -> p.windowEnd().equals(end))
                .map(p -> p.statistics().get(statistic))
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null));
      }
      if (values.stream().anyMatch(Objects::nonNull)) {
        series.add(new StatisticSeries(statistic, values));
      }
    }
    return series;
  }

  /**
   * The column's alerts of {@code version} in the report's windows, each on the series of the
   * statistic that raised it (the first series for another metric), at the alert's value.
   */
  private static List<AlertMarker> markers(
      List<Alert> alerts,
      long version,
      String column,
      List<LocalDate> windows,
      List<StatisticSeries> statistics) {
    List<AlertMarker> markers = new ArrayList<>();
    if (statistics.isEmpty()) {
      return markers;
    }
    for (Alert a : alerts) {
      if (a.modelVersion() == null
          || a.modelVersion() != version
          || !column.equals(a.column())
          || !windows.contains(a.windowEnd())) {
        continue;
      }
      String wanted = ALERT_STATISTICS.getOrDefault(a.metric(), "");
      StatisticSeries on =
          statistics.stream()
              .filter(s -> s.statistic().equals(wanted))
              .findFirst()
              .orElse(statistics.get(0));
      Double plotted = on.values().get(windows.indexOf(a.windowEnd()));
      double value = a.value() != null ? a.value() : plotted != null ? plotted : 0.0;
      String label = a.threshold() != null ? a.threshold() : a.metric();
      markers.add(new AlertMarker(a.windowEnd(), on.statistic(), value, label));
    }
    return markers;
  }

  private static List<Threshold> thresholds(DriftPolicy policy) {
    return List.of(
        new Threshold("psi", "psi warn", policy.psiWarn()),
        new Threshold("psi", "psi alert", policy.psiAlert()),
        new Threshold("js_distance", "js alert", policy.jsAlert()),
        new Threshold("ks_statistic", "ks min-statistic", policy.ksMinStatistic()));
  }

  private static Map<Long, Long> rowsByVersion(List<WindowProfile> profiles) {
    Map<Long, Long> rows = new TreeMap<>();
    profiles.stream()
        .filter(p -> p.sliceKey().equals(WindowProfiler.ALL))
        .forEach(p -> rows.put(p.modelVersion(), p.profile().rowCount()));
    return rows;
  }

  private static List<Double> shares(List<Bin> bins) {
    long total = total(bins);
    return bins.stream().map(b -> total == 0 ? 0.0 : (double) b.count() / total).toList();
  }

  private static long total(List<Bin> bins) {
    return bins.stream().mapToLong(Bin::count).sum();
  }

  /** A category, or a numeric range {@code [lower, upper)} (the last bin closed). */
  static String label(Bin bin) {
    if (bin.category().isPresent()) {
      return bin.category().get();
    }
    boolean last = bin.upper() == Double.POSITIVE_INFINITY;
    return "[" + number(bin.lower()) + ", " + number(bin.upper()) + (last ? "]" : ")");
  }

  /** Four significant digits, without trailing zeros; infinities as ±∞. */
  static String number(double value) {
    if (Double.isInfinite(value)) {
      return value > 0 ? "+∞" : "-∞";
    }
    if (Double.isNaN(value)) {
      return "NaN";
    }
    return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
