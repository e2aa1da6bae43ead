/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.features;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One feature table as input to {@link PointInTimeJoin}: which of its columns identify the entity,
 * which one says when a row becomes valid, which feature columns to take and under which names, and
 * for how long a row stays valid.
 *
 * <p>Build one with {@link #of} and refine it with the {@code with…} methods, each of which returns
 * a new instance.
 *
 * @param name a short name of the source (e.g. the feature group), used in messages and in default
 *     output names
 * @param table the feature rows
 * @param keyColumns the entity key columns of {@code table}
 * @param observationKeyColumns the observation columns that {@code keyColumns} match, position by
 *     position (same count, same types)
 * @param eventTsColumn the timestamp column of {@code table} from which a row is valid (inclusive)
 * @param columns the feature columns to take and their output names, in output order
 * @param ttl how long a row stays valid after its event time (exclusive); empty means forever
 * @param tiebreakColumns columns of {@code table} that rank rows with equal key and event time
 *     (greatest wins), before the feature values themselves do
 */
public record FeatureSource(
    String name,
    Dataset<Row> table,
    List<String> keyColumns,
    List<String> observationKeyColumns,
    String eventTsColumn,
    List<FeatureColumn> columns,
    Optional<Duration> ttl,
    List<String> tiebreakColumns) {

  /** Separates the source name from the feature name in default output names. */
  public static final String OUTPUT_SEPARATOR = "__";

  public FeatureSource {
    requireNonNull(name, "name is null");
    requireNonNull(table, "table is null");
    keyColumns = List.copyOf(requireNonNull(keyColumns, "keyColumns is null"));
    observationKeyColumns =
        List.copyOf(requireNonNull(observationKeyColumns, "observationKeyColumns is null"));
    requireNonNull(eventTsColumn, "eventTsColumn is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    requireNonNull(ttl, "ttl is null");
    tiebreakColumns = List.copyOf(requireNonNull(tiebreakColumns, "tiebreakColumns is null"));
  }

  /**
   * A source whose key columns have the same names in the observations, whose features are output
   * as {@code <name>__<feature>}, with no TTL and no tiebreak columns.
   */
  public static FeatureSource of(
      String name,
      Dataset<Row> table,
      List<String> keyColumns,
      String eventTsColumn,
      List<String> featureColumns) {
    List<FeatureColumn> columns =
        featureColumns.stream()
            .map(f -> new FeatureColumn(f, name + OUTPUT_SEPARATOR + f))
            .toList();
    return new FeatureSource(
        name, table, keyColumns, keyColumns, eventTsColumn, columns, Optional.empty(), List.of());
  }

  /** This source matched on other observation columns, position by position. */
  public FeatureSource withObservationKeys(List<String> observationKeys) {
    return new FeatureSource(
        name, table, keyColumns, observationKeys, eventTsColumn, columns, ttl, tiebreakColumns);
  }

  /** This source with a TTL: a row serves observations in {@code [event_ts, event_ts + ttl)}. */
  public FeatureSource withTtl(Duration timeToLive) {
    return new FeatureSource(
        name,
        table,
        keyColumns,
        observationKeyColumns,
        eventTsColumn,
        columns,
        Optional.of(timeToLive),
        tiebreakColumns);
  }

  /** This source ranking equal (key, event time) rows by these columns first, greatest wins. */
  public FeatureSource withTiebreak(List<String> columnsGreatestWins) {
    return new FeatureSource(
        name,
        table,
        keyColumns,
        observationKeyColumns,
        eventTsColumn,
        columns,
        ttl,
        columnsGreatestWins);
  }

  /** This source with the given output names, by feature column; others keep theirs. */
  public FeatureSource withOutputNames(Map<String, String> outputByFeature) {
    List<FeatureColumn> renamed =
        columns.stream()
            .map(
                c ->
                    new FeatureColumn(
                        c.column(), outputByFeature.getOrDefault(c.column(), c.output())))
            .toList();
    return new FeatureSource(
        name,
        table,
        keyColumns,
        observationKeyColumns,
        eventTsColumn,
        renamed,
        ttl,
        tiebreakColumns);
  }

  /**
   * A feature column and the name it has in the output.
   *
   * @param column the column of the feature table
   * @param output the column name in the joined output
   */
  public record FeatureColumn(String column, String output) {
    public FeatureColumn {
      requireNonNull(column, "column is null");
      requireNonNull(output, "output is null");
    }
  }
}
