/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.table;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the lake's tables in the session catalog as database {@code sluice}, so that {@code
 * SELECT ... FROM sluice.snapshots} works in any process.
 *
 * <p>The lake root itself is the catalog: every Sluice process registers the Delta tables it finds
 * under the root (and the configured external sources) when it starts. Nothing is shared between
 * processes but the Delta logs, so a job, {@code sluice sql} and a notebook can run at once with no
 * metastore lock (an embedded Derby metastore admits one JVM). When the session runs with a Hive
 * metastore ({@code spark.sql.catalogImplementation=hive}) the same statements register the tables
 * there, idempotently.
 */
public final class LakeCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(LakeCatalog.class);

  private final Lakehouse lake;
  private final Set<String> registered = new HashSet<>();
  private boolean databaseReady;

  public LakeCatalog(Lakehouse lake) {
    this.lake = requireNonNull(lake, "lake is null");
  }

  /** Creates the database and registers every table under the root and every external source. */
  public List<TableId> registerAll() {
    Set<TableId> tables = new TreeSet<>(Comparator.comparing(TableId::name));
    tables.addAll(lake.tablesUnderRoot());
    lake.externalLocations().keySet().stream()
        .map(TableId::of)
        .filter(lake::exists)
        .forEach(tables::add);
    tables.forEach(this::register);
    LOG.info("Registered {} tables in database {}", tables.size(), lake.config().database());
    return List.copyOf(tables);
  }

  /** Registers one table (after a job created it); a no-op when it is registered already. */
  public void register(TableId table) {
    ensureDatabase();
    String name = lake.qualifiedName(table);
    if (registered.contains(name)) {
      return;
    }
    SparkSession spark = lake.spark();
    String location = lake.location(table);
    if (spark.catalog().tableExists(name)) {
      if (sameLocation(registeredLocation(name), location)) {
        registered.add(name);
        return;
      }
      // The name points at another lake (another root in this process): re-point it. The table
      // is external, so dropping the entry leaves the data alone.
      spark.sql("DROP TABLE " + name);
    }
    spark.sql(
        String.format(
            "CREATE TABLE IF NOT EXISTS %s USING delta LOCATION '%s'", name, escape(location)));
    registered.add(name);
  }

  private void ensureDatabase() {
    if (databaseReady) {
      return;
    }
    SparkSession spark = lake.spark();
    spark.sql(
        String.format(
            "CREATE DATABASE IF NOT EXISTS %s LOCATION '%s'",
            lake.config().database(), escape(lake.systemPath("catalog").toString())));
    databaseReady = true;
  }

  /**
   * The location the session catalog holds for {@code name}: catalog metadata, no Delta log read.
   */
  private String registeredLocation(String name) {
    SparkSession spark = lake.spark();
    try {
      TableIdentifier id = spark.sessionState().sqlParser().parseTableIdentifier(name);
      return spark.sessionState().catalog().getTableMetadata(id).location().toString();
    } catch (AnalysisException e) { // it existed a moment ago: another session dropped it
      return "";
    }
  }

  private static boolean sameLocation(String a, String b) {
    return normalize(a).equals(normalize(b));
  }

  private static String normalize(String location) {
    String path = location.replaceFirst("^file:/+", "/");
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("'", "\\'");
  }
}
