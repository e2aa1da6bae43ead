/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import dev.sluice.error.PipelineErrors;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Parameters of {@code sluice sample-data}; see reference.conf for each key. */
public record SampleConfig(
    int customers,
    int days,
    long seed,
    LocalDate startDate,
    int driftDay,
    double malformedShare,
    int labelDelayDays,
    int labelHorizonDays,
    String customersTable,
    String activityTable,
    String labelsTable) {
  /** Churn labels observe the customers every this many days (days 7, 14, ... of the sample). */
  public static final int OBSERVATION_EVERY_DAYS = 7;

  public SampleConfig {
    requireNonNull(startDate, "startDate is null");
    requireNonNull(customersTable, "customersTable is null");
    requireNonNull(activityTable, "activityTable is null");
    requireNonNull(labelsTable, "labelsTable is null");
  }

  /** The last day of the sample, the demo's logical date. */
  public LocalDate endDate() {
    return startDate.plusDays(days - 1L);
  }

  /**
   * The newest observation day whose labels have all landed by the end of {@code date} (they land
   * {@code label-horizon-days + label-delay-days} after it), if the sample has one.
   */
  public Optional<LocalDate> newestLabelledObservation(LocalDate date) {
    long lastDay = startDate.until(date, ChronoUnit.DAYS) - labelHorizonDays - labelDelayDays;
    long observation = Math.min(lastDay, days - 1L - labelHorizonDays - labelDelayDays);
    observation -= Math.floorMod(observation, OBSERVATION_EVERY_DAYS);
    return observation > 0 ? Optional.of(startDate.plusDays(observation)) : Optional.empty();
  }

  public SampleConfig withSize(int newCustomers, int newDays, long newSeed) {
    return new SampleConfig(
        newCustomers,
        newDays,
        newSeed,
        startDate,
        driftDay,
        malformedShare,
        labelDelayDays,
        labelHorizonDays,
        customersTable,
        activityTable,
        labelsTable);
  }

  static SampleConfig from(ConfigReader reader) {
    int days = reader.positiveInt("days");
    int driftDay = reader.positiveInt("drift-day");
    if (driftDay >= days) {
      throw PipelineErrors.invalidConfig(
          reader.path("drift-day"),
          driftDay,
          "must be less than sluice.sample.days (" + days + ")");
    }
    return new SampleConfig(
        reader.positiveInt("customers"),
        days,
        reader.longValue("seed", "an integer"),
        reader.date("start-date"),
        driftDay,
        reader.fraction("malformed-share"),
        reader.positiveInt("label-delay-days"),
        reader.positiveInt("label-horizon-days"),
        reader.nonEmptyString("customers-table", "raw_customers"),
        reader.nonEmptyString("activity-table", "raw_activity"),
        reader.nonEmptyString("labels-table", "raw_labels"));
  }
}
