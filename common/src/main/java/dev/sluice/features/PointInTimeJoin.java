/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.sluice.features.FeatureSource.FeatureColumn;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Point-in-time (as-of) join of observations with feature tables: each observation row gets, from
 * each {@link FeatureSource}, the feature values of the latest row for its entity that was valid at
 * the observation's timestamp, so a training set never sees a value from its future.
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li><b>As of.</b> For an observation with timestamp {@code t}, the candidate rows of a source
 *       are those with the same entity key and {@code event_ts <= t}: a row stamped exactly at
 *       {@code t} is included. The latest candidate (greatest {@code event_ts}) is chosen.
 *   <li><b>TTL.</b> With a TTL, the chosen row is used only if {@code event_ts > t - ttl}, that is
 *       its age {@code t - event_ts} is less than the TTL; at an age of exactly the TTL the
 *       features are null. A row therefore serves observations in {@code [event_ts, event_ts +
 *       ttl)}. The TTL must be positive and a whole number of microseconds (Spark's precision).
 *   <li><b>Null values.</b> The chosen row's values are returned as they are: a null in the latest
 *       row is returned as null, never replaced by an older non-null value.
 *   <li><b>Ties among feature rows.</b> Several rows with equal key and {@code event_ts} are ranked
 *       by the source's tiebreak columns (e.g. {@code _run_id}), then by the selected feature
 *       values in declared order (map-typed values, which cannot be ordered, are skipped), each
 *       compared ascending with nulls lowest; the greatest row wins. Rows equal in all of those
 *       give the same output, so the result is deterministic (unless they differ only in a
 *       map-typed value).
 *   <li><b>No match.</b> An observation whose entity has no valid row, whose key has a null, or
 *       whose timestamp is null gets nulls. Feature rows with a null key or a null {@code event_ts}
 *       are ignored.
 *   <li><b>Observations are kept as they are.</b> The output has exactly the observation rows
 *       (duplicates included, none dropped, none repeated) with their columns first, followed by
 *       the features in source order; observations with equal key and timestamp get equal features.
 * </ul>
 *
 * <h2>Cost</h2>
 *
 * <p>One pass per source: the observations and the source's rows are unioned, shuffled by entity
 * key and sorted by (timestamp, feature rows before observations, rank); a running {@code last(...,
 * ignoreNulls)} over that order carries the latest feature row forward to each observation. That is
 * one shuffle and one sort of {@code N + M} rows per source: {@code O((N + M) log(N + M))}, with no
 * inequality join and no correlated subquery. The rows of one entity are processed by one task and
 * buffered by Spark's window operator (it spills to disk), so a hot entity (or many observations
 * with a null key, which share one partition) makes one slow task: skew shows as one long task, not
 * as a failure.
 *
 * <p>The observation and feature timestamps must be of type {@code timestamp}; key columns must
 * have the same types on both sides.
 */
public final class PointInTimeJoin {
  private static final String KEY_PREFIX = "__pit_key_";
  private static final String TS = "__pit_ts";
  private static final String OBSERVATION = "__pit_observation";
  private static final String FEATURES = "__pit_features";
  private static final String LATEST = "__pit_latest";
  private static final String EVENT_TS_FIELD = "event_ts";
  private static final String VALUE_FIELD_PREFIX = "v";
  private static final String TIEBREAK_FIELD_PREFIX = "t";
  private static final String RANK_VALUE_FIELD_PREFIX = "r";

  private PointInTimeJoin() {}

  /**
   * Joins each observation row with the features of every source as of the observation's timestamp,
   * following the rules in the class documentation.
   *
   * @param observations the rows to enrich (e.g. labelled events); every row is kept
   * @param observationTsColumn the timestamp column of {@code observations}
   * @param sources the feature sources, applied in order
   * @return the observation columns followed by each source's output columns
   */
  public static Dataset<Row> join(
      Dataset<Row> observations, String observationTsColumn, List<FeatureSource> sources) {
    validate(observations.schema(), observationTsColumn, sources);
    Dataset<Row> joined = observations;
    for (FeatureSource source : sources) {
      joined = joinOne(joined, observationTsColumn, source);
    }
    return joined;
  }

