/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.job;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.error.PipelineErrors;
import dev.sluice.table.LakeFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease on a run key, held in a lock file under the lake root while an attempt runs, so a second
 * concurrent attempt of the same run key fails fast and names the running one.
 *
 * <p>The holder renews the lease every heartbeat. A lock whose lease ran out, or whose holder is a
 * process on this host that no longer exists, belongs to a crashed attempt and is taken over.
 * Creating the file is atomic on local disks (O_EXCL) and HDFS; on S3 it is a best effort (S3A has
 * no create-if-absent), which is documented in docs/job-contract.md.
 */
public final class RunLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileSystem fs;
  private final Path path;
  private final RunContext run;
  private final long leaseMs;
  private final ScheduledExecutorService heartbeat;

  private RunLock(FileSystem fs, Path path, RunContext run, long heartbeatMs, long leaseMs) {
    this.fs = fs;
    this.path = path;
    this.run = run;
    this.leaseMs = leaseMs;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-lock-heartbeat");
              t.setDaemon(true);
              return t;
            });
    heartbeat.scheduleAtFixedRate(this::renew, heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lock of {@code run.runKey()} in {@code locksDir}, or fails with the running attempt
   * named.
   */
  public static RunLock acquire(
      FileSystem fs, Path locksDir, RunContext run, long heartbeatMs, long leaseMs) {
    requireNonNull(run, "run is null");
    Path path = new Path(locksDir, run.runKey().fileName() + ".lock");
    for (int attempt = 0; attempt < 2; attempt++) {
      if (tryCreate(fs, path, holder(run, leaseMs))) {
        return new RunLock(fs, path, run, heartbeatMs, leaseMs);
      }
      Optional<ObjectNode> existing = readQuietly(fs, path);
      if (existing.isPresent() && !isStale(existing.get())) {
        throw PipelineErrors.runKeyLocked(run.runKey().value(), describe(existing.get()));
      }
      if (existing.isEmpty() && modifiedWithin(fs, path, leaseMs)) {
        throw PipelineErrors.runKeyLocked(
            run.runKey().value(), "an attempt that is just starting (lock file " + path + ")");
      }
      LOG.warn(
          "Taking over the lock of {} from a crashed attempt: {}",
          run.runKey(),
          existing.map(RunLock::describe).orElse("unreadable lock file"));
      LakeFiles.delete(fs, path);
    }
    throw PipelineErrors.runKeyLocked(run.runKey().value(), "another attempt took it meanwhile");
  }

  @Override
  public void close() {
    heartbeat.shutdown();
    try {
      // A renewal in flight must finish first, or it could write the lock back after the delete.
      if (!heartbeat.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("The lock heartbeat of {} did not stop", run.runKey());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Optional<ObjectNode> current = readQuietly(fs, path);
    if (current.isPresent() && run.runId().equals(current.get().path("run_id").asText())) {
      LakeFiles.delete(fs, path);
    }
  }

  private void renew() {
    try {
      LakeFiles.writeJson(fs, path, holder(run, leaseMs));
    } catch (UncheckedIOException e) {
      LOG.warn("Cannot renew the lock of {}: {}", run.runKey(), e.getMessage());
    }
  }

  static boolean isStale(ObjectNode holder) {
    Instant expires = Instant.parse(holder.path("expires_at").asText(Instant.EPOCH.toString()));
    if (Instant.now().isAfter(expires)) {
      return true;
    }
    boolean sameHost = hostName().equals(holder.path("host").asText());
    long pid = holder.path("pid").asLong(-1);
    return sameHost && pid > 0 && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  private static ObjectNode holder(RunContext run, long leaseMs) {
    ObjectNode node = JSON.createObjectNode();
    node.put("run_id", run.runId());
    node.put("run_key", run.runKey().value());
    node.put("job", run.job());
    node.put("host", hostName());
    node.put("pid", ProcessHandle.current().pid());
    node.put("started_at", run.startedAt().toString());
    node.put("expires_at", Instant.now().plusMillis(leaseMs).toString());
    return node;
  }

  private static String describe(ObjectNode holder) {
    return String.format(
        "run_id %s (pid %s on %s, started %s, lease until %s)",
        holder.path("run_id").asText(),
        holder.path("pid").asText(),
        holder.path("host").asText(),
        holder.path("started_at").asText(),
        holder.path("expires_at").asText());
  }

  private static boolean tryCreate(FileSystem fs, Path path, ObjectNode content) {
    try {
      fs.mkdirs(path.getParent());
      if ("file".equals(fs.getUri().getScheme())) {
        // Hadoop's local file system checks and then creates; O_EXCL makes the create atomic.
        Files.write(
            Paths.get(fs.makeQualified(path).toUri()),
            LakeFiles.bytes(content),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        return true;
      }
      try (OutputStream out = fs.create(path, false)) {
        out.write(LakeFiles.bytes(content));
      }
      return true;
    } catch (FileAlreadyExistsException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the lock file " + path, e);
    }
  }

  private static boolean modifiedWithin(FileSystem fs, Path path, long leaseMs) {
    try {
      return System.currentTimeMillis() - fs.getFileStatus(path).getModificationTime() < leaseMs;
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stat the lock file " + path, e);
    }
  }

  /** A lock file being written by a racing attempt may be unreadable for a moment. */
  private static Optional<ObjectNode> readQuietly(FileSystem fs, Path path) {
    try {
      return LakeFiles.readJson(fs, path);
    } catch (UncheckedIOException e) {
      LOG.warn("Unreadable lock file {}: {}", path, e.getMessage());
      return Optional.empty();
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
