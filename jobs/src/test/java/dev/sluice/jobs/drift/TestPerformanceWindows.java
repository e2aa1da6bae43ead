/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.sluice.config.ConfigReader;
import dev.sluice.drift.DriftRecords.Window;
import dev.sluice.drift.PerformanceRecords.LabelState;
import dev.sluice.error.ErrorCode;
import dev.sluice.error.SluiceException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which windows a drift run evaluates for performance, and when it evaluates one again. */
class TestPerformanceWindows {
  private static final LocalDate AS_OF = LocalDate.parse("2026-10-30");

  private static final String LABELS =
      "labels { table = t, entity = e, date = d, label = y, landed = l }, ";

  private static PerformanceSpec spec(String performance) {
    String conf = "sluice.models.m.drift { performance { " + performance + " } }";
    return DriftSpec.of(
            new ConfigReader(ConfigFactory.parseString(conf).getConfig("sluice"), "sluice"),
            "m",
            Optional.empty())
        .performance()
        .orElseThrow();
  }

  @Test
  void dailyWindowsAreThoseLabelledWithinTheLookback() {
    PerformanceSpec spec = spec(LABELS + "horizon-days = 28, lookback-days = 31");
    List<Window> windows = Performance.candidates(spec, "1d", AS_OF);
    // Ends from AS_OF - 31 (Sep 29) to AS_OF - 28 (Oct 2), oldest first, one day each.
    assertThat(windows)
        .extracting(Window::end)
        .containsExactly(
            LocalDate.parse("2026-09-29"),
            LocalDate.parse("2026-09-30"),
            LocalDate.parse("2026-10-01"),
            LocalDate.parse("2026-10-02"));
    assertThat(windows).allSatisfy(w -> assertThat(w.start()).isEqualTo(w.end()));
  }

  @Test
  void weeklyWindowsStayOnTheGridOfTheRunsDate() {
    PerformanceSpec spec = spec(LABELS + "horizon-days = 10, lookback-days = 30");
    List<Window> windows = Performance.candidates(spec, "1w", AS_OF);
    // Grid ends AS_OF - 7k: Oct 23 (not labelled: 7 < 10 days), Oct 16, Oct 9, Oct 2; Sep 25 is
    // 35 days back, beyond the lookback.
    assertThat(windows)
        .extracting(Window::end)
        .containsExactly(
            LocalDate.parse("2026-10-02"),
            LocalDate.parse("2026-10-09"),
            LocalDate.parse("2026-10-16"));
    assertThat(windows.get(0).start()).isEqualTo(LocalDate.parse("2026-09-26"));
  }

  @Test
  void horizonAndLookbackDefaultAndTheLabelsAreRequired() {
    PerformanceSpec spec = spec(LABELS);
    assertThat(spec.horizonDays()).isEqualTo(28);
    assertThat(spec.lookbackDays()).isEqualTo(35);
    assertThat(spec.landed()).isEqualTo("l");
    assertThatThrownBy(() -> spec("horizon-days = 28"))
        .isInstanceOf(SluiceException.class)
        .satisfies(e -> assertThat(((SluiceException) e).code()).isEqualTo(ErrorCode.CONFIG))
        .hasMessageContaining("performance.labels.table");
    assertThatThrownBy(() -> spec(LABELS + "horizon-days = 28, lookback-days = 7"))
        .isInstanceOf(SluiceException.class)
        .satisfies(e -> assertThat(((SluiceException) e).code()).isEqualTo(ErrorCode.CONFIG))
        .hasMessageContaining("lookback-days")
        .hasMessageContaining("horizon-days (28)");
  }

  @Test
  void aWindowIsEvaluatedAgainOnlyWhenAVersionsLabelledRowsChanged() {
    Window w = new Window(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-01"), "1d");
    Optional<Instant> landed = Optional.of(Instant.parse("2026-10-29T06:00:00Z"));
    Map<String, LabelState> stored =
        Map.of(
            "2026-10-01|1", new LabelState(40, landed, 7L),
            "2026-10-01|2", new LabelState(5, landed, 7L),
            "2026-10-02|1", new LabelState(41, landed, 7L));
    assertThat(Performance.changed(w, stored, stored)).as("nothing new").isFalse();
    Map<String, LabelState> late =
        Map.of(
            "2026-10-01|1",
            new LabelState(41, Optional.of(Instant.parse("2026-10-30T23:00:00Z")), 7L),
            "2026-10-01|2",
            new LabelState(5, landed, 7L));
    assertThat(Performance.changed(w, late, stored)).as("a late label for version 1").isTrue();
    Map<String, LabelState> rescored =
        Map.of(
            "2026-10-01|1", new LabelState(40, landed, 8L),
            "2026-10-01|2", new LabelState(5, landed, 7L));
    assertThat(Performance.changed(w, rescored, stored)).as("a rescore").isTrue();
    assertThat(Performance.changed(w, stored, Map.of())).as("never evaluated").isTrue();
    assertThat(Performance.changed(w, Map.of(), stored)).as("no labelled rows now").isFalse();
  }
}
