/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.spark;

import dev.sluice.config.LakeConfig;
import dev.sluice.config.SparkSettings;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Creates (or joins) the one SparkSession of a Sluice process, with Delta and UTC set up. */
public final class SparkSessions {
  /** Generated classes Spark keeps compiled for reuse (its default is 100). */
  static final int CODEGEN_CACHE_ENTRIES = 1000;

  private SparkSessions() {}

  /**
   * Returns the running session (tests, the demo, a notebook) with Sluice's Hadoop settings
   * applied, or creates one. The master comes from spark-submit when it set one, else from {@code
   * sluice.spark.master}: a job never hard-codes it.
   */
  public static SparkSession getOrCreate(String appName, SparkSettings settings, LakeConfig lake) {
    Optional<SparkSession> running = active();
    if (running.isPresent()) {
      applyHadoop(running.get(), settings.hadoop());
      return running.get();
    }
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName(appName)
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", settings.shufflePartitions())
            .config("spark.ui.showConsoleProgress", false)
            // Spark keeps 100 of the classes it generated and compiled by default, fewer than one
            // `sluice score` compiles (about 160): a driver that runs jobs again (the demo, a
            // notebook) compiled nearly all of them anew each run, and the JIT warmed each new
            // class up again. A single run in a fresh JVM compiles as many either way.
            .config("spark.sql.codegen.cache.maxEntries", CODEGEN_CACHE_ENTRIES)
            // Delta 3.3 stores a small table's file list in each commit's checksum file and, to
            // verify that list, rebuilds the table's state with a Spark job after every commit.
            // Without the list a commit costs no extra job, and reads build the file list from
            // the log as they do for any larger table (sluice.spark.conf can turn it back on).
            .config("spark.databricks.delta.allFilesInCrc.enabled", false)
            .config(
                "spark.sql.warehouse.dir",
                new org.apache.hadoop.fs.Path(
                        new org.apache.hadoop.fs.Path(lake.root()), "_sluice/warehouse")
                    .toString());
    if (!new SparkConf().contains("spark.master")) {
      builder = builder.master(settings.master());
    }
    for (Map.Entry<String, String> e : settings.conf().entrySet()) {
      builder = builder.config(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, String> e : settings.hadoop().entrySet()) {
      builder = builder.config("spark.hadoop." + e.getKey(), e.getValue());
    }
    SparkSession spark = builder.getOrCreate();
    applyHadoop(spark, settings.hadoop());
    return spark;
  }

  private static Optional<SparkSession> active() {
    Optional<SparkSession> session = toJava(SparkSession.getActiveSession());
    return session.isPresent() ? session : toJava(SparkSession.getDefaultSession());
  }

  /**
   * Session-level Hadoop settings: Spark and Delta copy every session setting into the Hadoop
   * configuration they use for reads and writes (also on executors), so this works for a session
   * that was already running.
   */
  private static void applyHadoop(SparkSession spark, Map<String, String> hadoop) {
    hadoop.forEach((key, value) -> spark.conf().set(key, value));
  }

  private static <T> Optional<T> toJava(scala.Option<T> option) {
    return option.isDefined() ? Optional.of(option.get()) : Optional.empty();
  }
}
