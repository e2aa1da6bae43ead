/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.sample;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sluice.config.SampleConfig;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The sample's churn-like data, as pure functions of an id range and the sample parameters.
 * Randomness comes from xxhash64 of (seed, ids, a salt), never from rand(), so the same seed gives
 * the same rows whatever the partitioning.
 *
 * <p>Each customer has a hidden engagement in [0, 1): engaged customers are active more often, buy
 * more, have longer sessions and churn less. That is the signal later stages learn. Built-in
 * trouble: from {@code drift-day}, session_minutes shifts upwards and device 'smart_tv' appears; a
 * {@code malformed-share} of activity rows has a null customer_id or a negative amount.
 */
final class SampleTransforms {
  /** The day (0-based, from the start date) a row is appended on. */
  static final String APPEND_DAY = "_append_day";

  /** Days of activity before the start for customers who signed up earlier (the longest window). */
  static final int HISTORY_DAYS = 28;

  private static final double TWO_TO_53 = 9007199254740992.0;

  private SampleTransforms() {}

  /** Uniform in [0, 1), determined by the seed, the salt and the keys. */
  static Column uniform(long seed, int salt, Column... keys) {
    Column[] parts = new Column[keys.length + 2];
    parts[0] = lit(seed);
    parts[1] = lit(salt);
    System.arraycopy(keys, 0, parts, 2, keys.length);
    return xxhash64(parts)
        .bitwiseAND(lit((1L << 53) - 1))
        .cast(DataTypes.DoubleType)
        .divide(TWO_TO_53);
  }

  /**
   * Customers with their hidden traits: {@code ids} is a range of customer numbers ("id"). Columns:
   * customer_id, signup_date, plan, region, age, cancel_date (the day the customer churned; null:
   * no churn within the sample), and the hidden _engagement, _churn_day (cancel_date as a day
   * number) and _append_day. The sample writes cancel_date with the signup row; a real customers
   * table would set it on cancellation.
   */
  static Dataset<Row> customers(Dataset<Row> ids, SampleConfig p) {
    Column id = col("id");
    Column existing = uniform(p.seed(), 1, id).lt(0.7);
    Column signupDay =
        when(existing, lit(0))
            .otherwise(floor(uniform(p.seed(), 2, id).multiply(p.days() - 1)).plus(1));
    Column engagement = uniform(p.seed(), 6, id);
    Column planU = uniform(p.seed(), 3, id);
    Column plan =
        when(planU.lt(0.55), "basic").when(planU.lt(0.85), "standard").otherwise("premium");
    // Churn within the sample: likelier for disengaged customers, less likely on premium.
    Column churnProbability =
        lit(0.08)
            .plus(lit(0.55).multiply(pow(lit(1.0).minus(engagement), 2)))
            .multiply(when(plan.equalTo("premium"), 0.6).otherwise(1.0));
    Column churnDay =
        when(
            uniform(p.seed(), 7, id).lt(churnProbability),
            col(APPEND_DAY)
                .plus(1)
                .plus(
                    floor(
                        uniform(p.seed(), 8, id).multiply(lit(p.days()).minus(col(APPEND_DAY))))));
    return ids.withColumn(APPEND_DAY, signupDay.cast(DataTypes.IntegerType))
        .withColumn("_engagement", engagement)
        .withColumn("_churn_day", churnDay.cast(DataTypes.IntegerType))
        .select(
            format_string("C%07d", id).as("customer_id"),
            when(
                    existing,
                    date_add(
                        lit(p.startDate()),
                        floor(uniform(p.seed(), 2, id).multiply(-720)).cast("int")))
                .otherwise(date_add(lit(p.startDate()), col(APPEND_DAY)))
                .as("signup_date"),
            plan.as("plan"),
            element_at(
                    array(lit("north"), lit("south"), lit("east"), lit("west"), lit("central")),
                    floor(uniform(p.seed(), 4, id).multiply(5)).plus(1).cast("int"))
                .as("region"),
            floor(uniform(p.seed(), 5, id).multiply(60)).plus(18).cast("int").as("age"),
            // The day the customer cancelled (no activity from then on); null while a customer.
            date_add(lit(p.startDate()), col("_churn_day")).as("cancel_date"),
            id.as("_id"),
            col("_engagement"),
            col("_churn_day"),
            col(APPEND_DAY));
  }

