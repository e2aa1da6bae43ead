/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM: local[2], UI off, Delta on, 2 shuffle partitions, UTC, a
 * temporary warehouse. Created on first use, stopped when the JVM exits.
 */
public final class SharedSpark {
  private static SparkSession session;
  private static Path warehouse;

  private SharedSpark() {}

  public static synchronized SparkSession get() {
    if (session == null) {
      try {
        warehouse = Files.createTempDirectory("sluice-test-warehouse");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("sluice-tests")
              .config("spark.ui.enabled", false)
              .config("spark.ui.showConsoleProgress", false)
              .config("spark.sql.shuffle.partitions", 2)
              .config("spark.default.parallelism", 2)
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
              .config(
                  "spark.sql.catalog.spark_catalog",
                  "org.apache.spark.sql.delta.catalog.DeltaCatalog")
              .config("spark.databricks.delta.snapshotPartitions", 2)
              // As SparkSessions sets it for `./sluice`: no state reconstruction after each commit.
              .config("spark.databricks.delta.allFilesInCrc.enabled", false)
              // Tiny data: re-planning each stage (AQE), compiling a class per query plan
              // (whole-stage code generation) and generating and compiling code for each
              // operator's expressions in every task cost more than they save (TestSqlCommand and
              // TestFeaturesBuildJob: 136 s with all, 114 s without the first two; warm score,
              // canary analyze and drift runs on the tiny lake: 11.5, 5.7 and 7.9 s with
              // expression code generation, 9.5, 4.0 and 6.1 s interpreted). Results do not
              // depend on either; `./sluice` keeps Spark's defaults.
              .config("spark.sql.adaptive.enabled", false)
              .config("spark.sql.codegen.wholeStage", false)
              .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
              // VACUUM lists files with this many tasks (Spark's default: 10000).
              .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", 2)
              .config("spark.sql.warehouse.dir", warehouse.toUri().toString())
              .config("spark.databricks.delta.retentionDurationCheck.enabled", false)
              .getOrCreate();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    session.stop();
                    deleteQuietly(warehouse);
                  }));
    }
    return session;
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("Cannot delete " + dir + ": " + e.getMessage());
    }
  }
}
