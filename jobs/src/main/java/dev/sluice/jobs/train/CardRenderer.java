/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.jobs.drift.report.ReportPage;
import dev.sluice.jobs.train.CardData.ProfileRow;
import dev.sluice.jobs.train.CardData.SliceRow;
import dev.sluice.jobs.train.CardMetrics.Interval;
import dev.sluice.jobs.train.Importances.Importance;
import dev.sluice.model.CalibrationBin;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link CardData} as Markdown and as one self-contained HTML page ({@link ReportPage}:
 * ECharts inlined, no URL). Both hold the Model Card Toolkit's sections; the page adds the charts,
 * each in a container with a stable id ({@code chart-roc}, {@code chart-pr}, {@code
 * chart-calibration}, {@code chart-importance}, {@code chart-profile}) and a {@code data-points}
 * attribute, the points or bars it draws. ROC, precision-recall and calibration are drawn for
 * binary classification only.
 */
final class CardRenderer {
  private CardRenderer() {}

  /** The section headings, in order. */
  static final List<String> SECTIONS =
      List.of("Model details", "Model parameters", "Quantitative analysis", "Considerations");

  static String markdown(CardData c) {
    StringBuilder md = new StringBuilder();
    md.append("# Model card: ").append(c.model()).append(" v").append(c.version()).append("\n\n");
    for (Section s : sections(c)) {
      md.append("## ").append(s.title()).append("\n\n");
      for (Table t : s.tables()) {
        if (!t.caption().isEmpty()) {
          md.append("**").append(t.caption()).append("**\n\n");
        }
        md.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
        t.header().forEach(h -> md.append("---|"));
        md.append("\n");
        for (List<String> row : t.rows()) {
          md.append("| ")
              .append(String.join(" | ", row.stream().map(CardRenderer::cell).toList()))
              .append(" |\n");
        }
        md.append("\n");
      }
    }
    return md.toString();
  }

