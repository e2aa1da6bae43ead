/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.browser;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders a Sluice HTML page (drift report, model card: ECharts on its SVG renderer, each chart in
 * a container with a {@code data-points} attribute) in headless Chromium and reports, per chart,
 * the points its series hold and the SVG shapes it drew, the page's console errors, and how many
 * screenshot pixels the charts account for (the page against the same page with its charts'
 * drawings hidden). Without {@value #CHROMIUM} the calling test is skipped, or fails under CI=true.
 */
public final class BrowserCheck {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private static final List<String> FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync");
  private static final String RESULT_ID = "sluice-browser-check";
  private static final Pattern RESULT =
      Pattern.compile("<pre id=\"" + RESULT_ID + "\">(.*?)</pre>", Pattern.DOTALL);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Collects uncaught errors, failed resource loads and console.error calls from the start. */
  private static final String COLLECTOR =
      "<script>window.__sluiceErrors=[];"
          + "window.addEventListener('error',function(e){window.__sluiceErrors.push("
          + "e.message||('failed to load '+(e.target&&(e.target.src||e.target.href))))},true);"
          + "(function(){var f=console.error;console.error=function(){"
          + "window.__sluiceErrors.push(Array.prototype.join.call(arguments,' '));"
          + "return f.apply(console,arguments)}})();</script>";

  /** After the page's scripts ran: per chart its series' data count and its SVG shapes. */
  private static final String PROBE =
      "<script>window.addEventListener('load',function(){setTimeout(function(){"
          + "var charts={};document.querySelectorAll('[data-points]').forEach(function(el){"
          + "var chart=window.echarts&&echarts.getInstanceByDom(el);var series=0;"
          + "if(chart){chart.getModel().getSeries().forEach(function(s){"
          + "series+=s.getData().count()})}"
          + "charts[el.id]={expected:+el.getAttribute('data-points'),series:series,"
          + "shapes:el.querySelectorAll('svg path, svg rect, svg circle').length}});"
          + "var pre=document.createElement('pre');pre.id='"
          + RESULT_ID
          + "';pre.textContent=JSON.stringify({charts:charts,errors:window.__sluiceErrors,"
          + "height:document.documentElement.scrollHeight});"
          + "document.body.appendChild(pre)},500)})</script>";

  /** The tallest screenshot taken, in CSS pixels at 1280 wide. */
  private static final int MAX_HEIGHT = 16000;

  /** A chart container as Sluice's pages write it: its id and the points it declares. */
  private static final Pattern CONTAINER =
      Pattern.compile("id=\"([^\"]+)\" data-chart=\"[a-z]+\" data-points=\"(\\d+)\"");

  private static final String HIDE_CHARTS = "<style>[data-points] svg{visibility:hidden}</style>";

  private BrowserCheck() {}

  /** What the browser drew for one chart container. */
  public record Chart(String id, int expectedPoints, int seriesPoints, int svgShapes) {}

  /** The outcome of {@link #check}. */
  public record Page(
      Map<String, Chart> charts, List<String> consoleErrors, Path screenshot, long chartPixels) {}

  /** Skips the calling test without Chromium, naming it; under CI=true fails instead. */
  public static void requireChromium() {
    if (Files.isExecutable(CHROMIUM)) {
      return;
    }
    String message =
        "headless Chromium is missing: no " + CHROMIUM + " (Debian: apt-get install chromium)";
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(message + "; under CI=true the browser check must run");
    }
    Assumptions.abort(message);
  }

  /**
   * Renders {@code html} and asserts that the browser drew every chart container the page declares
   * (its {@code data-points} attribute): the series hold exactly that many points, at least as many
   * SVG shapes are drawn, the charts cover pixels of the screenshot and nothing went to the
   * console's errors.
   */
  public static Page assertDrawsEveryChart(Path html, int minimumCharts) {
    Page page = check(html);
    assertThat(page.consoleErrors()).isEmpty();
    Map<String, Integer> expected = new LinkedHashMap<>();
    try {
      Matcher containers = CONTAINER.matcher(Files.readString(html, UTF_8));
      while (containers.find()) {
        expected.put(containers.group(1), Integer.parseInt(containers.group(2)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(expected).hasSizeGreaterThanOrEqualTo(minimumCharts);
    assertThat(page.charts()).containsOnlyKeys(expected.keySet());
    expected.forEach(
        (id, points) -> {
          Chart chart = page.charts().get(id);
          assertThat(chart.seriesPoints()).as(id + ": the series' points").isEqualTo(points);
          assertThat(chart.svgShapes())
              .as(id + ": SVG shapes drawn")
              .isGreaterThanOrEqualTo(points);
        });
    assertThat(page.chartPixels())
        .as("pixels the charts draw in the screenshot")
        .isGreaterThan(1000);
    return page;
  }

  /** Renders {@code html} (a self-contained page) and measures its charts. */
  public static Page check(Path html) {
    requireChromium();
    try {
      Path work = Files.createTempDirectory("sluice-browser");
      String page = Files.readString(html, UTF_8);
      Path probed = write(work, "probed.html", inject(page, COLLECTOR, PROBE));
      Path plain = write(work, "page.html", page);
      Path hidden = write(work, "hidden.html", inject(page, HIDE_CHARTS, ""));
      String dom = chromium(work, "--dump-dom", probed.toUri().toString());
      Matcher m = RESULT.matcher(dom);
      if (!m.find()) {
        throw new AssertionError("the page's probe did not run in Chromium; DOM:\n" + tail(dom));
      }
      JsonNode result =
          JSON.readTree(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
      Map<String, Chart> charts = new LinkedHashMap<>();
      result
          .path("charts")
          .fields()
          .forEachRemaining(
              e ->
                  charts.put(
                      e.getKey(),
                      new Chart(
                          e.getKey(),
                          e.getValue().path("expected").asInt(),
                          e.getValue().path("series").asInt(),
                          e.getValue().path("shapes").asInt())));
      List<String> errors = new ArrayList<>();
      result.path("errors").forEach(e -> errors.add(e.asText()));
      // The whole page in one screenshot: a model card's charts come after its text sections.
      int height = Math.min(Math.max(result.path("height").asInt(), 800), MAX_HEIGHT);
      Path shot = screenshot(work, plain, "page.png", height);
      Path without = screenshot(work, hidden, "without-charts.png", height);
      return new Page(charts, List.copyOf(errors), shot, differingPixels(shot, without));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String inject(String page, String head, String bodyEnd) {
    int headAt = page.indexOf("<head>");
    int bodyAt = page.lastIndexOf("</body>");
    if (headAt < 0 || bodyAt < 0) {
      throw new AssertionError("not an HTML page with <head> and </body>");
    }
    return page.substring(0, headAt + 6)
        + head
        + page.substring(headAt + 6, bodyAt)
        + bodyEnd
        + page.substring(bodyAt);
  }

  private static Path write(Path dir, String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, UTF_8);
  }

  private static Path screenshot(Path work, Path page, String name, int height) throws IOException {
    Path png = work.resolve(name);
    chromium(work, "--screenshot=" + png, "--window-size=1280," + height, page.toUri().toString());
    if (!Files.isRegularFile(png)) {
      throw new AssertionError("Chromium wrote no screenshot " + png);
    }
    return png;
  }

  /** Runs Chromium once with a fresh profile; its stdout. */
  private static String chromium(Path work, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(CHROMIUM.toString());
    command.addAll(FLAGS);
    command.add("--user-data-dir=" + Files.createTempDirectory(work, "profile"));
    command.add("--virtual-time-budget=10000");
    command.addAll(List.of(args));
    Path out = work.resolve("chromium.out");
    Path err = work.resolve("chromium.err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("Chromium did not finish in 120 s: " + command);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while Chromium ran", e);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          "Chromium exited " + process.exitValue() + ": " + tail(Files.readString(err)));
    }
    return Files.readString(out, UTF_8);
  }

  private static long differingPixels(Path a, Path b) throws IOException {
    BufferedImage left = ImageIO.read(a.toFile());
    BufferedImage right = ImageIO.read(b.toFile());
    if (left.getWidth() != right.getWidth() || left.getHeight() != right.getHeight()) {
      throw new AssertionError("screenshots of different sizes: " + a + ", " + b);
    }
    long differing = 0;
    for (int y = 0; y < left.getHeight(); y++) {
      for (int x = 0; x < left.getWidth(); x++) {
        if (left.getRGB(x, y) != right.getRGB(x, y)) {
          differing++;
        }
      }
    }
    return differing;
  }

  private static String tail(String text) {
    return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
  }
}
