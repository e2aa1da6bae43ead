/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.error;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The one factory of user-facing errors. Each message states the problem, the value involved and
 * how to fix it.
 */
public final class PipelineErrors {
  private PipelineErrors() {}

  public static SluiceException configFileMissing(Path file) {
    return new SluiceException(
        ErrorCode.CONFIG,
        String.format(
            "Config file not found: %s (pass an existing HOCON file to --conf, e.g. conf/local.conf)",
            file),
        null);
  }

  public static SluiceException configFileUnreadable(Path file, Throwable cause) {
    return new SluiceException(
        ErrorCode.CONFIG,
        String.format(
            "Cannot parse config file %s: %s (fix the HOCON syntax)", file, cause.getMessage()),
        cause);
  }

  public static SluiceException invalidConfig(String key, Object value, String allowed) {
    return new SluiceException(
        ErrorCode.CONFIG,
        String.format(
            "Invalid config %s = '%s': %s (set it in your --conf file or with -D%s=...)",
            key, value, allowed, key),
        null);
  }

  public static SluiceException missingConfig(String key, String allowed) {
    return new SluiceException(
        ErrorCode.CONFIG,
        String.format(
            "Missing config %s: %s (set it in your --conf file or with -D%s=...)",
            key, allowed, key),
        null);
  }

  public static SluiceException invalidArgument(String option, Object value, String allowed) {
    return new SluiceException(
        ErrorCode.CONFIG,
        String.format("Invalid argument %s '%s': %s", option, value, allowed),
        null);
  }

  /** A {@code sluice sql -f} file that cannot be run as a whole: missing, unreadable, empty. */
  public static SluiceException sqlFileUnusable(Path file, String problem, String fix) {
    return new SluiceException(
        ErrorCode.CONFIG, String.format("SQL file %s %s (%s)", file, problem, fix), null);
  }

  /** One statement of a {@code sluice sql -f} file that cannot run. */
  public static SluiceException sqlStatementFailed(
      Path file, int statement, int line, String problem, String fix) {
    return new SluiceException(
        ErrorCode.CONFIG,
        String.format(
            "SQL file %s, statement %s (line %s): %s (%s)", file, statement, line, problem, fix),
        null);
  }

  public static SluiceException sourceTableMissing(String table, String location) {
    return new SluiceException(
        ErrorCode.UPSTREAM_MISSING,
        String.format(
            "Source table %s not found: no Delta table at %s (create it, e.g. with `sluice"
                + " sample-data`, or fix its entry in sluice.sources)",
            table, location),
        null);
  }

  public static SluiceException noSnapshot(LocalDate date, Optional<String> snapshotId) {
    String what =
        snapshotId
            .map(id -> String.format("No snapshot with snapshot_id %s for %s", id, date))
            .orElse(String.format("No successful snapshot for %s", date));
    return new SluiceException(
        ErrorCode.UPSTREAM_MISSING,
        what + String.format(" (run `sluice snapshot --date %s` first)", date),
        null);
  }

  public static SluiceException versionNotFound(
      String table, String requested, Collection<Long> available) {
    return new SluiceException(
        ErrorCode.UPSTREAM_MISSING,
        String.format(
            "Version %s of %s does not exist; versions in its Delta log: %s (pin one of those)",
            requested, table, ranges(available)),
        null);
  }

  public static SluiceException versionUnreadable(
      String table, long version, Collection<Long> available, Throwable cause) {
    return new SluiceException(
        ErrorCode.UPSTREAM_MISSING,
        String.format(
            "Version %s of %s can no longer be read: its data files were removed (e.g. by VACUUM)."
                + " Versions in its Delta log: %s; the newest, %s, is readable (pin a version"
                + " written after the last VACUUM retention horizon)",
            version, table, ranges(available), available.stream().max(Long::compare).orElse(-1L)),
        cause);
  }

  public static RunKeyLockedException runKeyLocked(String runKey, String holder) {
    return new RunKeyLockedException(
        String.format(
            "Run key %s is already running: %s (wait for it to finish; a crashed holder's lock"
                + " expires by itself)",
            runKey, holder));
  }

  /** A stage of a composite run (the demo) ended with a non-zero exit code. */
  public static SluiceException stageFailed(String stage, int exitCode, String error) {
    ErrorCode code = ErrorCode.INTERNAL;
    for (ErrorCode candidate : ErrorCode.values()) {
      if (candidate.exitCode() == exitCode) {
        code = candidate;
      }
    }
    return new SluiceException(
        code, String.format("Stage %s failed with exit code %s: %s", stage, exitCode, error), null);
  }

  /** An error-level data-quality check failed (exit 3). */
  public static SluiceException dataQualityFailed(List<String> failures) {
    return new SluiceException(
        ErrorCode.DATA_QUALITY,
        "Data-quality gate failed: "
            + String.join("; ", failures)
            + " (fix the data, or relax the check in sluice.quality.tables; results are in"
            + " sluice.data_quality)",
        null);
  }

  /** A run, registered model, version or artifact the pipeline asked for is not registered. */
  public static SluiceException registryNotFound(String what, String location) {
    return new SluiceException(
        ErrorCode.UPSTREAM_MISSING,
        String.format(
            "%s not found in the model registry at %s (check the name and version, or register"
                + " it first)",
            what, location),
        null);
  }

