/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.job;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Optional;

/**
 * The identity of a logical run, {@code <job>/<model if any>/<date>} (e.g. {@code
 * score/churn/2026-11-27}). Attempts of one run key replace each other's output.
 */
public record RunKey(String value) {
  public RunKey {
    requireNonNull(value, "value is null");
    if (value.isBlank() || value.contains("'") || value.contains("\\")) {
      throw new IllegalArgumentException(
          String.format("Invalid run key: %s (no quotes or backslashes)", value));
    }
  }

  public static RunKey of(String job, Optional<String> model, LocalDate date) {
    return new RunKey(job + "/" + model.map(m -> m + "/").orElse("") + date);
  }

  /** A file-name-safe form, for lock files. */
  public String fileName() {
    return value.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  @Override
  public String toString() {
    return value;
  }
}
