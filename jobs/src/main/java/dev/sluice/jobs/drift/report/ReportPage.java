/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The shell of Sluice's self-contained HTML reports (the drift report, the model card): the page's
 * style, ECharts ({@link EchartsScript}) and the drawing script inlined, and the charts' options as
 * one JSON block ({@link #DATA_ID}: {@code charts}, each with its container's {@code id} and its
 * ECharts {@code option}) written by Jackson with {@code <}, {@code >} and {@code &} escaped, so it
 * cannot close its script element. The page references no URL: it reads offline.
 */
public final class ReportPage {
  /** The id of the JSON block that holds every chart's option. */
  public static final String DATA_ID = "sluice-report-data";

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    JSON.getFactory().setCharacterEscapes(new ScriptSafeEscapes());
  }

  private ReportPage() {}

  /** A new, empty chart data block. */
  public static ObjectNode data() {
    return JSON.createObjectNode();
  }

  /**
   * The page: {@code title} (escaped here) as its title and heading, then {@code body} (HTML the
   * caller escaped), then the chart data and the script that draws each chart.
   */
  public static String html(String title, String body, ObjectNode data) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
        + escapeHtml4(title)
        + "</title>\n<style>\n"
        + Resources.text("report.css")
        + "</style>\n<script>\n"
        + EchartsScript.text()
        + "\n</script>\n</head>\n<body>\n<h1>"
        + escapeHtml4(title)
        + "</h1>\n"
        + body
        + "<script type=\"application/json\" id=\""
        + DATA_ID
        + "\">"
        + json(data)
        + "</script>\n<script>\n"
        + Resources.text("report.js")
        + "</script>\n</body>\n</html>\n";
  }

  private static String json(ObjectNode data) {
    try {
      return JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the report's chart data", e);
    }
  }

  /** Standard JSON escapes, plus {@code <}, {@code >} and {@code &} as {@code \\u} escapes. */
  private static final class ScriptSafeEscapes extends CharacterEscapes {
    private final int[] escapes = standardAsciiEscapesForJSON();

    ScriptSafeEscapes() {
      escapes['<'] = ESCAPE_STANDARD;
      escapes['>'] = ESCAPE_STANDARD;
      escapes['&'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }
}
