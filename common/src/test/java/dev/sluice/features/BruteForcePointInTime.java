/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.features;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The point-in-time join's rules written plainly in Java, for tests: for every observation, scan
 * every feature row. O(observations × feature rows); rows are compared by position.
 */
final class BruteForcePointInTime {
  private BruteForcePointInTime() {}

  /**
   * One feature source: its rows and where its columns are in them.
   *
   * @param keys positions of the key columns
   * @param observationKeys positions of the observation columns they match
   * @param eventTs position of the event time
   * @param values positions of the feature values, in output order
   * @param tiebreak position of the tiebreak column, or -1
   * @param ttl null for none
   */
  record Source(
      List<Row> rows,
      List<Integer> keys,
      List<Integer> observationKeys,
      int eventTs,
      List<Integer> values,
      int tiebreak,
      Duration ttl) {}

  /** Each observation's values (timestamps as instants) followed by every source's values. */
  static List<List<Object>> join(List<Row> observations, int observationTs, List<Source> sources) {
    List<List<Object>> out = new ArrayList<>();
    for (Row observation : observations) {
      List<Object> row = plain(observation);
      Instant at = (Instant) row.get(observationTs);
      for (Source source : sources) {
        Row best = null;
        for (Row feature : source.rows()) {
          if (at != null
              && matches(observation, feature, source)
              && feature.get(source.eventTs()) != null
              && !instant(feature, source.eventTs()).isAfter(at)
              && (best == null || rank(feature, source).compareTo(rank(best, source)) > 0)) {
            best = feature;
          }
        }
        boolean expired =
            best != null
                && source.ttl() != null
                && Duration.between(instant(best, source.eventTs()), at).compareTo(source.ttl())
                    >= 0;
        for (int v : source.values()) {
          row.add(best == null || expired ? null : best.get(v));
        }
      }
      out.add(row);
    }
    return out;
  }

  /** A row's values with timestamps as instants. */
  static List<Object> plain(Row row) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < row.size(); i++) {
      Object value = row.get(i);
      values.add(value instanceof Timestamp t ? t.toInstant() : value);
    }
    return values;
  }

  private static boolean matches(Row observation, Row feature, Source source) {
    for (int i = 0; i < source.keys().size(); i++) {
      Object key = feature.get(source.keys().get(i));
      if (key == null || !key.equals(observation.get(source.observationKeys().get(i)))) {
        return false;
      }
    }
    return true;
  }

  /** Event time, then tiebreak, then values in order; nulls lowest. */
  private static Rank rank(Row feature, Source source) {
    List<Comparable<?>> parts = new ArrayList<>();
    parts.add(instant(feature, source.eventTs()));
    if (source.tiebreak() >= 0) {
      parts.add((Comparable<?>) feature.get(source.tiebreak()));
    }
    source.values().forEach(v -> parts.add((Comparable<?>) feature.get(v)));
    return new Rank(parts);
  }

  private static Instant instant(Row row, int i) {
    return ((Timestamp) row.get(i)).toInstant();
  }

  private record Rank(List<Comparable<?>> parts) implements Comparable<Rank> {
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public int compareTo(Rank other) {
      Comparator<Comparable> nullsLowest = Comparator.nullsFirst(Comparator.naturalOrder());
      for (int i = 0; i < parts.size(); i++) {
        int c = nullsLowest.compare(parts.get(i), other.parts.get(i));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    }
  }
}
