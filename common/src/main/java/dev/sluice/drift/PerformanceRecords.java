/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import dev.sluice.drift.DriftRecords.Window;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The rows of {@code performance_metrics}: one per window, model version and metric, once the
 * window's labels have landed (docs/tables.md). Each row also carries what its value was computed
 * from — the labelled rows' count, the newest landing time among them and a fingerprint of the
 * scoring runs — so a later run recomputes a window exactly when late labels or a rescore changed
 * those.
 */
public final class PerformanceRecords {
  public static final StructType SCHEMA =
      new StructType()
          .add("model_name", StringType, false)
          .add("model_version", LongType, false)
          .add("window_start", DateType, false)
          .add("window_end", DateType, false)
          .add("granularity", StringType, false)
          .add("metric", StringType, false)
          .add("value", DoubleType, true)
          .add("label_count", LongType, false)
          .add("labels_landed_max_ts", TimestampType, true)
          .add("scores_fingerprint", LongType, false)
          .add("labels_table", StringType, false)
          .add("labels_version", LongType, false)
          .add("run_id", StringType, false)
          .add("created_ts", TimestampType, false);

  /**
   * What a window's metrics were computed from; equal states give equal metrics.
   *
   * @param labelCount the scored rows with a landed label
   * @param landedMax the newest landing time among them (empty without labels)
   * @param scoresFingerprint a hash of the window's scoring run ids (a rescore changes it)
   */
  public record LabelState(long labelCount, Optional<Instant> landedMax, long scoresFingerprint) {}

  private PerformanceRecords() {}

  /** A row of one metric; NaN and infinities (an undefined metric) are stored as null. */
  public static Row row(
      String model,
      long version,
      Window window,
      String metric,
      double value,
      LabelState state,
      String labelsTable,
      long labelsVersion,
      String runId,
      Instant at) {
    return RowFactory.create(
        model,
        version,
        Date.valueOf(window.start()),
        Date.valueOf(window.end()),
        window.granularity(),
        metric,
        Double.isFinite(value) ? value : null,
        state.labelCount(),
        state.landedMax().map(Timestamp::from).orElse(null),
        state.scoresFingerprint(),
        labelsTable,
        labelsVersion,
        runId,
        Timestamp.from(at));
  }

  /** The state a stored row was computed from. */
  public static LabelState stateOf(Row r) {
    Timestamp landed = r.getAs("labels_landed_max_ts");
    return new LabelState(
        r.<Long>getAs("label_count"),
        Optional.ofNullable(landed).map(Timestamp::toInstant),
        r.<Long>getAs("scores_fingerprint"));
  }
}