  /**
   * The same join for observations that all share one timestamp {@code asOf} (a scoring date), by a
   * cheaper plan with the same result: per source, the rows with {@code event_ts <= asOf} (and
   * within the TTL) are reduced to each entity's winning row by one aggregation over the ranking of
   * the rules above (event time, tiebreak columns, then orderable values, nulls lowest): the {@code
   * max} of that struct, or {@code max_by} of the values over it when a value is map-typed. The
   * winners are then left-joined to the observations on the keys. No observation timestamp column
   * is needed; the output is the observation columns followed by each source's features.
   */
  public static Dataset<Row> joinAsOf(
      Dataset<Row> observations, Instant asOf, List<FeatureSource> sources) {
    validateSources(observations.schema(), sources);
    Dataset<Row> joined = observations;
    for (FeatureSource source : sources) {
      joined = joinOneAsOf(joined, asOf, source);
    }
    return joined;
  }

  private static Dataset<Row> joinOneAsOf(
      Dataset<Row> observations, Instant asOf, FeatureSource source) {
    Column eventTs = column(source.eventTsColumn());
    Column candidate = eventTs.isNotNull().and(eventTs.leq(lit(Timestamp.from(asOf))));
    if (source.ttl().isPresent()) {
      // age < ttl, as in join(): event_ts > asOf - ttl
      candidate = candidate.and(eventTs.gt(lit(Timestamp.from(asOf.minus(source.ttl().get())))));
    }
    for (String key : source.keyColumns()) {
      candidate = candidate.and(column(key).isNotNull());
    }
    StructType schema = source.table().schema();
    List<Column> rank = new ArrayList<>();
    rank.add(eventTs.as(EVENT_TS_FIELD));
    for (int i = 0; i < source.tiebreakColumns().size(); i++) {
      rank.add(column(source.tiebreakColumns().get(i)).as(TIEBREAK_FIELD_PREFIX + i));
    }
    List<Column> values = new ArrayList<>();
    boolean allOrderable = true;
    for (int j = 0; j < source.columns().size(); j++) {
      String name = source.columns().get(j).column();
      values.add(column(name).as(VALUE_FIELD_PREFIX + j));
      if (isOrderable(schema.apply(name).dataType())) {
        rank.add(column(name).as(RANK_VALUE_FIELD_PREFIX + j));
      } else {
        allOrderable = false;
      }
    }
    // When every value is orderable the ranking struct ends with the values themselves, in order,
    // so the winner is simply its greatest struct: one struct per row instead of two.
    Column winner =
        allOrderable
            ? max(struct(rank.toArray(Column[]::new)))
            : max_by(struct(values.toArray(Column[]::new)), struct(rank.toArray(Column[]::new)));
    String valuePrefix = allOrderable ? RANK_VALUE_FIELD_PREFIX : VALUE_FIELD_PREFIX;
    List<Column> keys = keys(source.keyColumns());
    Dataset<Row> winners =
        source.table().where(candidate).groupBy(keys.toArray(Column[]::new)).agg(winner.as(LATEST));
    Column on = lit(true);
    for (int i = 0; i < source.keyColumns().size(); i++) {
      on =
          on.and(
              observations
                  .col(source.observationKeyColumns().get(i))
                  .equalTo(winners.col(KEY_PREFIX + i)));
    }
    List<Column> output = new ArrayList<>();
    for (String c : observations.columns()) {
      output.add(observations.col(c));
    }
    for (int j = 0; j < source.columns().size(); j++) {
      output.add(winners.col(LATEST + "." + valuePrefix + j).as(source.columns().get(j).output()));
    }
    return observations.join(winners, on, "left").select(output.toArray(Column[]::new));
  }

