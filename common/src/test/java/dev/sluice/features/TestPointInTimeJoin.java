/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.SparkTestBase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PointInTimeJoin} against a brute-force reference written plainly in Java, on tiny
 * hand-made and random data with adversarial timestamps.
 */
class TestPointInTimeJoin extends SparkTestBase {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration MICRO = Duration.ofNanos(1_000);

  private static final StructType OBSERVATIONS =
      new StructType()
          .add("obs_id", DataTypes.IntegerType)
          .add("customer_id", DataTypes.LongType)
          .add("shop", DataTypes.IntegerType)
          .add("obs_ts", DataTypes.TimestampType)
          .add("label", DataTypes.DoubleType);
  private static final StructType CUSTOMER_FEATURES =
      new StructType()
          .add("customer_id", DataTypes.LongType)
          .add("event_ts", DataTypes.TimestampType)
          .add("spend", DataTypes.DoubleType)
          .add("tier", DataTypes.StringType)
          .add("_run_id", DataTypes.StringType);
  private static final StructType STORE_FEATURES =
      new StructType()
          .add("store_id", DataTypes.IntegerType)
          .add("event_ts", DataTypes.TimestampType)
          .add("visits", DataTypes.LongType);
  private static final StructType PAIR_FEATURES =
      new StructType()
          .add("customer_id", DataTypes.LongType)
          .add("store_id", DataTypes.IntegerType)
          .add("event_ts", DataTypes.TimestampType)
          .add("affinity", DataTypes.DoubleType);

  @ParameterizedTest
  @ValueSource(longs = {7L, 42L, 2026L})
  void matchesBruteForceOnRandomAdversarialData(long seed) {
    Random random = new Random(seed);
    List<Row> observations = randomObservations(random, 240);
    List<Row> customers = randomCustomerFeatures(random, 300);
    List<Row> stores = randomStoreFeatures(random, 120);
    List<Row> pairs = randomPairFeatures(random, 200);
    List<BruteForcePointInTime.Source> references =
        List.of(
            customerReference(customers, HOUR.multipliedBy(3)),
            new BruteForcePointInTime.Source(
                stores, List.of(0), List.of(2), 1, List.of(2), -1, null),
            new BruteForcePointInTime.Source(
                pairs, List.of(0, 1), List.of(1, 2), 2, List.of(3), -1, Duration.ofDays(1)));

    Dataset<Row> actual =
        PointInTimeJoin.join(
            frame(observations, OBSERVATIONS, 3),
            "obs_ts",
            List.of(
                customerSource(frame(customers, CUSTOMER_FEATURES, 3), HOUR.multipliedBy(3)),
                FeatureSource.of(
                        "store",
                        frame(stores, STORE_FEATURES, 2),
                        List.of("store_id"),
                        "event_ts",
                        List.of("visits"))
                    .withObservationKeys(List.of("shop")),
                FeatureSource.of(
                        "pair",
                        frame(pairs, PAIR_FEATURES, 2),
                        List.of("customer_id", "store_id"),
                        "event_ts",
                        List.of("affinity"))
                    .withObservationKeys(List.of("customer_id", "shop"))
                    .withTtl(Duration.ofDays(1))));

    List<List<Object>> expected = BruteForcePointInTime.join(observations, OBS_TS, references);
    assertThat(actual.columns())
        .containsExactly(
            "obs_id",
            "customer_id",
            "shop",
            "obs_ts",
            "label",
            "customer__spend",
            "customer__tier",
            "store__visits",
            "pair__affinity");
    assertThat(values(actual))
        .as("rows of the join equal the brute-force reference, duplicates included")
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(expected.stream().filter(r -> r.get(5) != null || r.get(6) != null).count())
        .as("the random data exercises matches as well as misses")
        .isBetween(20L, (long) observations.size() - 20);
  }

