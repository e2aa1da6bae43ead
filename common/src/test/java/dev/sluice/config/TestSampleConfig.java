/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestSampleConfig {
  /** The reference sample: 60 days from 2026-09-01, labels land 21 + 7 days after observing. */
  private static final SampleConfig SAMPLE =
      new SampleConfig(800, 60, 42, LocalDate.parse("2026-09-01"), 40, 0.01, 7, 21, "c", "a", "l");

  @Test
  void endsOnItsLastDay() {
    assertThat(SAMPLE.endDate()).isEqualTo(LocalDate.parse("2026-10-30"));
  }

  @Test
  void theNewestLabelledObservationIsTheLastWeeklyDayWhoseLabelsLandedByTheDate() {
    // Observations: days 7, 14, 21, 28 (09-08 ... 09-29); day 7's labels land on day 35 (10-06).
    assertThat(SAMPLE.newestLabelledObservation(LocalDate.parse("2026-10-05"))).isEmpty();
    assertThat(SAMPLE.newestLabelledObservation(LocalDate.parse("2026-10-06")))
        .contains(LocalDate.parse("2026-09-08"));
    assertThat(SAMPLE.newestLabelledObservation(LocalDate.parse("2026-10-12")))
        .contains(LocalDate.parse("2026-09-08"));
    assertThat(SAMPLE.newestLabelledObservation(LocalDate.parse("2026-10-13")))
        .contains(LocalDate.parse("2026-09-15"));
  }

  @Test
  void noObservationLaterThanTheSampleKeepsIsLabelled() {
    // Day 35's labels would land on day 63, after the sample's 60 days: 09-29 stays the newest.
    assertThat(SAMPLE.newestLabelledObservation(LocalDate.parse("2026-12-31")))
        .isEqualTo(Optional.of(LocalDate.parse("2026-09-29")));
  }
}