  private static Dataset<Row> joinOne(
      Dataset<Row> observations, String observationTsColumn, FeatureSource source) {
    Dataset<Row> table = source.table();
    Column observationStruct =
        struct(Arrays.stream(observations.columns()).map(c -> column(c)).toArray(Column[]::new));
    Column featureStruct = featureStruct(source);
    List<Column> observationSide = keys(source.observationKeyColumns());
    observationSide.add(column(observationTsColumn).as(TS));
    observationSide.add(observationStruct.as(OBSERVATION));
    observationSide.add(lit(null).cast(typeOf(table, featureStruct)).as(FEATURES));
    List<Column> featureSide = keys(source.keyColumns());
    featureSide.add(column(source.eventTsColumn()).as(TS));
    featureSide.add(lit(null).cast(typeOf(observations, observationStruct)).as(OBSERVATION));
    featureSide.add(featureStruct.as(FEATURES));
    Column usable = column(source.eventTsColumn()).isNotNull();
    for (String key : source.keyColumns()) {
      usable = usable.and(column(key).isNotNull());
    }

    // Observation rows are the ones without a feature struct; feature rows always have one, even
    // when every value in it is null, so ignoreNulls skips observations only.
    return observations
        .select(observationSide.toArray(Column[]::new))
        .union(table.where(usable).select(featureSide.toArray(Column[]::new)))
        .withColumn(LATEST, last(col(FEATURES), true).over(upToHere(source)))
        .where(col(FEATURES).isNull())
        .select(output(source).toArray(Column[]::new));
  }

  /** {@code struct(event_ts, v0.., t0..)}: event time, feature values, tiebreak values. */
  private static Column featureStruct(FeatureSource source) {
    List<Column> fields = new ArrayList<>();
    fields.add(column(source.eventTsColumn()).as(EVENT_TS_FIELD));
    for (int j = 0; j < source.columns().size(); j++) {
      fields.add(column(source.columns().get(j).column()).as(VALUE_FIELD_PREFIX + j));
    }
    for (int i = 0; i < source.tiebreakColumns().size(); i++) {
      fields.add(column(source.tiebreakColumns().get(i)).as(TIEBREAK_FIELD_PREFIX + i));
    }
    return struct(fields.toArray(Column[]::new));
  }

  /**
   * Per entity, by time with feature rows before observations at an equal time, and among feature
   * rows at an equal time by rank (the winner last); from the first row to this one.
   */
  private static WindowSpec upToHere(FeatureSource source) {
    List<Column> partition = new ArrayList<>();
    for (int i = 0; i < source.keyColumns().size(); i++) {
      partition.add(col(KEY_PREFIX + i));
    }
    List<Column> order = new ArrayList<>();
    order.add(col(TS).asc_nulls_first());
    order.add(col(FEATURES).isNull().asc()); // false (a feature row) first
    for (int i = 0; i < source.tiebreakColumns().size(); i++) {
      order.add(col(FEATURES + "." + TIEBREAK_FIELD_PREFIX + i).asc_nulls_first());
    }
    StructType schema = source.table().schema();
    for (int j = 0; j < source.columns().size(); j++) {
      if (isOrderable(schema.apply(source.columns().get(j).column()).dataType())) {
        order.add(col(FEATURES + "." + VALUE_FIELD_PREFIX + j).asc_nulls_first());
      }
    }
    return Window.partitionBy(partition.toArray(Column[]::new))
        .orderBy(order.toArray(Column[]::new))
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
  }

  /** The observation's columns, then the latest row's values where it is valid, else nulls. */
  private static List<Column> output(FeatureSource source) {
    Column valid = col(LATEST).isNotNull().and(col(TS).isNotNull());
    Optional<Duration> ttl = source.ttl();
    if (ttl.isPresent()) {
      Column age = unix_micros(col(TS)).minus(unix_micros(col(LATEST + "." + EVENT_TS_FIELD)));
      valid = valid.and(age.lt(micros(ttl.get())));
    }
    List<Column> output = new ArrayList<>();
    output.add(col(OBSERVATION + ".*"));
    for (int j = 0; j < source.columns().size(); j++) {
      output.add(
          when(valid, col(LATEST + "." + VALUE_FIELD_PREFIX + j))
              .as(source.columns().get(j).output()));
    }
    return output;
  }