  static String html(CardData c) {
    ObjectNode data = ReportPage.data();
    data.put("model", c.model()).put("model_version", c.version());
    ArrayNode charts = data.putArray("charts");
    StringBuilder body = new StringBuilder();
    body.append("<p class=\"note\">Written by sluice at ")
        .append(escapeHtml4(c.createdAt()))
        .append(" for run ")
        .append(escapeHtml4(c.runId()))
        .append(".</p>\n");
    for (Section s : sections(c)) {
      body.append("<section id=\"")
          .append(s.title().toLowerCase(Locale.ROOT).replace(' ', '-'))
          .append("\">\n<h2>")
          .append(escapeHtml4(s.title()))
          .append("</h2>\n");
      for (Table t : s.tables()) {
        body.append("<table>\n");
        if (!t.caption().isEmpty()) {
          body.append("<caption>").append(escapeHtml4(t.caption())).append("</caption>\n");
        }
        body.append("<tr>");
        t.header().forEach(h -> body.append("<th>").append(escapeHtml4(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : t.rows()) {
          body.append("<tr>");
          row.forEach(v -> body.append("<td>").append(escapeHtml4(v)).append("</td>"));
          body.append("</tr>\n");
        }
        body.append("</table>\n");
      }
      if (s.title().equals("Quantitative analysis")) {
        body.append("<div class=\"charts\">\n");
        for (Chart chart : charts(c)) {
          charts
              .addObject()
              .put("id", chart.id())
              .put("kind", chart.kind())
              .put("points", chart.points())
              .set("option", chart.option());
          body.append("<div class=\"chart\" id=\"")
              .append(chart.id())
              .append("\" data-chart=\"")
              .append(chart.kind())
              .append("\" data-points=\"")
              .append(chart.points())
              .append("\"></div>\n");
        }
        body.append("</div>\n");
      }
      body.append("</section>\n");
    }
    return ReportPage.html("Model card: " + c.model() + " v" + c.version(), body.toString(), data);
  }

  record Table(String caption, List<String> header, List<List<String>> rows) {}

  record Section(String title, List<Table> tables) {}

  record Chart(String id, String kind, int points, ObjectNode option) {}

  static List<Section> sections(CardData c) {
    List<List<String>> details = new ArrayList<>();
    details.add(List.of("Name", c.model()));
    details.add(List.of("Version", Long.toString(c.version())));
    details.add(List.of("Digest", c.digest()));
    details.add(List.of("Owners", String.join(", ", c.owners())));
    details.add(List.of("References", String.join(", ", c.references())));
    details.add(List.of("MLflow run", c.runId()));
    details.add(List.of("Code version", c.codeVersion()));
    details.add(List.of("Conf hash", c.confHash()));
    details.add(List.of("Created", c.createdAt()));

    List<List<String>> parameters = new ArrayList<>();
    parameters.add(List.of("Task", c.task()));
    parameters.add(List.of("Architecture", c.algorithm() + " (MLlib pipeline)"));
    parameters.add(List.of("Training set", c.trainingSetId()));
    c.pins().forEach((k, v) -> parameters.add(List.of("Pin: " + k, v)));
    parameters.add(List.of("Training rows", Long.toString(c.trainingRows())));
    parameters.add(List.of("Holdout rows", Long.toString(c.holdoutRows())));
    parameters.add(List.of("Output", c.output()));
    List<List<String>> params = new ArrayList<>();
    c.params().forEach((k, v) -> params.add(List.of(k, v)));
    List<List<String>> inputs =
        c.inputs().stream()
            .map(
                i ->
                    List.of(
                        i.feature(),
                        i.column(),
                        i.dtype(),
                        c.featureHashes().getOrDefault(group(i.feature()), "")))
            .toList();

    List<List<String>> metrics = new ArrayList<>();
    c.holdoutMetrics().forEach((k, v) -> metrics.add(List.of(k, number(v))));
    List<List<String>> intervals = new ArrayList<>();
    for (Interval i : c.intervals()) {
      intervals.add(
          List.of(i.metric(), number(i.estimate()), number(i.lower()), number(i.upper())));
    }
    List<List<String>> slices = new ArrayList<>();
    for (SliceRow s : c.slices()) {
      List<String> row = new ArrayList<>(List.of(s.slice(), s.value(), Long.toString(s.rows())));
      s.metrics().forEach((k, v) -> row.add(k + " " + number(v)));
      slices.add(
          List.of(
              row.get(0), row.get(1), row.get(2), String.join(", ", row.subList(3, row.size()))));
    }
    List<List<String>> importance = new ArrayList<>();
    for (String method : List.of(Importances.PERMUTATION, Importances.NATIVE)) {
      List<Importance> ranked = ImportanceTable.ranked(c.importances(), method);
      for (int i = 0; i < ranked.size(); i++) {
        Importance m = ranked.get(i);
        importance.add(
            List.of(
                method,
                Integer.toString(i + 1),
                m.category() == null ? m.feature() : m.feature() + " = " + m.category(),
                m.metric(),
                number(m.importance()),
                m.std() == null ? "" : number(m.std())));
      }
    }
    List<List<String>> profile = new ArrayList<>();
    for (ProfileRow p : c.profile()) {
      profile.add(
          List.of(
              p.column(),
              p.kind(),
              Long.toString(p.rows()),
              number(p.nullRate()),
              p.mean() == null ? "" : number(p.mean()),
              p.min() == null ? "" : number(p.min()) + " .. " + number(p.max()),
              p.distinct() == null ? "" : Long.toString(p.distinct())));
    }
    List<List<String>> considerations = new ArrayList<>();
    considerations.add(List.of("Intended use", c.intendedUse()));
    c.limitations().forEach(l -> considerations.add(List.of("Limitation", l)));

    return List.of(
        new Section("Model details", List.of(new Table("", List.of("field", "value"), details))),
        new Section(
            "Model parameters",
            List.of(
                new Table("", List.of("field", "value"), parameters),
                new Table("Hyper-parameters", List.of("param", "value"), params),
                new Table(
                    "Input format",
                    List.of("feature", "column", "type", "group definition hash"),
                    inputs))),
        new Section(
            "Quantitative analysis",
            List.of(
                new Table("Holdout metrics", List.of("metric", "value"), metrics),
                new Table(
                    String.format(
                        Locale.ROOT,
                        "Bootstrap %.0f%% confidence intervals (%d resamples)",
                        c.confidence() * 100,
                        c.resamples()),
                    List.of("metric", "estimate", "lower", "upper"),
                    intervals),
                new Table("Slices", List.of("slice", "value", "rows", "metrics"), slices),
                new Table(
                    "Feature importance",
                    List.of("method", "rank", "feature", "metric", "importance", "spread"),
                    importance),
                new Table(
                    "Training data profile",
                    List.of("column", "kind", "rows", "null rate", "mean", "range", "distinct"),
                    profile))),
        new Section(
            "Considerations", List.of(new Table("", List.of("field", "value"), considerations))));
  }

  /** The page's charts: ROC, PR and calibration (binary only), importance and profile. */
  static List<Chart> charts(CardData c) {
    List<Chart> out = new ArrayList<>();
    if (!c.roc().isEmpty()) {
      out.add(
          new Chart(
              "chart-roc",
              "roc",
              c.roc().size(),
              curve("ROC", "false positive rate", "true positive rate", c.roc(), true)));
      out.add(
          new Chart(
              "chart-pr",
              "pr",
              c.pr().size(),
              curve("Precision-recall", "recall", "precision", c.pr(), false)));
    }
    List<double[]> calibration = new ArrayList<>();
    for (CalibrationBin b : c.calibration()) {
      if (b.count() > 0) {
        calibration.add(new double[] {b.meanPredicted(), b.observedRate()});
      }
    }
    if (!calibration.isEmpty()) {
      out.add(
          new Chart(
              "chart-calibration",
              "calibration",
              calibration.size(),
              curve("Calibration", "mean predicted", "observed rate", calibration, true)));
    }
    List<Importance> ranked = ImportanceTable.ranked(c.importances(), Importances.PERMUTATION);
    String title = "Permutation importance";
    if (ranked.isEmpty()) {
      ranked = ImportanceTable.ranked(c.importances(), Importances.NATIVE);
      title = "Native importance";
    }
    List<String> names =
        ranked.stream()
            .map(m -> m.category() == null ? m.feature() : m.feature() + " = " + m.category())
            .toList();
    out.add(
        new Chart(
            "chart-importance",
            "importance",
            ranked.size(),
            bars(title, names, ranked.stream().map(Importance::importance).toList())));
    out.add(
        new Chart(
            "chart-profile",
            "profile",
            c.profile().size(),
            bars(
                "Training data: null rate per column",
                c.profile().stream().map(ProfileRow::column).toList(),
                c.profile().stream().map(ProfileRow::nullRate).toList())));
    return out;
  }

  private static ObjectNode base(String title) {
    ObjectNode option = ReportPage.data();
    option.put("animation", false);
    option.putObject("title").put("text", title).put("left", "center");
    option.putObject("tooltip").put("trigger", "item");
    return option;
  }

  private static ObjectNode curve(
      String title, String x, String y, List<double[]> points, boolean diagonal) {
    ObjectNode option = base(title);
    option.putObject("grid").put("left", 60).put("right", 30).put("top", 50).put("bottom", 50);
    option.putObject("xAxis").put("type", "value").put("name", x).put("min", 0).put("max", 1);
    option.putObject("yAxis").put("type", "value").put("name", y).put("min", 0).put("max", 1);
    ObjectNode line =
        option
            .putArray("series")
            .addObject()
            .put("name", title)
            .put("type", "line")
            .put("showSymbol", true)
            .put("showAllSymbol", true)
            .put("symbolSize", 4);
    ArrayNode data = line.putArray("data");
    points.forEach(p -> data.addArray().add(p[0]).add(p[1]));
    if (diagonal) {
      ObjectNode mark = line.putObject("markLine").put("symbol", "none").put("silent", true);
      mark.putObject("lineStyle").put("type", "dashed");
      ArrayNode segment = mark.putArray("data").addArray();
      segment.addObject().putArray("coord").add(0).add(0);
      segment.addObject().putArray("coord").add(1).add(1);
    }
    return option;
  }

  private static ObjectNode bars(String title, List<String> names, List<Double> values) {
    ObjectNode option = base(title);
    option.putObject("grid").put("left", 200).put("right", 30).put("top", 50).put("bottom", 40);
    option.putObject("xAxis").put("type", "value");
    ObjectNode y = option.putObject("yAxis").put("type", "category").put("inverse", true);
    ArrayNode categories = y.putArray("data");
    names.forEach(categories::add);
    y.putObject("axisLabel").put("interval", 0);
    ArrayNode data = option.putArray("series").addObject().put("type", "bar").putArray("data");
    values.forEach(data::add);
    return option;
  }

  /** The feature group of {@code group.feature}, whose definition hash the feature shares. */
  private static String group(String feature) {
    int dot = feature.indexOf('.');
    return dot < 0 ? feature : feature.substring(0, dot);
  }

  static String number(double v) {
    return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String cell(String v) {
    return v.replace("|", "\\|").replace("\n", " ");
  }
}