  /**
   * Activity events of active customers per day: {@code days} is a range of day numbers ("id"),
   * from {@code -}{@link #HISTORY_DAYS}: customers who signed up before the start come with that
   * much history, appended with day 0, so features over 28 days are complete from the first
   * observation on (as the scored days' are). Columns: event_id, customer_id, event_ts, event_date,
   * event_type, amount, session_minutes, device, _append_day.
   */
  static Dataset<Row> activity(Dataset<Row> customers, Dataset<Row> days, SampleConfig p) {
    long startEpoch = p.startDate().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    Column id = col("_id");
    Column day = col("day");
    Column e = col("_engagement");
    Dataset<Row> active =
        customers
            .crossJoin(days.withColumnRenamed("id", "day"))
            // From the signup day on: customers who signed up before the start have history.
            .where(day.geq(datediff(col("signup_date"), lit(p.startDate()))))
            .where(col("_churn_day").isNull().or(day.lt(col("_churn_day"))))
            .withColumn(
                "n", floor(uniform(p.seed(), 10, id, day).multiply(lit(0.3).plus(e.multiply(2.0)))))
            .where(col("n").gt(0))
            .withColumn("k", explode(sequence(lit(1L), col("n"))));
    Column k = col("k");
    Column typeU = uniform(p.seed(), 11, id, day, k);
    Column eventType =
        when(typeU.lt(0.05).and(e.lt(0.4)), "support_ticket")
            .when(typeU.lt(0.55), "login")
            .when(typeU.lt(0.85), "page_view")
            .when(typeU.lt(0.97), "purchase")
            .otherwise("support_ticket");
    Column drifted = day.geq(p.driftDay());
    Column minutes =
        lit(2.0)
            .plus(e.multiply(35).multiply(uniform(p.seed(), 12, id, day, k)))
            .plus(uniform(p.seed(), 13, id, day, k).multiply(5));
    Column deviceU = uniform(p.seed(), 14, id, day, k);
    Column device =
        when(drifted.and(deviceU.lt(0.12)), "smart_tv")
            .when(deviceU.lt(0.50), "web")
            .when(deviceU.lt(0.78), "ios")
            .otherwise("android");
    Column amount =
        when(
                col("event_type").equalTo("purchase"),
                round(lit(4.0).plus(exp(uniform(p.seed(), 15, id, day, k).multiply(4.0))), 2))
            .otherwise(0.0);
    Column malformedU = uniform(p.seed(), 16, id, day, k);
    Column malformed = malformedU.lt(p.malformedShare());
    return active
        .withColumn("event_type", eventType)
        .select(
            format_string("E%07d-%03d-%d", id, day, k).as("event_id"),
            when(malformed.and(malformedU.lt(p.malformedShare() / 2)), lit(null).cast("string"))
                .otherwise(col("customer_id"))
                .as("customer_id"),
            timestamp_seconds(
                    lit(startEpoch)
                        .plus(day.multiply(86_400))
                        .plus(floor(uniform(p.seed(), 17, id, day, k).multiply(86_400))))
                .as("event_ts"),
            date_add(lit(p.startDate()), day.cast("int")).as("event_date"),
            col("event_type"),
            when(
                    malformed.and(malformedU.geq(p.malformedShare() / 2)),
                    abs(amount).plus(1.0).multiply(-1))
                .otherwise(amount)
                .as("amount"),
            round(when(drifted, minutes.multiply(1.6).plus(5.0)).otherwise(minutes), 2)
                .as("session_minutes"),
            device.as("device"),
            greatest(day, lit(0)).cast("int").as(APPEND_DAY));
  }

  /**
   * Weekly churn labels: for each customer signed up before and active on an observation day (every
   * 7th day), whether it churned within the label horizon. A label lands {@code label-delay-days}
   * after its horizon ends; only labels that landed within the sample are kept. Columns:
   * customer_id, observation_date, churned (0/1), landed_ts, _append_day.
   */
  static Dataset<Row> labels(Dataset<Row> customers, Dataset<Row> days, SampleConfig p) {
    long startEpoch = p.startDate().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    Column obs = col("obs_day");
    Column landDay = obs.plus(p.labelHorizonDays() + p.labelDelayDays());
    return customers
        .crossJoin(days.withColumnRenamed("id", "obs_day"))
        .where(obs.gt(0).and(obs.mod(SampleConfig.OBSERVATION_EVERY_DAYS).equalTo(0)))
        .where(landDay.lt(p.days()))
        .where(col(APPEND_DAY).lt(obs))
        .where(col("_churn_day").isNull().or(col("_churn_day").gt(obs)))
        .select(
            col("customer_id"),
            date_add(lit(p.startDate()), obs.cast("int")).as("observation_date"),
            when(col("_churn_day").leq(obs.plus(p.labelHorizonDays())), 1)
                .otherwise(0)
                .as("churned"),
            timestamp_seconds(
                    lit(startEpoch)
                        .plus(landDay.multiply(86_400))
                        .plus(
                            floor(uniform(p.seed(), 20, col("_id"), obs).multiply(3_600))
                                .plus(6 * 3_600)))
                .as("landed_ts"),
            landDay.cast("int").as(APPEND_DAY));
  }
}
