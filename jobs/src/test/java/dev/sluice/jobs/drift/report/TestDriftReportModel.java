/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import static dev.sluice.jobs.drift.report.ReportFixtures.DEVICE;
import static dev.sluice.jobs.drift.report.ReportFixtures.FIRST;
import static dev.sluice.jobs.drift.report.ReportFixtures.SCORE;
import static dev.sluice.jobs.drift.report.ReportFixtures.SHOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.drift.DriftRecords;
import dev.sluice.drift.WindowProfile;
import dev.sluice.error.SluiceException;
import dev.sluice.jobs.drift.report.DriftReport.AlertMarker;
import dev.sluice.jobs.drift.report.DriftReport.ColumnReport;
import dev.sluice.jobs.drift.report.DriftReport.StatisticSeries;
import dev.sluice.jobs.drift.report.DriftReport.Threshold;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestDriftReportModel {
  private static final DriftReport REPORT = ReportFixtures.report();

  private static List<WindowProfile> window() {
    return ReportFixtures.profileRows().stream().map(DriftRecords::readProfile).toList();
  }

  private static ColumnReport column(String name) {
    return REPORT.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  private static List<Double> series(ColumnReport column, String statistic) {
    return column.statistics().stream()
        .filter(s -> s.statistic().equals(statistic))
        .findFirst()
        .map(StatisticSeries::values)
        .orElseThrow();
  }

  @Test
  void showsTheVersionWithTheMostRowsUnlessOneIsAsked() {
    assertThat(DriftReportModel.version(window(), Optional.empty(), SHOWN))
        .as("version 1 has 80 rows, version 2 has 20")
        .isEqualTo(1);
    assertThat(DriftReportModel.version(window(), Optional.of(2L), SHOWN)).isEqualTo(2);
    assertThatThrownBy(() -> DriftReportModel.version(window(), Optional.of(3L), SHOWN))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("--model-version")
        .hasMessageContaining("a version profiled in the window ending 2026-10-10: [1, 2]");
  }

  @Test
  void summarisesTheWindow() {
    assertThat(REPORT.modelVersion()).isEqualTo(1);
    assertThat(REPORT.rows()).isEqualTo(80);
    assertThat(REPORT.otherVersions()).containsExactlyEntriesOf(java.util.Map.of(2L, 20L));
    assertThat(REPORT.windows()).as("later windows left out").containsExactly(FIRST, SHOWN);
    assertThat(REPORT.columns())
        .extracting(ColumnReport::name)
        .as("the score first, then the features")
        .containsExactly(SCORE, DEVICE);
    assertThat(REPORT.drifted()).containsExactly(SCORE, DEVICE);
    assertThat(REPORT.alerts())
        .as("every alert of the window, any version; by version, then column, dataset last")
        .extracting(a -> a.modelVersion() + " " + a.column())
        .containsExactly("1 " + DEVICE, "1 " + SCORE, "1 null", "2 " + SCORE);
  }

  @Test
  void histogramsAreSharesOfTheBinnedValuesOnTheBaselineBins() {
    DriftReport.Histogram score = column(SCORE).histogram();
    assertThat(score.bins()).containsExactly("[-∞, 0.3)", "[0.3, 0.6)", "[0.6, +∞]");
    // Baseline 10, 20, 10 of 40; window 0, 40, 40 of 80.
    assertThat(score.baseline()).containsExactly(0.25, 0.5, 0.25);
    assertThat(score.window()).containsExactly(0.0, 0.5, 0.5);
    assertThat(score.baselineValues()).isEqualTo(40);
    assertThat(score.windowValues()).isEqualTo(80);
    assertThat(score.points()).isEqualTo(6);

    DriftReport.Histogram device = column(DEVICE).histogram();
    assertThat(device.bins()).containsExactly("tv", "phone", "__other__");
    // Baseline 30, 10, 0 of 40; window 20, 20, 40 of 80.
    assertThat(device.baseline()).containsExactly(0.75, 0.25, 0.0);
    assertThat(device.window()).containsExactly(0.25, 0.25, 0.5);
  }

  @Test
  void statisticsRunOverTheWindowsWithGapsAndOnlyThoseTheColumnHas() {
    ColumnReport score = column(SCORE);
    assertThat(score.statistics())
        .extracting(StatisticSeries::statistic)
        .containsExactlyElementsOf(ReportRows.STATISTICS);
    assertThat(series(score, "psi")).containsExactly(0.05, 0.4);
    assertThat(series(score, "chi_squared_statistic")).containsExactly(3.0, 40.0);
    assertThat(score.statisticPoints()).isEqualTo(7 * 2);
    assertThat(score.severity()).isEqualTo("alert");

    ColumnReport device = column(DEVICE);
    assertThat(device.statistics())
        .extracting(StatisticSeries::statistic)
        .as("a categorical column has no KS and no Wasserstein")
        .containsExactly(
            "psi", "js_distance", "chi_squared_statistic", "tv_distance", "l_infinity_distance");
    assertThat(series(device, "js_distance"))
        .as("no comparison on the first window: a gap")
        .containsExactly(null, 0.35);
    assertThat(device.statisticPoints()).isEqualTo(5);
  }

  @Test
  void alertsAreMarkedAtTheirWindowOnTheStatisticThatRaisedThem() {
    assertThat(column(SCORE).markers())
        .containsExactly(new AlertMarker(SHOWN, "psi", 0.4, "psi 0.4000 >= 0.2"));
    assertThat(column(DEVICE).markers())
        .containsExactly(new AlertMarker(SHOWN, "js_distance", 0.35, "js 0.3500 >= 0.1"));
  }

  @Test
  void thresholdsAreThePolicys() {
    assertThat(REPORT.thresholds())
        .containsExactly(
            new Threshold("psi", "psi warn", 0.1),
            new Threshold("psi", "psi alert", 0.2),
            new Threshold("js_distance", "js alert", 0.1),
            new Threshold("ks_statistic", "ks min-statistic", 0.1));
  }

  @Test
  void numbersKeepFourSignificantDigits() {
    assertThat(
            Arrays.asList(
                DriftReportModel.number(0.30000000000000004),
                DriftReportModel.number(1234567.0),
                DriftReportModel.number(0.000123456),
                DriftReportModel.number(Double.NEGATIVE_INFINITY)))
        .containsExactly("0.3", "1235000", "0.0001235", "-∞");
    assertThat(Double.parseDouble(DriftReportModel.number(2.0 / 3))).isCloseTo(0.6667, within(0.0));
  }
}
