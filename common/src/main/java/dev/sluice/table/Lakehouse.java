/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.table;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.LakeConfig;
import dev.sluice.config.SourceConfig;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaHistoryManager;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.actions.CommitInfo;
import org.apache.spark.sql.delta.util.FileNames;
import scala.Option;

/**
 * The tables under the lake root, addressed by {@link TableId}. All paths go through the Hadoop
 * FileSystem API, so {@code file:} and {@code s3a:} roots behave the same.
 */
public final class Lakehouse {
  /** Sluice's own files (locks, markers, catalog folder) live below this folder of the root. */
  public static final String SYSTEM_DIR = "_sluice";

  private final SparkSession spark;
  private final LakeConfig lake;
  private final Map<String, URI> sourceLocations;

  public Lakehouse(SparkSession spark, LakeConfig lake, List<SourceConfig> sources) {
    this.spark = requireNonNull(spark, "spark is null");
    this.lake = requireNonNull(lake, "lake is null");
    this.sourceLocations =
        sources.stream()
            .filter(s -> s.location().isPresent())
            .collect(
                Collectors.toUnmodifiableMap(SourceConfig::table, s -> s.location().orElseThrow()));
  }

  public SparkSession spark() {
    return spark;
  }

  public LakeConfig config() {
    return lake;
  }

  /** The table's location: a configured source location, else its folder under the root. */
  public String location(TableId table) {
    URI explicit = sourceLocations.get(table.name());
    return explicit != null ? explicit.toString() : child(table.name()).toString();
  }

  /** Tables whose location is set explicitly in sluice.sources (outside the root). */
  public Map<String, URI> externalLocations() {
    return sourceLocations;
  }

  /** {@code database.table}, as users query it. */
  public String qualifiedName(TableId table) {
    return lake.database() + "." + table.name();
  }

  public Path root() {
    return new Path(lake.root());
  }

  public Path child(String... parts) {
    Path path = root();
    for (String part : parts) {
      path = new Path(path, part);
    }
    return path;
  }

  public Path systemPath(String... parts) {
    Path path = child(SYSTEM_DIR);
    for (String part : parts) {
      path = new Path(path, part);
    }
    return path;
  }

  public FileSystem fileSystem() {
    return fileSystem(root());
  }

  public FileSystem fileSystem(Path path) {
    try {
      return path.getFileSystem(spark.sessionState().newHadoopConf());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the file system of " + path, e);
    }
  }

  public boolean exists(TableId table) {
    return DeltaTable.isDeltaTable(spark, location(table));
  }

  public Dataset<Row> read(TableId table) {
    return spark.read().format("delta").load(location(table));
  }

  public Dataset<Row> readAt(TableId table, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(location(table));
  }

  /** The commits still in the table's Delta log, newest first. */
  public List<Commit> history(TableId table) {
    return commits(DeltaTable.forPath(spark, location(table)).history());
  }

  private static List<Commit> commits(Dataset<Row> history) {
    return history
        .select("version", "timestamp", "operation", "userMetadata")
        .collectAsList()
        .stream()
        .map(
            r ->
                new Commit(
                    r.getLong(0),
                    r.getTimestamp(1).toInstant(),
                    r.getString(2),
                    r.isNullAt(3) ? "" : r.getString(3)))
        .toList();
  }

  /**
   * The newest version of a table, from its Delta log on the driver: {@code DeltaTable.history}
   * would run a Spark job to read the same commit file.
   */
  public TableVersion latest(TableId table) {
    long version = newestVersion(deltaLog(table));
    if (version < 0) {
      throw new IllegalStateException(table + " is not a Delta table at " + location(table));
    }
    return new TableVersion(table.name(), version);
  }

  /**
   * The versions whose commit files are still in the table's Delta log, newest first, listed on the
   * driver (what {@link #history} lists, without its Spark job); empty without a log.
   */
  public List<Long> versions(TableId table) {
    Path logPath = deltaLog(table).logPath();
    try {
      FileSystem fs = fileSystem(logPath);
      if (!fs.exists(logPath)) {
        return List.of();
      }
      return Arrays.stream(fs.listStatus(logPath))
          .map(status -> status.getPath())
          .filter(FileNames::isDeltaFile)
          .map(FileNames::deltaVersion)
          .sorted(Comparator.reverseOrder())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the Delta log at " + logPath, e);
    }
  }

  /**
   * The newest version among the table's latest {@code newest} commits whose commit info carries
   * {@code userMetadata}, read on the driver commit file by commit file, newest first.
   */
  public OptionalLong versionTagged(TableId table, String userMetadata, int newest) {
    DeltaLog log = deltaLog(table);
    long latest = newestVersion(log);
    Configuration conf = log.newDeltaHadoopConf();
    for (long version = latest; version >= 0 && version > latest - newest; version--) {
      Option<CommitInfo> info =
          DeltaHistoryManager.getCommitInfoOpt(
              log.store(), FileNames.unsafeDeltaFile(log.logPath(), version), conf);
      if (info.isDefined() && info.get().userMetadata().contains(userMetadata)) {
        return OptionalLong.of(version);
      }
    }
    return OptionalLong.empty();
  }

  /**
   * Builds the table's current Delta state (its log replayed into the list of files, which Delta
   * caches with the snapshot) ahead of a write in this driver, so the write's file filtering and
   * conflict checks find it ready instead of replaying the log first; nothing when the table does
   * not exist yet. A job calls this on another thread while it computes what it will write.
   */
  public void loadState(TableId table) {
    if (exists(table)) {
      deltaLog(table).update(false, Option.empty(), Option.empty()).numOfFiles();
    }
  }

  private DeltaLog deltaLog(TableId table) {
    return DeltaLog.forTable(spark, location(table));
  }

  /** The version of the log's newest commit after listing it again; -1 without a log. */
  private static long newestVersion(DeltaLog log) {
    return log.update(false, Option.empty(), Option.empty()).version();
  }

  /** Lists the Delta tables directly under the root (folders holding a _delta_log). */
  public List<TableId> tablesUnderRoot() {
    FileSystem fs = fileSystem();
    try {
      if (!fs.exists(root())) {
        return List.of();
      }
      return Arrays.stream(fs.listStatus(root()))
          .filter(status -> status.isDirectory())
          .map(status -> status.getPath().getName())
          .filter(name -> name.matches("[a-z][a-z0-9_]*"))
          .filter(name -> exists(fs, new Path(child(name), "_delta_log")))
          .map(TableId::of)
          .sorted(Comparator.comparing(TableId::name))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the lake root " + root(), e);
    }
  }

  private static boolean exists(FileSystem fs, Path path) {
    try {
      return fs.exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check " + path, e);
    }
  }

  /** One commit of a Delta table's log. */
  public record Commit(long version, Instant timestamp, String operation, String userMetadata) {}
}
