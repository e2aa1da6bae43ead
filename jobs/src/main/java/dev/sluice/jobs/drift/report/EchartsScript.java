/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Properties;

/**
 * ECharts' minified bundle ({@code echarts.min.js}, Apache-2.0) from the {@code
 * org.webjars.npm:echarts} webjar on the classpath, to inline into a report's script element. The
 * bundle holds ECharts with its zrender renderer, so nothing else is loaded.
 */
public final class EchartsScript {
  private static final String WEBJAR = "META-INF/maven/org.webjars.npm/echarts/pom.properties";

  private EchartsScript() {}

  /** The webjar's ECharts version, e.g. {@code 5.3.1}. */
  public static String version() {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(Resources.absolute(WEBJAR)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + WEBJAR, e);
    }
    return properties.getProperty("version");
  }

  /**
   * The script's text.
   *
   * @throws IllegalStateException if it holds {@code </script}, which would end its element early
   */
  public static String text() {
    String script =
        Resources.absolute(
            "META-INF/resources/webjars/echarts/" + version() + "/dist/echarts.min.js");
    if (script.toLowerCase(Locale.ROOT).contains("</script")) {
      throw new IllegalStateException("echarts.min.js holds '</script': it cannot be inlined");
    }
    return script;
  }
}
