/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Tiny sample lakehouses for tests: 60 customers over 10 days, drift from day 6, labels that land
 * within the sample. {@link #shared()} is built once per test JVM for tests that only read it.
 */
public final class TinyLake {
  public static final LocalDate START = LocalDate.parse("2026-09-01");
  public static final int DAYS = 10;
  public static final LocalDate END = START.plusDays(DAYS - 1);

  /** conf/local.conf of this checkout (tests run in jobs/), absolute for other working dirs. */
  public static final Path SHIPPED_PROFILE =
      Path.of("..", "conf", "local.conf").toAbsolutePath().normalize();

  private static Path shared;

  private TinyLake() {}

  /** A lake with the sample and a snapshot of {@link #END}, shared by read-only tests. */
  public static synchronized Path shared() {
    if (shared == null) {
      Path root = newRoot("shared");
      run(root, "sample-data");
      run(root, "snapshot", "--date", END.toString());
      shared = root;
    }
    return shared;
  }

  /** An empty lake root of one's own. */
  public static Path newRoot(String name) {
    try {
      return Files.createTempDirectory("sluice-lake-" + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command against {@code root} with the tiny sample's settings; fails if it fails. */
  public static CliRun run(Path root, String... args) {
    CliRun result = CliRun.execute(args(root, args));
    if (result.exitCode() != 0) {
      throw new AssertionError("sluice " + String.join(" ", args) + " failed: " + result);
    }
    return result;
  }

  /** The command line of {@code args} against {@code root} with the tiny sample's settings. */
  public static List<String> args(Path root, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--conf")) {
      // The shipped profile: the demo's feature groups and quality checks.
      all.addAll(List.of("--conf", SHIPPED_PROFILE.toString()));
    }
    all.addAll(
        List.of(
            "-Dsluice.lake.root=" + root,
            "-Dsluice.sample.customers=60",
            "-Dsluice.sample.days=" + DAYS,
            "-Dsluice.sample.start-date=" + START,
            "-Dsluice.sample.drift-day=6",
            "-Dsluice.sample.malformed-share=0.05",
            "-Dsluice.sample.label-horizon-days=1",
            "-Dsluice.sample.label-delay-days=1",
            "-Dsluice.jobs.lock-heartbeat-ms=500",
            "-Dsluice.jobs.lock-lease-ms=5000"));
    return all;
  }
}