  /**
   * The single-timestamp plan (scoring) against the same reference, with every observation at one
   * instant: on the grid (rows stamped exactly then, ages exactly the TTL) and a microsecond off.
   */
  @ParameterizedTest
  @ValueSource(longs = {0L, 1L, -1L, 7L})
  void joinAsOfMatchesBruteForceForOneTimestamp(long offsetMicros) {
    Random random = new Random(99 + offsetMicros);
    Instant asOf = T0.plus(HOUR.multipliedBy(12)).plus(MICRO.multipliedBy(offsetMicros));
    List<Row> observations = new ArrayList<>();
    for (Row o : randomObservations(random, 120)) {
      observations.add(rowOf(o.get(0), o.get(1), o.get(2), ts(asOf), o.get(4)));
    }
    List<Row> customers = randomCustomerFeatures(random, 300);
    List<Row> pairs = randomPairFeatures(random, 200);
    List<BruteForcePointInTime.Source> references =
        List.of(
            customerReference(customers, HOUR.multipliedBy(3)),
            new BruteForcePointInTime.Source(
                pairs, List.of(0, 1), List.of(1, 2), 2, List.of(3), -1, null));

    Dataset<Row> actual =
        PointInTimeJoin.joinAsOf(
            frame(observations, OBSERVATIONS, 3),
            asOf,
            List.of(
                customerSource(frame(customers, CUSTOMER_FEATURES, 3), HOUR.multipliedBy(3)),
                FeatureSource.of(
                        "pair",
                        frame(pairs, PAIR_FEATURES, 2),
                        List.of("customer_id", "store_id"),
                        "event_ts",
                        List.of("affinity"))
                    .withObservationKeys(List.of("customer_id", "shop"))));

    List<List<Object>> expected = BruteForcePointInTime.join(observations, OBS_TS, references);
    assertThat(values(actual))
        .as("rows of the as-of plan equal the brute-force reference, duplicates included")
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(expected.stream().filter(r -> r.get(5) != null).count())
        .as("the data exercises matches as well as misses")
        .isBetween(10L, (long) observations.size() - 10);
  }

  @Test
  void includesFeatureRowStampedExactlyAtObservationTime() {
    List<Row> customers =
        List.of(customer(1, T0, 1.0, "a", "r"), customer(1, T0.plus(HOUR), 2.0, "b", "r"));
    List<Row> observations =
        List.of(
            observation(1, 1L, 0, T0.plus(HOUR)),
            observation(2, 1L, 0, T0.plus(HOUR).minus(MICRO)));

    List<List<Object>> rows = joinCustomers(observations, customers, null);

    assertThat(rows)
        .as("event_ts == observation ts is included; one microsecond earlier is not")
        .containsExactlyInAnyOrder(
            expectedRow(observations.get(0), 2.0, "b"), expectedRow(observations.get(1), 1.0, "a"));
  }

  @Test
  void expiresFeatureRowAtExactlyTheTtl() {
    Duration ttl = HOUR.multipliedBy(3);
    List<Row> customers = List.of(customer(1, T0, 1.0, "a", "r"));
    List<Row> observations =
        List.of(
            observation(1, 1L, 0, T0.plus(ttl).minus(MICRO)),
            observation(2, 1L, 0, T0.plus(ttl)),
            observation(3, 1L, 0, T0.minus(MICRO)));

    List<List<Object>> rows = joinCustomers(observations, customers, ttl);

    assertThat(rows)
        .as("valid while age < ttl, null at age == ttl, never before event_ts")
        .containsExactlyInAnyOrder(
            expectedRow(observations.get(0), 1.0, "a"),
            expectedRow(observations.get(1), null, null),
            expectedRow(observations.get(2), null, null));
  }

  @Test
  void returnsNullOfLatestRowRatherThanOlderValue() {
    List<Row> customers =
        List.of(customer(1, T0, 5.0, "gold", "r"), customer(1, T0.plus(HOUR), null, null, "r"));
    List<Row> observations =
        List.of(observation(1, 1L, 0, T0.plus(HOUR)), observation(2, 1L, 0, T0.plus(MICRO)));

    List<List<Object>> rows = joinCustomers(observations, customers, null);

    assertThat(rows)
        .as("the latest row's nulls are returned, not an older non-null value")
        .containsExactlyInAnyOrder(
            expectedRow(observations.get(0), null, null),
            expectedRow(observations.get(1), 5.0, "gold"));
  }

