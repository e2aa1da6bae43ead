/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import dev.sluice.drift.DriftPolicy;
import dev.sluice.drift.DriftRecords;
import dev.sluice.drift.DriftRecords.Window;
import dev.sluice.drift.WindowProfile;
import dev.sluice.model.BaselineRecords;
import dev.sluice.model.ColumnProfile;
import dev.sluice.model.ColumnProfile.Bin;
import dev.sluice.model.ColumnProfile.NumericStats;
import dev.sluice.model.ProfiledColumn.Kind;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Crafted rows of the drift tables, as Spark returns them (with their schema): model churn, a
 * numeric score {@code probability} (bins {@code [-inf, 0.3), [0.3, 0.6), [0.6, +inf]}) and a
 * categorical feature {@code g__<device>} (tv, phone, other), versions 1 (80 rows) and 2 (20 rows)
 * on the daily window ending {@link #SHOWN}.
 */
final class ReportFixtures {
  static final String MODEL = "churn";
  static final LocalDate FIRST = LocalDate.parse("2026-10-09");
  static final LocalDate SHOWN = LocalDate.parse("2026-10-10");
  static final LocalDate LATER = LocalDate.parse("2026-10-11");
  static final Window WINDOW = new Window(SHOWN, SHOWN, "1d");
  static final String SCORE = "probability";

  /** A feature name that needs HTML escaping. */
  static final String DEVICE = "g__<device>";

  private static final Instant AT = Instant.parse("2026-10-12T00:00:00Z");

  private ReportFixtures() {}

  /**
   * A row as Spark collects it: with its schema, arrays as Scala sequences, nested structs as rows
   * with their schema.
   */
  static Row withSchema(Row row, StructType schema) {
    Object[] values = new Object[row.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = collected(row.get(i), schema.fields()[i].dataType());
    }
    return new GenericRowWithSchema(values, schema);
  }

  private static Object collected(Object value, DataType type) {
    if (value instanceof Row nested && type instanceof StructType struct) {
      return withSchema(nested, struct);
    }
    if (value instanceof Object[] array && type instanceof ArrayType arrayType) {
      List<Object> elements = new ArrayList<>();
      for (Object element : array) {
        elements.add(collected(element, arrayType.elementType()));
      }
      return JavaConverters.asScalaBuffer(elements).toSeq();
    }
    return value;
  }

  static ColumnProfile score(long... counts) {
    long n = counts[0] + counts[1] + counts[2];
    List<Bin> bins =
        List.of(
            new Bin(0, Double.NEGATIVE_INFINITY, 0.3, Optional.empty(), counts[0], 0),
            new Bin(1, 0.3, 0.6, Optional.empty(), counts[1], 0),
            new Bin(2, 0.6, Double.POSITIVE_INFINITY, Optional.empty(), counts[2], 0));
    return new ColumnProfile(
        SCORE,
        Kind.NUMERIC,
        "double",
        n,
        0,
        0,
        Optional.of(new NumericStats(0.5, 0.2, 0.1, 0.9)),
        OptionalLong.empty(),
        bins);
  }

  static ColumnProfile device(long tv, long phone, long other) {
    List<Bin> bins =
        List.of(
            new Bin(0, Double.NaN, Double.NaN, Optional.of("tv"), tv, 0),
            new Bin(1, Double.NaN, Double.NaN, Optional.of("phone"), phone, 0),
            new Bin(2, Double.NaN, Double.NaN, Optional.of(ColumnProfile.OTHER), other, 0));
    return new ColumnProfile(
        DEVICE,
        Kind.CATEGORICAL,
        "string",
        tv + phone + other,
        0,
        0,
        Optional.empty(),
        OptionalLong.of(3),
        bins);
  }

  /** Version 1's baseline: score counts 10, 20, 10; device 30, 10, 0. */
  static List<Row> baselineRows() {
    List<Row> rows = new ArrayList<>();
    BaselineRecords.toRows(List.of(score(10, 20, 10), device(30, 10, 0)), MODEL, 1, "train", AT)
        .forEach(r -> rows.add(withSchema(r, BaselineRecords.SCHEMA)));
    return rows;
  }

  /**
   * The shown window's profiles: version 1 (score 0, 40, 40; device 20, 20, 40), version 2 (score
   * 5, 5, 10), and a slice of version 1 that the report ignores.
   */
  static List<Row> profileRows() {
    List<WindowProfile> profiles =
        List.of(
            new WindowProfile(1, "all", "all", score(0, 40, 40), List.of(), 0, List.of()),
            new WindowProfile(1, "all", "all", device(20, 20, 40), List.of(), 3, List.of("tv")),
            new WindowProfile(2, "all", "all", score(5, 5, 10), List.of(), 0, List.of()),
            new WindowProfile(1, "region", "north", score(0, 1, 1), List.of(), 0, List.of()));
    return profiles.stream()
        .map(
            p ->
                withSchema(
                    DriftRecords.profileRow(MODEL, WINDOW, p, "drift", AT),
                    DriftRecords.PROFILE_METRICS))
        .toList();
  }

  static List<Row> driftRows() {
    return List.of(
        // Score of version 1: every statistic on FIRST and SHOWN (alert on SHOWN).
        drift(1, FIRST, "all", "BASELINE", SCORE, 0.05, 0.02, 0.1, 0.2, 3.0, 0.1, 0.1, false),
        drift(1, SHOWN, "all", "BASELINE", SCORE, 0.4, 0.3, 0.35, 0.6, 40.0, 0.3, 0.25, true),
        // Device of version 1 (categorical: no KS, no Wasserstein), only on SHOWN.
        drift(1, SHOWN, "all", "BASELINE", DEVICE, 0.3, 0.35, null, null, 25.0, 0.4, 0.5, true),
        // Ignored: a later window, another version, a consecutive comparison, a slice.
        drift(1, LATER, "all", "BASELINE", SCORE, 0.9, 0.9, 0.9, 0.9, 90.0, 0.9, 0.9, true),
        drift(2, SHOWN, "all", "BASELINE", SCORE, 0.7, 0.7, 0.7, 0.7, 70.0, 0.7, 0.7, true),
        drift(1, SHOWN, "all", "CONSECUTIVE", SCORE, 0.8, 0.8, 0.8, 0.8, 80.0, 0.8, 0.8, true),
        drift(1, SHOWN, "region", "BASELINE", SCORE, 0.6, 0.6, 0.6, 0.6, 60.0, 0.6, 0.6, true));
  }

  static List<Row> alertRows() {
    return List.of(
        alert(1L, SHOWN, SCORE, "psi", 0.4, "psi 0.4000 >= 0.2"),
        alert(1L, SHOWN, DEVICE, "js", 0.35, "js 0.3500 >= 0.1"),
        alert(1L, SHOWN, null, "drifted_share", 1.0, "drifted share 1.00 >= 0.5"),
        alert(2L, SHOWN, SCORE, "psi", 0.7, "psi 0.7000 >= 0.2"),
        alert(1L, LATER, SCORE, "psi", 0.9, "psi 0.9000 >= 0.2"));
  }

  /** The report of version 1 on {@link #SHOWN}, through the readers and the model. */
  static DriftReport report() {
    List<WindowProfile> window = profileRows().stream().map(DriftRecords::readProfile).toList();
    return DriftReportModel.build(
        MODEL,
        WINDOW,
        1,
        window,
        BaselineRecords.fromRows(baselineRows()).get(1L),
        driftRows().stream().map(ReportRows::driftPoint).toList(),
        alertRows().stream().map(ReportRows::alert).toList(),
        DriftPolicy.DEFAULTS,
        Map.of("profile_metrics", 3L, "drift_metrics", 3L));
  }

  private static Row drift(
      long version,
      LocalDate end,
      String slice,
      String type,
      String column,
      Double psi,
      Double js,
      Double ks,
      Double wasserstein,
      Double chi,
      Double tv,
      Double linf,
      boolean detected) {
    boolean consecutive = type.equals("CONSECUTIVE");
    Object[] values = {
      MODEL,
      version,
      Date.valueOf(end),
      Date.valueOf(end),
      consecutive ? Date.valueOf(end.minusDays(1)) : null,
      consecutive ? Date.valueOf(end.minusDays(1)) : null,
      "1d",
      slice,
      slice.equals("all") ? "all" : "north",
      type,
      column,
      "double",
      80L,
      40L,
      0.0,
      psi,
      ks,
      ks == null ? null : 0.01,
      js,
      wasserstein,
      chi,
      0.001,
      tv,
      linf,
      new String[0],
      new String[0],
      detected ? "alert" : "none",
      detected,
      detected ? "psi >= 0.2" : null,
      "drift",
      Timestamp.from(AT)
    };
    return withSchema(new GenericRowWithSchema(values, null), DriftRecords.DRIFT_METRICS);
  }

  private static Row alert(
      Long version, LocalDate end, String column, String metric, Double value, String threshold) {
    Object[] values = {
      "id-" + version + "-" + end + "-" + column,
      "drift",
      "alert",
      MODEL,
      version,
      Date.valueOf(end),
      Date.valueOf(end),
      column,
      metric,
      value,
      threshold,
      "none",
      "drift",
      Timestamp.from(AT)
    };
    return new GenericRowWithSchema(values, DriftRecords.ALERTS);
  }
}