  /** The registry refused a request as invalid (e.g. a reserved alias, a bad name). */
  public static SluiceException registryRefused(String operation, String location, String detail) {
    return new SluiceException(
        ErrorCode.CONFIG,
        String.format(
            "The model registry at %s refused %s: %s (fix the name, alias or value)",
            location, operation, detail),
        null);
  }

  /** The registry answered a request with an unexpected error. */
  public static SluiceException registryFailed(String operation, String location, String detail) {
    return new SluiceException(
        ErrorCode.INTERNAL,
        String.format(
            "Model registry request %s at %s failed: %s (check the server's log, its version"
                + " (aliases need MLflow >= 2.3) and the MLFLOW_TRACKING_* credentials)",
            operation, location, detail),
        null);
  }

  /** The registry could not be reached at all. */
  public static SluiceException registryUnreachable(
      String location, String operation, Throwable cause) {
    return new SluiceException(
        ErrorCode.INTERNAL,
        String.format(
            "Cannot reach the model registry at %s for %s: %s (start it, e.g. `sluice registry"
                + " serve`, or fix sluice.registry.tracking-uri)",
            location, operation, cause),
        cause);
  }

  /**
   * A model artifact fails verification: a file differs from its manifest entry, is missing or
   * unlisted, or the model content no longer has the registered digest. Nothing is loaded.
   */
  public static SluiceException artifactInvalid(String artifact, String problem) {
    return new SluiceException(
        ErrorCode.UPSTREAM_MISSING,
        String.format(
            "Model artifact %s is refused: %s (it was changed after training; download it again"
                + " from the registry, or retrain and register a new version)",
            artifact, problem),
        null);
  }

  /** A model policy refused the action (validation gate, canary, promotion checks). */
  public static SluiceException policyRefused(String action, String reason) {
    return new SluiceException(
        ErrorCode.POLICY, String.format("%s refused: %s", action, reason), null);
  }

  public static SluiceException internal(String message, Throwable cause) {
    return new SluiceException(ErrorCode.INTERNAL, message, cause);
  }

  public static SluiceException upstreamMissing(String message) {
    return new SluiceException(ErrorCode.UPSTREAM_MISSING, message, null);
  }

  /**
   * A model version that no run of this lake recorded as an output in {@code lineage} (exit 4: it
   * was registered elsewhere, or before lineage was recorded).
   */
  public static SluiceException lineageMissing(String model, long version) {
    return new SluiceException(
        ErrorCode.UPSTREAM_MISSING,
        String.format(
            "Model %s version %d has no recorded lineage in sluice.lineage: no `sluice train` run"
                + " of this lake registered it (trace a version trained here, e.g. --alias"
                + " champion, or train one with `sluice train --model %s --date D`)",
            model, version, model),
        null);
  }

  /** An alias the registered model does not have (exit 2: the argument is the user's to fix). */
  public static SluiceException unknownAlias(
      String model, String alias, Collection<String> aliases) {
    return new SluiceException(
        ErrorCode.CONFIG,
        String.format(
            "Model %s has no alias '%s' (its aliases: %s; pass one of them to --alias, or a"
                + " version with --version)",
            model, alias, aliases.isEmpty() ? "none" : String.join(", ", aliases)),
        null);
  }

  /**
   * A drift report asked for a window that {@code profile_metrics} lacks (exit 4: the drift job may
   * not have run for it yet).
   *
   * @param stepDays the days between two windows of the granularity (1 or 7)
   */
  public static SluiceException driftWindowMissing(
      String model,
      String granularity,
      LocalDate end,
      Collection<LocalDate> available,
      int stepDays) {
    return new SluiceException(
        ErrorCode.UPSTREAM_MISSING,
        String.format(
            "Model %s has no %s drift window ending %s in profile_metrics; its windows end on %s"
                + " (run `sluice drift --model %s --date %s` first, or report one of those)",
            model, granularity, end, dateRanges(available, stepDays), model, end),
        null);
  }

  /**
   * Renders dates compactly, runs {@code stepDays} apart as one range: [2026-10-01..2026-10-05].
   */
  static String dateRanges(Collection<LocalDate> dates, int stepDays) {
    List<LocalDate> sorted = dates.stream().sorted().distinct().toList();
    StringBuilder out = new StringBuilder("[");
    int i = 0;
    while (i < sorted.size()) {
      int j = i;
      while (j + 1 < sorted.size() && sorted.get(j + 1).equals(sorted.get(j).plusDays(stepDays))) {
        j++;
      }
      out.append(out.length() > 1 ? ", " : "").append(sorted.get(i));
      if (j > i) {
        out.append("..").append(sorted.get(j));
      }
      i = j + 1;
    }
    return out.append(']').toString();
  }

  /** Renders a version list compactly: [0..4, 7, 9..12]. */
  static String ranges(Collection<Long> versions) {
    long[] sorted = versions.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
    StringBuilder out = new StringBuilder("[");
    int i = 0;
    while (i < sorted.length) {
      int j = i;
      while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
        j++;
      }
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append(sorted[i]);
      if (j > i) {
        out.append("..").append(sorted[j]);
      }
      i = j + 1;
    }
    return out.append(']').toString();
  }
}
