/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Spark settings Sluice applies to its session.
 *
 * @param master used only when spark-submit did not set {@code spark.master}
 * @param shufflePartitions {@code spark.sql.shuffle.partitions}
 * @param conf extra Spark settings
 * @param hadoop Hadoop settings ({@code fs.s3a.*} and the like)
 */
public record SparkSettings(
    String master, int shufflePartitions, Map<String, String> conf, Map<String, String> hadoop) {
  public SparkSettings {
    requireNonNull(master, "master is null");
    conf = Map.copyOf(requireNonNull(conf, "conf is null"));
    hadoop = Map.copyOf(requireNonNull(hadoop, "hadoop is null"));
  }

  static SparkSettings from(ConfigReader sluice) {
    ConfigReader spark = sluice.section("spark");
    return new SparkSettings(
        spark.nonEmptyString("master", "local[*]"),
        spark.positiveInt("shuffle-partitions"),
        spark.stringMap("conf"),
        sluice.stringMap("hadoop"));
  }
}