  @Test
  void breaksTiesByRunIdThenByValuesWhateverTheInputOrder() {
    List<Row> customers =
        new ArrayList<>(
            List.of(
                customer(1, T0, 9.0, "z", "run-a"),
                customer(1, T0, 1.0, "a", "run-b"),
                customer(1, T0, 2.0, "b", "run-b"),
                customer(1, T0, 3.0, "c", null),
                customer(2, T0, 4.0, null, "run-a"),
                customer(2, T0, 4.0, "d", "run-a"),
                customer(2, T0, null, "e", "run-a")));
    List<Row> observations =
        List.of(observation(1, 1L, 0, T0), observation(2, 2L, 0, T0.plus(HOUR)));
    List<List<Object>> expected =
        List.of(
            expectedRow(observations.get(0), 2.0, "b"), expectedRow(observations.get(1), 4.0, "d"));

    List<List<Object>> forward = joinCustomers(observations, customers, null);
    Collections.reverse(customers);
    List<List<Object>> backward = joinCustomers(observations, customers, null);

    assertThat(forward)
        .as("greatest _run_id wins, then greatest spend, then greatest tier; nulls lowest")
        .containsExactlyInAnyOrderElementsOf(expected)
        .containsExactlyInAnyOrderElementsOf(
            BruteForcePointInTime.join(
                observations, OBS_TS, List.of(customerReference(customers, null))));
    assertThat(backward).as("the input order does not matter").isEqualTo(sorted(forward));

    List<Row> atOneTime =
        List.of(observation(1, 1L, 0, T0.plus(HOUR)), observation(2, 2L, 0, T0.plus(HOUR)));
    Dataset<Row> asOf =
        PointInTimeJoin.joinAsOf(
            frame(atOneTime, OBSERVATIONS, 2),
            T0.plus(HOUR),
            List.of(customerSource(frame(customers, CUSTOMER_FEATURES, 2), null)));
    assertThat(values(asOf))
        .as("the single-timestamp plan breaks the ties the same way")
        .containsExactlyInAnyOrderElementsOf(
            List.of(
                expectedRow(atOneTime.get(0), 2.0, "b"), expectedRow(atOneTime.get(1), 4.0, "d")));
  }

  @Test
  void keepsEveryObservationRowIncludingDuplicatesAndEntitiesWithoutFeatures() {
    List<Row> customers =
        List.of(
            customer(1, T0, 1.0, "a", "r"),
            customer(1, T0, 1.0, "a", "r"),
            rowOf(null, ts(T0), 7.0, "n", "r"));
    Row duplicate = observation(1, 1L, 0, T0.plus(HOUR));
    List<Row> observations =
        List.of(
            duplicate,
            duplicate,
            duplicate,
            observation(2, 99L, 0, T0.plus(HOUR)),
            rowOf(3, null, 0, ts(T0.plus(HOUR)), 0.0),
            rowOf(4, 1L, 0, null, 0.0));

    List<List<Object>> rows = joinCustomers(observations, customers, null);

    assertThat(rows)
        .as("row count is kept, duplicates included; no features or null key/ts give nulls")
        .hasSize(observations.size())
        .containsExactlyInAnyOrder(
            expectedRow(duplicate, 1.0, "a"),
            expectedRow(duplicate, 1.0, "a"),
            expectedRow(duplicate, 1.0, "a"),
            expectedRow(observations.get(3), null, null),
            expectedRow(observations.get(4), null, null),
            expectedRow(observations.get(5), null, null));
  }

