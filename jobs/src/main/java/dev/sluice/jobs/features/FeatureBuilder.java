/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import dev.sluice.error.PipelineErrors;
import dev.sluice.features.FeatureDefinition;
import dev.sluice.features.FeatureDefinitions;
import dev.sluice.features.FeatureGroup;
import dev.sluice.features.FeatureTransforms;
import dev.sluice.features.FeatureValidator;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.jobs.quality.QualityRunner;
import dev.sluice.snapshot.SnapshotSet;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.TableId;
import dev.sluice.table.TableVersion;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;

/**
 * Builds every feature group for a range of event days from the pinned sources: the quality gate
 * first (exit 3), then definitions checked against the source schema (exit 2), the registry
 * updated, and one commit per feature table — a MERGE on (entity keys, event_ts), or a full rebuild
 * under the new hash when the group's definition changed.
 */
final class FeatureBuilder {
  /** The pipeline column naming the attempt that wrote a feature row. */
  static final String RUN_ID = "_run_id";

  private final JobEnv env;

  FeatureBuilder(JobEnv env) {
    this.env = env;
  }

  void build(
      SnapshotSet pins, LocalDate from, LocalDate to, boolean incremental, JobResult result) {
    List<FeatureGroup> groups = FeatureDefinitions.parse(env.config().reader());
    if (groups.isEmpty()) {
      throw PipelineErrors.missingConfig(
          "sluice.features.groups", "no feature groups are configured (see conf/features.conf)");
    }
    QualityRunner quality = new QualityRunner(env);
    quality.gate(pins, groups.stream().map(FeatureGroup::source).distinct().toList(), result);

    Lakehouse lake = env.lake();
    Map<String, DataType> types = new HashMap<>();
    List<Runnable> writes = new ArrayList<>();
    for (FeatureGroup group : groups) {
      Dataset<Row> source =
          quality.validRows(group.source(), pins.read(lake, TableId.of(group.source()), result));
      for (FeatureDefinition f : group.features()) {
        FeatureValidator.validate(group, f, source);
      }
      TableId table = TableId.of(group.tableName());
      Plan plan = plan(table, group, from, to, incremental);
      Dataset<Row> features =
          FeatureTransforms.dailyFeatures(source, group, plan.from(), plan.to())
              .withColumn(RUN_ID, lit(env.run().runId()));
      for (StructField field : features.schema().fields()) {
        types.put(group.name() + "." + field.name(), field.dataType());
      }
      if (plan.from().isAfter(plan.to())) {
        env.stages().stage("build-" + group.name(), table + " is up to date", () -> {});
        continue;
      }
      writes.add(() -> write(table, group, plan, features, result));
    }
    FeatureRegistry.update(env, groups, types, result);
    writes.forEach(Runnable::run);
    env.catalog().register(dev.sluice.table.SluiceTables.FEATURE_REGISTRY);
  }

  private void write(
      TableId table, FeatureGroup group, Plan plan, Dataset<Row> features, JobResult result) {
    String description =
        String.format(
            "%s %s for %s..%s",
            plan.rebuild() ? "rebuild" : "merge", table, plan.from(), plan.to());
    TableVersion written =
        env.stages()
            .stage(
                "build-" + group.name(),
                description,
                () -> {
                  List<String> keys = new ArrayList<>(group.entityKeys());
                  keys.add(FeatureTransforms.EVENT_TS);
                  return plan.rebuild()
                      ? DeltaWriter.overwrite(env.lake(), table, features, env.run().commitTag())
                      : DeltaWriter.merge(env.lake(), table, features, keys, env.run().commitTag());
                });
    result.output(written);
    env.catalog().register(table);
    result.metric(table.name() + ".days", plan.from().datesUntil(plan.to().plusDays(1)).count());
    result.metric(table.name() + ".definition_hash", group.groupHash());
  }

  /** Which event days to compute, and whether the table is rebuilt under a new definition. */
  private Plan plan(
      TableId table, FeatureGroup group, LocalDate from, LocalDate to, boolean incremental) {
    Lakehouse lake = env.lake();
    if (!lake.exists(table)) {
      return new Plan(from, to, false);
    }
    Dataset<Row> existing = lake.read(table);
    // One pass: the built range and whether any row was built under another definition.
    Row range =
        existing
            .agg(
                min(FeatureTransforms.EVENT_TS),
                max(FeatureTransforms.EVENT_TS),
                count(when(col(FeatureTransforms.DEFINITION_HASH).notEqual(group.groupHash()), 1)))
            .first();
    if (range.isNullAt(0)) {
      return new Plan(from, to, false);
    }
    LocalDate firstBuilt = day(range.getTimestamp(0));
    LocalDate lastBuilt = day(range.getTimestamp(1));
    boolean stale = range.getLong(2) > 0;
    if (stale) {
      // A changed definition recomputes the table's whole history under the new hash.
      LocalDate start = firstBuilt.isBefore(from) ? firstBuilt : from;
      LocalDate end = lastBuilt.isAfter(to) ? lastBuilt : to;
      return new Plan(start, end, true);
    }
    if (incremental) {
      LocalDate next = lastBuilt.plusDays(1);
      return new Plan(next.isAfter(from) ? next : from, to, false);
    }
    return new Plan(from, to, false);
  }

  /** The event day a feature row stands for: event_ts is the end of that day. */
  private static LocalDate day(Timestamp eventTs) {
    return eventTs.toInstant().atZone(ZoneOffset.UTC).toLocalDate().minusDays(1);
  }

  private record Plan(LocalDate from, LocalDate to, boolean rebuild) {}
}
