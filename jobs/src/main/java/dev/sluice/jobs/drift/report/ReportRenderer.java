/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.jobs.drift.report.DriftReport.Alert;
import dev.sluice.jobs.drift.report.DriftReport.ColumnReport;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders a {@link DriftReport} as one self-contained HTML file: a summary table, then per column a
 * histogram and a statistics chart. ECharts ({@link EchartsScript}) and the page's own script and
 * style are inlined, the charts' options are one JSON block written by Jackson, and every text is
 * HTML-escaped; the file references no URL, so it reads offline. Each chart's container has a
 * stable id ({@code hist-<column>}, {@code stats-<column>}) and a {@code data-points} attribute:
 * the bars or line points it draws (alert pins and threshold lines not counted; a statistics chart
 * counts its pins in {@code data-alerts}).
 */
final class ReportRenderer {
  /** The id of the JSON block that holds every chart's option. */
  static final String DATA_ID = ReportPage.DATA_ID;

  private ReportRenderer() {}

  static String render(DriftReport report, Instant generatedAt) {
    ObjectNode data = ReportPage.data();
    data.put("model", report.model()).put("model_version", report.modelVersion());
    data.put("window_end", report.window().end().toString());
    ArrayNode charts = data.putArray("charts");
    StringBuilder sections = new StringBuilder();
    Set<String> ids = new HashSet<>();
    for (ColumnReport c : report.columns()) {
      String slug = unique(slug(c.name()), ids);
      String hist = "hist-" + slug;
      String stats = "stats-" + slug;
      chart(charts, hist, c.name(), "histogram", c.histogram().points())
          .set(
              "option",
              ChartOptions.histogram(c.histogram(), report.modelVersion(), report.window().end()));
      chart(charts, stats, c.name(), "statistics", c.statisticPoints())
          .put("alerts", c.markers().size())
          .set("option", ChartOptions.statistics(c, report.windows(), report.thresholds()));
      sections
          .append("<section id=\"column-")
          .append(slug)
          .append("\">\n<h2>")
          .append(escapeHtml4(c.name()))
          .append(c.score() ? " (score)" : "")
          .append(" <span class=\"severity severity-")
          .append(escapeHtml4(c.severity()))
          .append("\">")
          .append(escapeHtml4(c.severity()))
          .append("</span></h2>\n<p class=\"note\">")
          .append(escapeHtml4(c.kind()))
          .append(": the baseline's bin shares beside the window's; the statistics against the")
          .append(" baseline per window, thresholds dashed, alerts pinned.</p>\n")
          .append("<div class=\"charts\">\n")
          .append(container(hist, "histogram", c.histogram().points(), -1))
          .append(container(stats, "statistics", c.statisticPoints(), c.markers().size()))
          .append("</div>\n</section>\n");
    }
    String title =
        String.format(
            "Drift report: %s v%d, window %s",
            report.model(), report.modelVersion(), report.window().end());
    return ReportPage.html(
        title,
        "<p class=\"note\">Written by sluice drift report at "
            + escapeHtml4(generatedAt.toString())
            + " from "
            + escapeHtml4(inputs(report.inputs()))
            + ".</p>\n"
            + summary(report)
            + alerts(report.alerts())
            + sections,
        data);
  }

  private static String summary(DriftReport r) {
    StringBuilder rows = new StringBuilder("<table class=\"summary\" id=\"summary\">\n");
    row(rows, "Model", r.model());
    row(rows, "Model version", "v" + r.modelVersion() + " (" + r.rows() + " rows in the window)");
    row(
        rows,
        "Window",
        r.window().start() + " .. " + r.window().end() + " (" + r.window().granularity() + ")");
    row(
        rows,
        "Time series",
        r.windows().size()
            + (r.windows().size() == 1 ? " window, " : " windows, ")
            + r.windows().get(0)
            + " .. "
            + r.window().end());
    if (!r.otherVersions().isEmpty()) {
      StringBuilder others = new StringBuilder();
      r.otherVersions()
          .forEach(
              (v, n) -> others.append(others.length() == 0 ? "" : ", ").append("v" + v + ": " + n));
      row(rows, "Other versions in the window", others + " rows");
    }
    row(
        rows,
        "Drifted features",
        r.drifted().isEmpty()
            ? "none"
            : r.drifted().size() + ": " + String.join(", ", r.drifted()));
    row(rows, "Alerts in the window", Integer.toString(r.alerts().size()));
    return rows.append("</table>\n").toString();
  }

  private static String alerts(List<Alert> alerts) {
    if (alerts.isEmpty()) {
      return "";
    }
    StringBuilder table =
        new StringBuilder(
            "<table class=\"alerts\" id=\"alerts\">\n<tr><th>version</th><th>column</th>"
                + "<th>metric</th><th>value</th><th>threshold</th><th>action</th></tr>\n");
    for (Alert a : alerts) {
      table.append("<tr>");
      for (Object cell :
          List.of(
              a.modelVersion() == null ? "" : "v" + a.modelVersion(),
              a.column() == null ? "(dataset)" : a.column(),
              a.metric(),
              a.value() == null ? "" : DriftReportModel.number(a.value()),
              a.threshold() == null ? "" : a.threshold(),
              a.action())) {
        table.append("<td>").append(escapeHtml4(String.valueOf(cell))).append("</td>");
      }
      table.append("</tr>\n");
    }
    return table.append("</table>\n").toString();
  }

  private static void row(StringBuilder table, String name, String value) {
    table
        .append("<tr><th>")
        .append(escapeHtml4(name))
        .append("</th><td>")
        .append(escapeHtml4(value))
        .append("</td></tr>\n");
  }

  private static ObjectNode chart(
      ArrayNode charts, String id, String column, String kind, int points) {
    return charts
        .addObject()
        .put("id", id)
        .put("column", column)
        .put("kind", kind)
        .put("points", points);
  }

  private static String container(String id, String kind, int points, int alerts) {
    return "<div class=\"chart\" id=\""
        + id
        + "\" data-chart=\""
        + kind
        + "\" data-points=\""
        + points
        + "\""
        + (alerts >= 0 ? " data-alerts=\"" + alerts + "\"" : "")
        + "></div>\n";
  }

  /** A column name as an id part: letters, digits, '_' and '-' kept, anything else '-'. */
  static String slug(String column) {
    return column.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
  }

  private static String unique(String slug, Set<String> taken) {
    String id = slug;
    for (int n = 2; !taken.add(id); n++) {
      id = slug + "-" + n;
    }
    return id;
  }

  private static String inputs(Map<String, Long> inputs) {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(inputs)
        .forEach((t, v) -> out.append(out.length() == 0 ? "" : ", ").append(t + "@" + v));
    return out.toString();
  }
}
