/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.error.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestRunLock {
  private static final RunKey KEY =
      RunKey.of("snapshot", Optional.empty(), LocalDate.of(2026, 10, 30));

  @TempDir Path dir;
  private FileSystem fs;
  private org.apache.hadoop.fs.Path locks;

  @BeforeEach
  void setUp() throws Exception {
    fs = FileSystem.getLocal(new Configuration()).getRaw();
    locks = new org.apache.hadoop.fs.Path(dir.toUri());
  }

  @Test
  void secondAttemptFailsFastNamingTheFirst() {
    RunContext first = run();
    try (RunLock held = RunLock.acquire(fs, locks, first, 60_000, 120_000)) {
      assertThatThrownBy(() -> RunLock.acquire(fs, locks, run(), 60_000, 120_000))
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("Run key snapshot/2026-10-30 is already running")
          .hasMessageContaining(first.runId());
    }
  }

  @Test
  void releasedLockCanBeTakenAgain() {
    RunLock.acquire(fs, locks, run(), 60_000, 120_000).close();
    RunLock again = RunLock.acquire(fs, locks, run(), 60_000, 120_000);
    again.close();
    assertThat(Files.exists(dir.resolve(KEY.fileName() + ".lock"))).isFalse();
  }

  @Test
  void expiredLeaseOfACrashedHolderIsTakenOver() throws Exception {
    writeHolder("other-host", 12345, Instant.now().minusSeconds(5));

    try (RunLock lock = RunLock.acquire(fs, locks, run(), 60_000, 120_000)) {
      assertThat(lock).isNotNull();
    }
  }

  @Test
  void deadProcessOnThisHostIsTakenOverBeforeItsLeaseEnds() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    writeHolder(
        java.net.InetAddress.getLocalHost().getHostName(),
        gone.pid(),
        Instant.now().plusSeconds(600));

    try (RunLock lock = RunLock.acquire(fs, locks, run(), 60_000, 120_000)) {
      assertThat(lock).isNotNull();
    }
  }

  @Test
  void liveHolderOnAnotherHostBlocksUntilItsLeaseEnds() throws Exception {
    writeHolder("other-host", 12345, Instant.now().plusSeconds(600));

    assertThatThrownBy(() -> RunLock.acquire(fs, locks, run(), 60_000, 120_000))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("pid 12345 on other-host");
  }

  private void writeHolder(String host, long pid, Instant expires) throws Exception {
    ObjectNode node = new ObjectMapper().createObjectNode();
    node.put("run_id", "crashed-run");
    node.put("run_key", KEY.value());
    node.put("host", host);
    node.put("pid", pid);
    node.put("started_at", Instant.now().minusSeconds(900).toString());
    node.put("expires_at", expires.toString());
    Files.writeString(dir.resolve(KEY.fileName() + ".lock"), node.toString());
  }

  private static RunContext run() {
    return RunContext.start(
        "snapshot", KEY, Optional.of(LocalDate.of(2026, 10, 30)), "test", "hash");
  }
}
