/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.jobs.drift.report.DriftReport.AlertMarker;
import dev.sluice.jobs.drift.report.DriftReport.ColumnReport;
import dev.sluice.jobs.drift.report.DriftReport.Histogram;
import dev.sluice.jobs.drift.report.DriftReport.StatisticSeries;
import dev.sluice.jobs.drift.report.DriftReport.Threshold;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The ECharts options (plain JSON, no functions) of a report's charts: a bar chart of the
 * baseline's and the window's bin shares, and a line chart of each statistic over the windows with
 * the policy's thresholds as horizontal lines and the alerts as pins. Animations are off, so a
 * chart is drawn completely as soon as its option is set.
 */
final class ChartOptions {
  /** The statistics on the second y axis: counts-based, orders of magnitude above the others. */
  private static final String SECOND_AXIS = "chi_squared_statistic";

  private static final Map<String, String> NAMES =
      Map.of(
          "psi", "PSI",
          "js_distance", "JS distance",
          "ks_statistic", "KS statistic",
          "wasserstein_distance", "Wasserstein (normalized)",
          "chi_squared_statistic", "chi-square",
          "tv_distance", "TV distance",
          "l_infinity_distance", "L-infinity distance");

  private static final Map<String, String> LABEL_POSITIONS =
      Map.of("psi", "insideStartTop", "js_distance", "insideMiddleTop");

  private static final String ALERT_COLOR = "#c62828";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ChartOptions() {}

  /** The label of a statistic in legends and tooltips. */
  static String name(String statistic) {
    return NAMES.getOrDefault(statistic, statistic);
  }

  static ObjectNode histogram(Histogram h, long modelVersion, LocalDate windowEnd) {
    ObjectNode option = base();
    option.putObject("tooltip").put("trigger", "axis");
    option.putObject("legend").put("top", 0);
    ObjectNode x = option.putObject("xAxis").put("type", "category");
    strings(x.putArray("data"), h.bins());
    x.putObject("axisLabel").put("interval", 0).put("rotate", h.bins().size() > 6 ? 40 : 0);
    option.putObject("yAxis").put("type", "value").put("name", "share");
    ArrayNode series = option.putArray("series");
    bars(series, "baseline (v" + modelVersion + ", n=" + h.baselineValues() + ")", h.baseline());
    bars(series, "window " + windowEnd + " (n=" + h.windowValues() + ")", h.window());
    return option;
  }

  static ObjectNode statistics(
      ColumnReport column, List<LocalDate> windows, List<Threshold> thresholds) {
    ObjectNode option = base();
    option.putObject("tooltip").put("trigger", "axis");
    option.putObject("legend").put("type", "scroll").put("top", 0);
    ObjectNode x = option.putObject("xAxis").put("type", "category");
    strings(x.putArray("data"), windows.stream().map(LocalDate::toString).toList());
    ArrayNode y = option.putArray("yAxis");
    y.addObject().put("type", "value").put("name", "distance");
    boolean second = column.statistics().stream().anyMatch(s -> s.statistic().equals(SECOND_AXIS));
    if (second) {
      y.addObject()
          .put("type", "value")
          .put("name", name(SECOND_AXIS))
          .putObject("splitLine")
          .put("show", false);
    }
    ArrayNode series = option.putArray("series");
    for (StatisticSeries s : column.statistics()) {
      ObjectNode line =
          series
              .addObject()
              .put("name", name(s.statistic()))
              .put("type", "line")
              .put("yAxisIndex", s.statistic().equals(SECOND_AXIS) ? 1 : 0)
              .put("showSymbol", true)
              .put("showAllSymbol", true)
              .put("connectNulls", true);
      ArrayNode data = line.putArray("data");
      s.values().forEach(v -> data.add(v == null ? JSON.nullNode() : JSON.numberNode(v)));
      thresholdLines(line, s.statistic(), thresholds);
      alertPins(line, s.statistic(), column.markers());
    }
    return option;
  }

  private static ObjectNode base() {
    ObjectNode option = JSON.objectNode();
    option.put("animation", false);
    option.putObject("grid").put("left", 60).put("right", 60).put("top", 60).put("bottom", 70);
    return option;
  }

  private static void bars(ArrayNode series, String name, List<Double> shares) {
    ObjectNode bar = series.addObject().put("name", name).put("type", "bar");
    ArrayNode data = bar.putArray("data");
    shares.forEach(data::add);
  }

  private static void thresholdLines(
      ObjectNode line, String statistic, List<Threshold> thresholds) {
    List<Threshold> mine =
        thresholds.stream().filter(t -> t.statistic().equals(statistic)).toList();
    if (mine.isEmpty()) {
      return;
    }
    ObjectNode markLine = line.putObject("markLine").put("symbol", "none").put("silent", true);
    markLine.putObject("lineStyle").put("type", "dashed");
    // Thresholds of different statistics often share a value: their labels go to different ends.
    markLine
        .putObject("label")
        .put("formatter", "{b} {c}")
        .put("position", LABEL_POSITIONS.getOrDefault(statistic, "insideEndTop"));
    ArrayNode data = markLine.putArray("data");
    mine.forEach(t -> data.addObject().put("name", t.name()).put("yAxis", t.value()));
  }

  private static void alertPins(ObjectNode line, String statistic, List<AlertMarker> markers) {
    List<AlertMarker> mine = markers.stream().filter(m -> m.statistic().equals(statistic)).toList();
    if (mine.isEmpty()) {
      return;
    }
    ObjectNode markPoint = line.putObject("markPoint").put("symbol", "pin").put("symbolSize", 36);
    markPoint.putObject("itemStyle").put("color", ALERT_COLOR);
    markPoint.putObject("label").put("formatter", "!");
    ArrayNode data = markPoint.putArray("data");
    for (AlertMarker m : mine) {
      ObjectNode point =
          data.addObject().put("name", "alert: " + m.label()).put("value", m.value());
      point.putArray("coord").add(m.windowEnd().toString()).add(m.value());
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
