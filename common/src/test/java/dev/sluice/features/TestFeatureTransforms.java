/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.SparkTestBase;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class TestFeatureTransforms extends SparkTestBase {
  private static final LocalDate START = LocalDate.parse("2026-03-01");
  private static final StructType SCHEMA =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("customer_id", DataTypes.StringType, true),
              DataTypes.createStructField("event_ts", DataTypes.TimestampType, true),
              DataTypes.createStructField("amount", DataTypes.DoubleType, true),
              DataTypes.createStructField("device", DataTypes.StringType, true)));

  private static final FeatureGroup GROUP =
      new FeatureGroup(
          "activity",
          "raw_activity",
          List.of("customer_id"),
          "event_ts",
          Optional.of("amount >= 0"),
          7,
          "test",
          List.of(
              windowed("events_3d", "1", Aggregation.COUNT, 3),
              windowed("spend_3d", "amount", Aggregation.SUM, 3),
              windowed("avg_amount_5d", "amount", Aggregation.AVG, 5),
              windowed("min_amount_5d", "amount", Aggregation.MIN, 5),
              windowed("max_amount_5d", "amount", Aggregation.MAX, 5),
              windowed("sd_amount_5d", "amount", Aggregation.STDDEV, 5),
              windowed("devices_5d", "device", Aggregation.DISTINCT_COUNT, 5),
              windowed("last_device_2d", "device", Aggregation.LATEST, 2),
              new FeatureDefinition(
                  "activity", "last_device", "device", Optional.empty(), Optional.empty(), "")));

  @Test
  void everyAggregationMatchesABruteForceComputation() {
    List<Event> events = randomEvents(new Random(11), 120);
    LocalDate from = START.plusDays(4);
    LocalDate to = START.plusDays(12);

    List<Row> actual =
        FeatureTransforms.dailyFeatures(frame(events), GROUP, from, to).collectAsList();

    Map<String, Row> byKey = new HashMap<>();
    actual.forEach(r -> byKey.put(r.getString(0) + "@" + r.getTimestamp(1).toInstant(), r));
    int expectedRows = 0;
    for (String customer : List.of("a", "b", "c", "d")) {
      for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
        Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<Event> valid =
            events.stream().filter(e -> e.customer.equals(customer) && e.amount >= 0).toList();
        if (valid.stream().noneMatch(e -> e.ts.isBefore(end))) {
          assertThat(byKey)
              .as("no row before %s's first event", customer)
              .doesNotContainKey(customer + "@" + end);
          continue;
        }
        expectedRows++;
        Row row = byKey.get(customer + "@" + end);
        assertThat(row).as("%s on %s", customer, day).isNotNull();
        List<Event> w3 = window(valid, end, 3);
        List<Event> w5 = window(valid, end, 5);
        assertThat(row.<Long>getAs("events_3d")).isEqualTo((long) w3.size());
        assertThat(row.<Double>getAs("spend_3d"))
            .isEqualTo(
                w3.isEmpty() ? null : w3.stream().mapToDouble(e -> e.amount).sum(),
                org.assertj.core.api.Assertions.within(1e-9));
        assertClose(
            row.getAs("avg_amount_5d"),
            w5.isEmpty() ? null : w5.stream().mapToDouble(e -> e.amount).average().orElseThrow());
        assertClose(
            row.getAs("min_amount_5d"),
            w5.isEmpty() ? null : w5.stream().mapToDouble(e -> e.amount).min().orElseThrow());
        assertClose(
            row.getAs("max_amount_5d"),
            w5.isEmpty() ? null : w5.stream().mapToDouble(e -> e.amount).max().orElseThrow());
        assertClose(row.getAs("sd_amount_5d"), sampleSd(w5));
        Set<String> devices = new HashSet<>();
        w5.forEach(e -> devices.add(e.device));
        assertThat(row.<Long>getAs("devices_5d")).isEqualTo((long) devices.size());
        assertThat(row.<String>getAs("last_device_2d")).isEqualTo(latest(window(valid, end, 2)));
        assertThat(row.<String>getAs("last_device"))
            .isEqualTo(latest(valid.stream().filter(e -> e.ts.isBefore(end)).toList()));
        assertThat(row.<String>getAs("_definition_hash")).isEqualTo(GROUP.groupHash());
      }
    }
    assertThat(actual).hasSize(expectedRows);
  }

  @Test
  void definitionHashesChangeWithTheDefinitionOnly() {
    FeatureDefinition f = windowed("spend_3d", "amount", Aggregation.SUM, 3);
    FeatureDefinition reformatted = windowed("spend_3d", "  amount ", Aggregation.SUM, 3);
    FeatureDefinition wider = windowed("spend_3d", "amount", Aggregation.SUM, 4);

    assertThat(GROUP.definitionHash(reformatted)).isEqualTo(GROUP.definitionHash(f));
    assertThat(GROUP.definitionHash(wider)).isNotEqualTo(GROUP.definitionHash(f));
  }

  private static void assertClose(Double actual, Double expected) {
    if (expected == null) {
      assertThat(actual).isNull();
    } else {
      assertThat(actual).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-9));
    }
  }

  private static Double sampleSd(List<Event> events) {
    if (events.size() < 2) {
      return null;
    }
    double mean = events.stream().mapToDouble(e -> e.amount).average().orElseThrow();
    double ss = events.stream().mapToDouble(e -> (e.amount - mean) * (e.amount - mean)).sum();
    return Math.sqrt(ss / (events.size() - 1));
  }

  /** The newest event's device; ties by time go to the greatest device, as max(struct) does. */
  private static String latest(List<Event> events) {
    return events.stream()
        .max(java.util.Comparator.comparing((Event e) -> e.ts).thenComparing(e -> e.device))
        .map(e -> e.device)
        .orElse(null);
  }

  private static List<Event> window(List<Event> events, Instant end, int days) {
    Instant start = end.minusSeconds(days * 86_400L);
    return events.stream().filter(e -> !e.ts.isBefore(start) && e.ts.isBefore(end)).toList();
  }

  private static List<Event> randomEvents(Random random, int n) {
    List<Event> events = new ArrayList<>();
    String[] customers = {"a", "b", "c"}; // "d" has no events at all
    String[] devices = {"web", "ios", "android"};
    for (int i = 0; i < n; i++) {
      Instant ts =
          START
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant()
              .plusSeconds(
                  random.nextInt(14) * 86_400L
                      + (random.nextInt(5) == 0 ? 0 : random.nextInt(86_400)));
      double amount =
          random.nextInt(10) == 0 ? -1.0 : Math.round(random.nextDouble() * 1000) / 10.0;
      events.add(new Event(customers[random.nextInt(3)], ts, amount, devices[random.nextInt(3)]));
    }
    return events;
  }

  private static Dataset<Row> frame(List<Event> events) {
    List<Row> rows = new ArrayList<>();
    for (Event e : events) {
      rows.add(RowFactory.create(e.customer, Timestamp.from(e.ts), e.amount, e.device));
    }
    rows.add(
        RowFactory.create(
            null, Timestamp.from(START.atStartOfDay(ZoneOffset.UTC).toInstant()), 5.0, "web"));
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static FeatureDefinition windowed(String name, String expr, Aggregation agg, int days) {
    return new FeatureDefinition("activity", name, expr, Optional.of(agg), Optional.of(days), "");
  }

  private record Event(String customer, Instant ts, double amount, String device) {}
}
