/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import dev.sluice.config.LakeConfig;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Where a drift report is written, a local file. Precedence: {@code --out FILE}; else {@code
 * <reports>/drift/<model>/drift-<window end>.html} where {@code <reports>} is {@code
 * sluice.reports.dir} when set, else {@code _reports} under a local lake root, else (an {@code
 * s3a://} or other remote root) {@code ./lakehouse/_reports}, the local side that the embedded
 * registry's store also defaults to.
 */
public final class ReportPaths {
  /** The config key of the reports folder. */
  public static final String DIR_KEY = "reports.dir";

  private ReportPaths() {}

  static Path of(
      Optional<Path> out, String configuredDir, LakeConfig lake, String model, LocalDate end) {
    if (out.isPresent()) {
      return out.get().toAbsolutePath().normalize();
    }
    return reportsDir(configuredDir, lake)
        .resolve("drift")
        .resolve(model)
        .resolve("drift-" + end + ".html");
  }

  /** The folder of every report: see the class comment. */
  public static Path reportsDir(String configuredDir, LakeConfig lake) {
    Path dir;
    if (!configuredDir.isBlank()) {
      dir = Paths.get(configuredDir.trim());
    } else if (lake.isLocal()) {
      dir = Paths.get(lake.root()).resolve("_reports");
    } else {
      dir = Paths.get("lakehouse", "_reports");
    }
    return dir.toAbsolutePath().normalize();
  }

  /** The artifact path of a report in its MLflow run: {@code drift/drift-<window end>.html}. */
  static String artifactFile(LocalDate end) {
    return "drift-" + end + ".html";
  }
}
