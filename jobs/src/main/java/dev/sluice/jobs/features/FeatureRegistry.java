/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import dev.sluice.features.Aggregation;
import dev.sluice.features.FeatureDefinition;
import dev.sluice.features.FeatureGroup;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.SluiceTables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code feature_registry} table: one row per feature definition version. A feature's version
 * starts at 1 and increments whenever its definition hash changes; the newest version of each
 * (group, feature) is the current definition.
 */
public final class FeatureRegistry {
  static final StructType SCHEMA =
      createStructType(
          List.of(
              createStructField("feature_group", StringType, false),
              createStructField("feature", StringType, false),
              createStructField("expression", StringType, false),
              createStructField("aggregation", StringType, false),
              createStructField("window_days", IntegerType, true),
              createStructField("dtype", StringType, false),
              createStructField("definition_hash", StringType, false),
              createStructField("version", IntegerType, false),
              createStructField("description", StringType, false),
              createStructField("owner", StringType, false),
              createStructField("source_table", StringType, false),
              createStructField("entity_keys", StringType, false),
              createStructField("run_id", StringType, false),
              createStructField("registered_ts", TimestampType, false)));

  /** The newest definition version of a feature. */
  public record Definition(int version, String definitionHash, String dtype) {}

  private FeatureRegistry() {}

  /** The newest definition of every feature in {@code registry}, keyed by {@code group.feature}. */
  public static Map<String, Definition> current(Dataset<Row> registry) {
    Map<String, Definition> newest = new HashMap<>();
    for (Row r :
        registry
            .select(
                col("feature_group"),
                col("feature"),
                col("version"),
                col("definition_hash"),
                col("dtype"))
            .collectAsList()) {
      String key = r.getString(0) + "." + r.getString(1);
      Definition seen = newest.get(key);
      if (seen == null || r.getInt(2) > seen.version()) {
        newest.put(key, new Definition(r.getInt(2), r.getString(3), r.getString(4)));
      }
    }
    return newest;
  }

  /**
   * Records new and changed definitions in one commit; returns the current version of every
   * feature, keyed by {@code group.feature}.
   */
  static Map<String, Integer> update(
      JobEnv env, List<FeatureGroup> groups, Map<String, DataType> types, JobResult result) {
    Lakehouse lake = env.lake();
    Map<String, Integer> versions = new HashMap<>();
    Map<String, String> hashes = new HashMap<>();
    if (lake.exists(SluiceTables.FEATURE_REGISTRY)) {
      current(lake.read(SluiceTables.FEATURE_REGISTRY))
          .forEach(
              (key, definition) -> {
                versions.put(key, definition.version());
                hashes.put(key, definition.definitionHash());
              });
    }
    List<Row> changed = new ArrayList<>();
    for (FeatureGroup group : groups) {
      for (FeatureDefinition f : group.features()) {
        String key = f.qualifiedName();
        String hash = group.definitionHash(f);
        if (hash.equals(hashes.get(key))) {
          continue;
        }
        int version = versions.getOrDefault(key, 0) + 1;
        versions.put(key, version);
        changed.add(row(env, group, f, hash, version, types.get(key)));
      }
    }
    if (!changed.isEmpty()) {
      result.output(
          DeltaWriter.append(
              lake,
              SluiceTables.FEATURE_REGISTRY,
              env.spark().createDataFrame(changed, SCHEMA).coalesce(1),
              env.run().commitTag()));
      result.metric("features.new_versions", changed.size());
    }
    return Map.copyOf(versions);
  }

  private static Row row(
      JobEnv env,
      FeatureGroup group,
      FeatureDefinition f,
      String hash,
      int version,
      DataType type) {
    return RowFactory.create(
        group.name(),
        f.name(),
        f.expression(),
        f.aggregation().map(Aggregation::configName).orElse("row"),
        f.windowDays().orElse(null),
        type.simpleString(),
        hash,
        version,
        f.description(),
        group.owner(),
        group.source(),
        String.join(",", group.entityKeys()),
        env.run().runId(),
        Timestamp.from(Instant.now()));
  }
}
