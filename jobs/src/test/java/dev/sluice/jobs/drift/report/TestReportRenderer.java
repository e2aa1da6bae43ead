/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TestReportRenderer {
  private static final String HTML =
      ReportRenderer.render(ReportFixtures.report(), Instant.parse("2026-10-12T06:00:00Z"));

  private static final Pattern CHART =
      Pattern.compile(
          "<div class=\"chart\" id=\"([^\"]+)\" data-chart=\"(\\w+)\" data-points=\"(\\d+)\"");

  private static JsonNode data() throws Exception {
    String open = "<script type=\"application/json\" id=\"" + ReportRenderer.DATA_ID + "\">";
    int start = HTML.indexOf(open) + open.length();
    return new ObjectMapper().readTree(HTML.substring(start, HTML.indexOf("</script>", start)));
  }

  private static JsonNode chart(String id) throws Exception {
    for (JsonNode chart : data().get("charts")) {
      if (chart.get("id").asText().equals(id)) {
        return chart;
      }
    }
    throw new AssertionError("No chart " + id);
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> values = new ArrayList<>();
    array.forEach(v -> values.add(v.isNull() ? null : v.asDouble()));
    return values;
  }

  @Test
  void isSelfContained() {
    assertThat(HTML)
        .as("no src or href points at a URL")
        .doesNotContainPattern("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//");
    assertThat(HTML).as("no external script or style").doesNotContain("<script src", "<link");
    assertThat(HTML)
        .as("ECharts inlined")
        .contains("<script>\n" + EchartsScript.text() + "\n</script>");
    assertThat(EchartsScript.version()).isEqualTo("5.3.1");
    assertThat(HTML).contains("{renderer: 'svg'}");
  }

  @Test
  void hasOneHistogramAndOneStatisticsChartPerColumnWithTheirPoints() {
    Map<String, Integer> points = new HashMap<>();
    Matcher m = CHART.matcher(HTML);
    while (m.find()) {
      points.put(m.group(1), Integer.valueOf(m.group(3)));
    }
    assertThat(points)
        .as("2 x 3 bars; 7 statistics x 2 windows; 5 statistics x 1 window")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "hist-probability", 6,
                "stats-probability", 14,
                "hist-g__-device-", 6,
                "stats-g__-device-", 5));
    assertThat(HTML)
        .contains("id=\"stats-probability\" data-chart=\"statistics\"")
        .contains("data-points=\"14\" data-alerts=\"1\"");
  }

  @Test
  void theChartDataParsesAndHoldsTheReportsNumbers() throws Exception {
    JsonNode data = data();
    assertThat(data.get("model").asText()).isEqualTo("churn");
    assertThat(data.get("charts")).hasSize(4);

    JsonNode hist = chart("hist-probability").get("option");
    assertThat(doubles(hist.at("/series/0/data"))).containsExactly(0.25, 0.5, 0.25);
    assertThat(doubles(hist.at("/series/1/data"))).containsExactly(0.0, 0.5, 0.5);
    assertThat(hist.at("/xAxis/data/2").asText()).isEqualTo("[0.6, +∞]");

    JsonNode stats = chart("stats-probability").get("option");
    assertThat(stats.get("animation").asBoolean()).isFalse();
    assertThat(stats.at("/xAxis/data").toString()).isEqualTo("[\"2026-10-09\",\"2026-10-10\"]");
    JsonNode psi = stats.at("/series/0");
    assertThat(psi.get("name").asText()).isEqualTo("PSI");
    assertThat(doubles(psi.get("data"))).containsExactly(0.05, 0.4);
    List<Double> lines = new ArrayList<>();
    psi.at("/markLine/data").forEach(line -> lines.add(line.get("yAxis").asDouble()));
    assertThat(lines).as("psi warn and alert").containsExactly(0.1, 0.2);
    assertThat(psi.at("/markPoint/data/0/coord").toString()).isEqualTo("[\"2026-10-10\",0.4]");
    JsonNode chi = stats.at("/series/4");
    assertThat(chi.get("yAxisIndex").asInt()).as("chi-square on its own axis").isEqualTo(1);

    JsonNode device = chart("stats-g__-device-").get("option");
    assertThat(doubles(device.at("/series/1/data"))).containsExactly(null, 0.35);
  }

  @Test
  void escapesText() throws Exception {
    assertThat(HTML).doesNotContain("<device>");
    assertThat(HTML).contains("<h2>g__&lt;device&gt; <span class=\"severity severity-alert\">");
    assertThat(HTML).contains("g__\\u003Cdevice\\u003E");
    assertThat(chart("hist-g__-device-").get("column").asText()).isEqualTo("g__<device>");
    assertThat(HTML).contains("<td>drifted share 1.00 &gt;= 0.5</td>");
  }
}
