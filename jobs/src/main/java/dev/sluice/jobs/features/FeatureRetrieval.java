/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.error.PipelineErrors;
import dev.sluice.features.FeatureDefinitions;
import dev.sluice.features.FeatureGroup;
import dev.sluice.features.FeatureSource;
import dev.sluice.features.FeatureTransforms;
import dev.sluice.features.PointInTimeJoin;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.TableId;
import dev.sluice.table.TableVersion;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Feature values as of a timestamp, for training sets and for scoring alike: each named {@code
 * group.feature} is read from its group's feature table at the version current when the job starts
 * and attached to observation rows with {@link PointInTimeJoin} within the group's TTL. The output
 * columns are {@code group__feature}. A table built under another definition hash than its group's
 * current one is refused by {@link #checkDefinitions()}, which callers run before they write
 * anything derived from the join.
 *
 * @param groups each group's table, read at its version
 * @param date the logical date, for the messages naming the command that rebuilds a table
 */
public record FeatureRetrieval(List<GroupRead> groups, LocalDate date) {

  /** One feature group's table, read at its version, and the features taken from it. */
  public record GroupRead(
      FeatureGroup group,
      TableVersion version,
      Dataset<Row> rows,
      List<String> features,
      String entity) {
    FeatureSource source(Dataset<Row> rows) {
      return FeatureSource.of(
              group.name(), rows, group.entityKeys(), FeatureTransforms.EVENT_TS, features)
          .withObservationKeys(List.of(entity))
          .withTtl(Duration.ofDays(group.ttlDays()))
          .withTiebreak(List.of("_run_id"));
    }
  }

  /**
   * The sources of {@code features} for observations keyed by {@code entity}; records each table
   * version read in {@code result}. The definitions are not checked yet: see {@link
   * #checkDefinitions()}.
   *
   * @param date the logical date, for the messages naming the command that rebuilds a table
   */
  public static FeatureRetrieval of(
      JobEnv env, List<String> features, String entity, LocalDate date, JobResult result) {
    Lakehouse lake = env.lake();
    Map<String, FeatureGroup> groups =
        FeatureDefinitions.parse(env.config().reader()).stream()
            .collect(Collectors.toMap(FeatureGroup::name, g -> g));
    Map<String, List<String>> byGroup = new LinkedHashMap<>();
    for (String f : features) {
      String[] parts = f.split("\\.");
      FeatureGroup group = groups.get(parts[0]);
      if (group == null || group.features().stream().noneMatch(d -> d.name().equals(parts[1]))) {
        throw PipelineErrors.invalidArgument(
            "--features", f, "is not a feature of sluice.features.groups");
      }
      byGroup.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
    }
    List<GroupRead> reads = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : byGroup.entrySet()) {
      FeatureGroup group = groups.get(e.getKey());
      TableId table = TableId.of(group.tableName());
      if (!lake.exists(table)) {
        throw PipelineErrors.upstreamMissing(
            String.format(
                "Feature table %s does not exist (run `sluice features build --date %s`)",
                table, date));
      }
      if (group.entityKeys().size() != 1) {
        throw PipelineErrors.invalidArgument(
            "--features", e.getKey(), "groups with several entity keys need a model conf mapping");
      }
      TableVersion version = lake.latest(table);
      Dataset<Row> rows = lake.readAt(table, version.version());
      result.input(version);
      reads.add(new GroupRead(group, version, rows, List.copyOf(e.getValue()), entity));
    }
    return new FeatureRetrieval(List.copyOf(reads), date);
  }

  /** The tables read, as {@code table@version}. */
  public List<String> featureTables() {
    return groups.stream().map(g -> g.version().toString()).toList();
  }

  /** The definition hash of each group read, in the order read. */
  public Map<String, String> definitionHashes() {
    Map<String, String> hashes = new LinkedHashMap<>();
    groups.forEach(g -> hashes.put(g.group().name(), g.group().groupHash()));
    return java.util.Collections.unmodifiableMap(hashes);
  }

  /**
   * Refuses (exit 4, upstream missing) a feature table holding rows built under another definition
   * hash than its group's current one: its values were computed by a definition that changed since.
   * One query per table; Delta skips every file whose statistics show only the current hash.
   */
  public void checkDefinitions() {
    for (GroupRead g : groups) {
      List<String> stale =
          g
              .rows()
              .where(col(FeatureTransforms.DEFINITION_HASH).notEqual(lit(g.group().groupHash())))
              .select(FeatureTransforms.DEFINITION_HASH)
              .distinct()
              .collectAsList()
              .stream()
              .map(r -> r.getString(0))
              .toList();
      if (!stale.isEmpty()) {
        throw PipelineErrors.upstreamMissing(
            String.format(
                "%s holds rows built under definition hash %s, but %s is now defined as %s"
                    + " (rebuild it: `sluice features build --from <first day> --to %s`)",
                g.version(), stale, g.group().name(), g.group().groupHash(), date));
      }
    }
  }

  /** The observations with the feature values valid at their {@code timestamp} column. */
  public Dataset<Row> join(Dataset<Row> observations, String timestamp) {
    return PointInTimeJoin.join(
        observations, timestamp, groups.stream().map(g -> g.source(g.rows())).toList());
  }

  /**
   * The same join when every observation timestamp is known to lie in {@code [earliest, latest]}
   * (scoring dates): each group's rows are first pruned to those that can serve such an
   * observation, {@code latest >= event_ts > earliest - ttl}, so a date's scoring reads a few days
   * of each feature table rather than its history. When all observations share one timestamp (one
   * score date) the plan is {@link PointInTimeJoin#joinAsOf}: each entity's winning row by one
   * aggregation and a hash join, no sort of the observations. The result is identical.
   */
  public Dataset<Row> join(
      Dataset<Row> observations, String timestamp, Instant earliest, Instant latest) {
    if (earliest.equals(latest)) {
      return PointInTimeJoin.joinAsOf(
          observations, latest, groups.stream().map(g -> g.source(g.rows())).toList());
    }
    List<FeatureSource> pruned = new ArrayList<>();
    for (GroupRead g : groups) {
      Instant from = earliest.minus(Duration.ofDays(g.group().ttlDays()));
      pruned.add(
          g.source(
              g.rows()
                  .where(
                      col(FeatureTransforms.EVENT_TS)
                          .gt(lit(Timestamp.from(from)))
                          .and(col(FeatureTransforms.EVENT_TS).leq(lit(Timestamp.from(latest)))))));
    }
    return PointInTimeJoin.join(observations, timestamp, pruned);
  }

  /** The column a feature {@code group.feature} gets in joined rows. */
  public static String column(String feature) {
    return feature.replace(".", "__");
  }
}