  @Test
  void rejectsInputsItCannotJoinCorrectly() {
    Dataset<Row> observations = frame(List.of(), OBSERVATIONS, 1);
    Dataset<Row> customers = frame(List.of(), CUSTOMER_FEATURES, 1);

    assertThatThrownBy(() -> PointInTimeJoin.join(observations, "label", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot join: observation column label is double, not a timestamp");
    assertThatThrownBy(
            () ->
                PointInTimeJoin.join(
                    observations,
                    "obs_ts",
                    List.of(customerSource(customers, null).withObservationKeys(List.of("shop")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot join customer: key customer_id is bigint but observation key shop is int");
    assertThatThrownBy(
            () ->
                PointInTimeJoin.join(
                    observations,
                    "obs_ts",
                    List.of(
                        customerSource(customers, null).withOutputNames(Map.of("spend", "label")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot join customer: output column label already exists");
    assertThatThrownBy(
            () ->
                PointInTimeJoin.join(
                    observations,
                    "obs_ts",
                    List.of(customerSource(customers, Duration.ofNanos(1_500)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid TTL: PT0.0000015S (must be whole microseconds)");
  }

  private static final int OBS_TS = 3;

  private static BruteForcePointInTime.Source customerReference(List<Row> rows, Duration ttl) {
    return new BruteForcePointInTime.Source(rows, List.of(0), List.of(1), 1, List.of(2, 3), 4, ttl);
  }

  // ---- random data with adversarial timestamps ----

  /**
   * Instants on an hourly grid (so feature rows and observations often share a timestamp, and ages
   * often equal a TTL exactly) or one microsecond either side of it.
   */
  private static Instant adversarialInstant(Random random) {
    Instant onGrid = T0.plus(HOUR.multipliedBy(random.nextInt(30)));
    return switch (random.nextInt(4)) {
      case 0 -> onGrid.minus(MICRO);
      case 1 -> onGrid.plus(MICRO);
      default -> onGrid;
    };
  }

  private static <T> T maybeNull(Random random, T value) {
    return random.nextInt(6) == 0 ? null : value;
  }

  private static List<Row> randomObservations(Random random, int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Long customer = random.nextInt(40) == 0 ? null : (long) random.nextInt(12);
      Timestamp at = random.nextInt(40) == 0 ? null : ts(adversarialInstant(random));
      Row row = rowOf(i, customer, random.nextInt(5), at, random.nextDouble());
      rows.add(row);
      if (random.nextInt(10) == 0) {
        rows.add(row);
      }
    }
    Collections.shuffle(rows, random);
    return rows;
  }

  private static List<Row> randomCustomerFeatures(Random random, int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // Entities 10 and 11 have observations but no features.
      Long customer = random.nextInt(50) == 0 ? null : (long) random.nextInt(10);
      rows.add(
          rowOf(
              customer,
              ts(adversarialInstant(random)),
              maybeNull(random, (double) random.nextInt(4)),
              maybeNull(random, String.valueOf((char) ('a' + random.nextInt(3)))),
              maybeNull(random, "run-" + random.nextInt(3))));
    }
    // Late arrivals: rows for old event times appended after newer ones, as a backfill would.
    for (int i = 0; i < n / 10; i++) {
      Row late = rows.get(random.nextInt(rows.size()));
      rows.add(rowOf(late.get(0), late.get(1), (double) random.nextInt(4), "late", "run-9"));
    }
    return rows;
  }

  private static List<Row> randomStoreFeatures(Random random, int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          rowOf(
              random.nextInt(4),
              random.nextInt(30) == 0 ? null : ts(adversarialInstant(random)),
              maybeNull(random, (long) random.nextInt(5))));
    }
    return rows;
  }

  private static List<Row> randomPairFeatures(Random random, int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          rowOf(
              (long) random.nextInt(10),
              random.nextInt(5),
              ts(
                  T0.plus(Duration.ofDays(1).multipliedBy(random.nextInt(2)))
                      .plus(HOUR.multipliedBy(random.nextInt(3)))),
              maybeNull(random, random.nextInt(3) / 2.0)));
    }
    return rows;
  }

  // ---- helpers ----

  private static FeatureSource customerSource(Dataset<Row> customers, Duration ttl) {
    FeatureSource source =
        FeatureSource.of(
                "customer", customers, List.of("customer_id"), "event_ts", List.of("spend", "tier"))
            .withTiebreak(List.of("_run_id"));
    return ttl == null ? source : source.withTtl(ttl);
  }

  private static List<List<Object>> joinCustomers(
      List<Row> observations, List<Row> customers, Duration ttl) {
    Dataset<Row> joined =
        PointInTimeJoin.join(
            frame(observations, OBSERVATIONS, 2),
            "obs_ts",
            List.of(customerSource(frame(customers, CUSTOMER_FEATURES, 2), ttl)));
    List<List<Object>> rows = values(joined);
    assertThat(rows)
        .as("hand-made cases agree with the reference too")
        .containsExactlyInAnyOrderElementsOf(
            BruteForcePointInTime.join(
                observations, OBS_TS, List.of(customerReference(customers, ttl))));
    return rows;
  }

  private static Dataset<Row> frame(List<Row> rows, StructType schema, int partitions) {
    return spark.createDataFrame(rows, schema).repartition(partitions);
  }

  private static List<List<Object>> values(Dataset<Row> frame) {
    return sorted(frame.collectAsList().stream().map(BruteForcePointInTime::plain).toList());
  }

  private static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return copy;
  }

  private static List<Object> expectedRow(Row observation, Double spend, String tier) {
    List<Object> row = BruteForcePointInTime.plain(observation);
    row.add(spend);
    row.add(tier);
    return row;
  }

  private static Timestamp ts(Instant instant) {
    return Timestamp.from(instant);
  }

  private static Row observation(int id, Long customer, int shop, Instant at) {
    return rowOf(id, customer, shop, ts(at), 0.5);
  }

  private static Row customer(long id, Instant at, Double spend, String tier, String runId) {
    return rowOf(id, ts(at), spend, tier, runId);
  }

  private static Row rowOf(Object... values) {
    return RowFactory.create(values);
  }
}
