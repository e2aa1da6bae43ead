/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Flags every command takes (ARCHITECTURE §4). */
public final class CommonOptions {
  @Option(
      names = "--conf",
      paramLabel = "FILE",
      description =
          "HOCON config file (default: conf/local.conf when present, then reference.conf).")
  Path confFile;

  @Option(
      names = "-D",
      paramLabel = "key=value",
      description = "Override one config key, e.g. -Dsluice.lake.root=/tmp/lake. Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--run-key",
      paramLabel = "KEY",
      description = "Override the run key (default <job>/<model if any>/<date>).")
  String runKey;

  public Optional<Path> confFile() {
    return Optional.ofNullable(confFile);
  }

  public Map<String, String> overrides() {
    return Map.copyOf(overrides);
  }

  public Optional<String> runKey() {
    return Optional.ofNullable(runKey);
  }

  /** Options for programmatic runs (the demo runs its stages with the same flags it was given). */
  public static CommonOptions of(Optional<Path> confFile, Map<String, String> overrides) {
    CommonOptions options = new CommonOptions();
    options.confFile = confFile.orElse(null);
    options.overrides = new LinkedHashMap<>(overrides);
    return options;
  }
}