  private static List<Column> keys(List<String> columns) {
    List<Column> keys = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      keys.add(column(columns.get(i)).as(KEY_PREFIX + i));
    }
    return keys;
  }

  private static DataType typeOf(Dataset<Row> rows, Column expression) {
    return rows.select(expression).schema().apply(0).dataType();
  }

  private static void validate(
      StructType observations, String observationTsColumn, List<FeatureSource> sources) {
    Set<String> names = new HashSet<>(Arrays.asList(observations.fieldNames()));
    checkArgument(
        names.contains(observationTsColumn),
        "Cannot join: no observation column %s among %s",
        observationTsColumn,
        names);
    checkArgument(
        observations.apply(observationTsColumn).dataType() instanceof TimestampType,
        "Cannot join: observation column %s is %s, not a timestamp",
        observationTsColumn,
        observations.apply(observationTsColumn).dataType().simpleString());
    validateSources(observations, sources);
  }

  /** Each source joins the observations, and no output column name is taken twice. */
  private static void validateSources(StructType observations, List<FeatureSource> sources) {
    Set<String> names = new HashSet<>(Arrays.asList(observations.fieldNames()));
    for (FeatureSource source : sources) {
      validateSource(observations, source);
      for (FeatureColumn feature : source.columns()) {
        checkArgument(
            names.add(feature.output()),
            "Cannot join %s: output column %s already exists",
            source.name(),
            feature.output());
      }
    }
  }

  private static void validateSource(StructType observations, FeatureSource source) {
    StructType table = source.table().schema();
    Set<String> columns = new HashSet<>(Arrays.asList(table.fieldNames()));
    Set<String> observationColumns = new HashSet<>(Arrays.asList(observations.fieldNames()));
    checkArgument(!source.keyColumns().isEmpty(), "Cannot join %s: no key columns", source.name());
    checkArgument(
        source.keyColumns().size() == source.observationKeyColumns().size(),
        "Cannot join %s: key columns %s do not pair with observation keys %s",
        source.name(),
        source.keyColumns(),
        source.observationKeyColumns());
    List<String> needed = new ArrayList<>(source.keyColumns());
    needed.add(source.eventTsColumn());
    needed.addAll(source.tiebreakColumns());
    source.columns().forEach(c -> needed.add(c.column()));
    for (String column : needed) {
      checkArgument(
          columns.contains(column),
          "Cannot join %s: no column %s among %s",
          source.name(),
          column,
          columns);
    }
    checkArgument(
        table.apply(source.eventTsColumn()).dataType() instanceof TimestampType,
        "Cannot join %s: event time column %s is %s, not a timestamp",
        source.name(),
        source.eventTsColumn(),
        table.apply(source.eventTsColumn()).dataType().simpleString());
    for (int i = 0; i < source.keyColumns().size(); i++) {
      String observationKey = source.observationKeyColumns().get(i);
      checkArgument(
          observationColumns.contains(observationKey),
          "Cannot join %s: no observation key column %s",
          source.name(),
          observationKey);
      DataType featureType = table.apply(source.keyColumns().get(i)).dataType();
      DataType observationType = observations.apply(observationKey).dataType();
      checkArgument(
          featureType.equals(observationType),
          "Cannot join %s: key %s is %s but observation key %s is %s",
          source.name(),
          source.keyColumns().get(i),
          featureType.simpleString(),
          observationKey,
          observationType.simpleString());
    }
    for (String tiebreak : source.tiebreakColumns()) {
      checkArgument(
          isOrderable(table.apply(tiebreak).dataType()),
          "Cannot join %s: tiebreak column %s is %s, which cannot be ordered",
          source.name(),
          tiebreak,
          table.apply(tiebreak).dataType().simpleString());
    }
    source.ttl().ifPresent(ttl -> micros(ttl));
  }

  private static long micros(Duration ttl) {
    checkArgument(!ttl.isNegative() && !ttl.isZero(), "Invalid TTL: %s (must be positive)", ttl);
    checkArgument(ttl.getNano() % 1_000 == 0, "Invalid TTL: %s (must be whole microseconds)", ttl);
    return Math.addExact(Math.multiplyExact(ttl.getSeconds(), 1_000_000L), ttl.getNano() / 1_000);
  }

  private static boolean isOrderable(DataType type) {
    if (type instanceof MapType) {
      return false;
    }
    if (type instanceof ArrayType array) {
      return isOrderable(array.elementType());
    }
    if (type instanceof StructType struct) {
      for (StructField field : struct.fields()) {
        if (!isOrderable(field.dataType())) {
          return false;
        }
      }
    }
    return true;
  }

  /** A column by its exact name, even if the name contains dots. */
  private static Column column(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  private static void checkArgument(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }
}
