/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.features;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a windowed feature aggregates its expression over the rows of its window. */
public enum Aggregation {
  COUNT(false),
  SUM(true),
  AVG(true),
  MIN(false),
  MAX(false),
  STDDEV(true),
  DISTINCT_COUNT(false),
  /** The value of the newest row (by event time) in the window. */
  LATEST(false);

  private final boolean numeric;

  Aggregation(boolean numeric) {
    this.numeric = numeric;
  }

  /** Whether the expression must be numeric. */
  public boolean numeric() {
    return numeric;
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Aggregation> parse(String value) {
    return Arrays.stream(values())
        .filter(a -> a.configName().equals(value.trim().toLowerCase(Locale.ROOT).replace('-', '_')))
        .findFirst();
  }
}
