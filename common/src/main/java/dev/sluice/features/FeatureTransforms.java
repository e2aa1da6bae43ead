/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.features;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Computes a feature group's values per entity and event day.
 *
 * <p>A row for day D aggregates the source rows with event time before D+1 00:00 UTC and is stamped
 * {@code event_ts = D+1 00:00} (the exclusive end of its data), so a point-in-time join on {@code
 * event_ts <= observation time} never sees later data. A window of w days covers the days D-w+1..D.
 * Entities get a row for every day from their first source row on, also days without rows (count 0,
 * other aggregations over no rows are null).
 *
 * <p>Method: one aggregation of the source into daily partials per (entity, day), a dense grid of
 * (entity, day), then window functions over days per entity. Rows older than the longest window are
 * folded into one day before the grid, which only unbounded (row-level) features see. Standard
 * deviation is the sample standard deviation from (n, sum, sum of squares).
 */
public final class FeatureTransforms {
  /** Output column: the exclusive end of the data a feature row aggregates. */
  public static final String EVENT_TS = "event_ts";

  /** Output column: the group's definition hash. */
  public static final String DEFINITION_HASH = "_definition_hash";

  private static final String DAY = "_day";
  private static final String EVENT_TIME = "_et";
  private static final String FIRST_DAY = "_first_day";

  private FeatureTransforms() {}

  /** Feature rows of {@code group} for the event days {@code from..to} (inclusive). */
  public static Dataset<Row> dailyFeatures(
      Dataset<Row> source, FeatureGroup group, LocalDate from, LocalDate to) {
    long fromDay = from.toEpochDay();
    long toDay = to.toEpochDay();
    long gridStart = fromDay - Math.max(group.maxWindowDays(), 1) + 1;
    long foldDay = gridStart - 1;

    Dataset<Row> rows = source;
    for (String key : group.entityKeys()) {
      rows = rows.where(col(key).isNotNull());
    }
    if (group.filter().isPresent()) {
      rows = rows.where(expr(group.filter().get()));
    }
    Column eventTime = col(group.eventTimeColumn()).cast("timestamp");
    rows =
        rows.withColumn(EVENT_TIME, eventTime)
            .where(col(EVENT_TIME).lt(timestamp_seconds(lit((toDay + 1) * 86_400))))
            .withColumn(
                DAY,
                greatest(
                    datediff(to_date(col(EVENT_TIME)), lit(LocalDate.EPOCH)).cast("long"),
                    lit(foldDay)));

    Dataset<Row> partials =
        rows.groupBy(keysAndDay(group)).agg(first(partials(group)), rest(partials(group)));
    Dataset<Row> firstDays = rows.groupBy(keys(group)).agg(min(DAY).as(FIRST_DAY));
    Dataset<Row> days = source.sparkSession().range(foldDay, toDay + 1).toDF(DAY);
    List<String> joinKeys = new ArrayList<>(group.entityKeys());
    joinKeys.add(DAY);
    Dataset<Row> grid =
        firstDays
            .crossJoin(days)
            .where(col(DAY).geq(col(FIRST_DAY)))
            .drop(FIRST_DAY)
            .join(
                partials, scala.collection.JavaConverters.asScalaBuffer(joinKeys).toSeq(), "left");

    List<Column> out = new ArrayList<>();
    for (String key : group.entityKeys()) {
      out.add(col(key));
    }
    out.add(timestamp_seconds(col(DAY).plus(1).multiply(86_400)).as(EVENT_TS));
    for (FeatureDefinition f : group.features()) {
      out.add(finalValue(f, frame(group, f)).as(f.name()));
    }
    out.add(lit(group.groupHash()).as(DEFINITION_HASH));
    return grid.select(out.toArray(new Column[0]))
        .where(col(EVENT_TS).geq(timestamp_seconds(lit((fromDay + 1) * 86_400))));
  }

  /** The daily partial aggregates every feature needs, named {@code _p_<feature>_<part>}. */
  private static List<Column> partials(FeatureGroup group) {
    List<Column> parts = new ArrayList<>();
    for (FeatureDefinition f : group.features()) {
      Column value = expr(f.expression());
      String p = "_p_" + f.name() + "_";
      switch (f.effectiveAggregation()) {
        case COUNT -> parts.add(count(value).as(p + "n"));
        case SUM -> parts.add(sum(value).as(p + "sum"));
        case AVG -> {
          parts.add(sum(value.cast("double")).as(p + "sum"));
          parts.add(count(value).as(p + "n"));
        }
        case MIN -> parts.add(min(value).as(p + "min"));
        case MAX -> parts.add(max(value).as(p + "max"));
        case STDDEV -> {
          Column v = value.cast("double");
          parts.add(count(v).as(p + "n"));
          parts.add(sum(v).as(p + "sum"));
          parts.add(sum(v.multiply(v)).as(p + "sq"));
        }
        case DISTINCT_COUNT -> parts.add(collect_set(value).as(p + "set"));
        case LATEST ->
            parts.add(max(struct(col(EVENT_TIME).as("t"), value.as("v"))).as(p + "latest"));
      }
    }
    return parts;
  }

  private static Column finalValue(FeatureDefinition f, WindowSpec w) {
    String p = "_p_" + f.name() + "_";
    return switch (f.effectiveAggregation()) {
      case COUNT -> coalesce(sum(col(p + "n")).over(w), lit(0L));
      case SUM -> sum(col(p + "sum")).over(w);
      case AVG ->
          sum(col(p + "sum"))
              .over(w)
              .divide(when(sum(col(p + "n")).over(w).gt(0), sum(col(p + "n")).over(w)));
      case MIN -> min(col(p + "min")).over(w);
      case MAX -> max(col(p + "max")).over(w);
      case STDDEV -> {
        Column n = sum(col(p + "n")).over(w);
        Column s = sum(col(p + "sum")).over(w);
        Column sq = sum(col(p + "sq")).over(w);
        yield when(
            n.gt(1),
            sqrt(greatest(lit(0.0), sq.minus(s.multiply(s).divide(n)).divide(n.minus(1)))));
      }
      case DISTINCT_COUNT ->
          size(array_distinct(flatten(collect_list(col(p + "set")).over(w)))).cast("long");
      case LATEST -> max(col(p + "latest")).over(w).getField("v");
    };
  }

  private static WindowSpec frame(FeatureGroup group, FeatureDefinition f) {
    WindowSpec byDay = Window.partitionBy(keys(group)).orderBy(col(DAY));
    return f.windowDays()
        .map(w -> byDay.rangeBetween(-(w - 1L), 0L))
        .orElseGet(() -> byDay.rowsBetween(Window.unboundedPreceding(), Window.currentRow()));
  }

  private static Column[] keys(FeatureGroup group) {
    return group.entityKeys().stream()
        .map(org.apache.spark.sql.functions::col)
        .toArray(Column[]::new);
  }

  private static Column[] keysAndDay(FeatureGroup group) {
    List<Column> columns = new ArrayList<>(List.of(keys(group)));
    columns.add(col(DAY));
    return columns.toArray(new Column[0]);
  }

  private static Column first(List<Column> columns) {
    return columns.get(0);
  }

  private static Column[] rest(List<Column> columns) {
    return columns.subList(1, columns.size()).toArray(new Column[0]);
  }
}
