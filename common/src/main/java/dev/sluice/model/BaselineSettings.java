/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

/**
 * How a baseline profile bins its columns.
 *
 * @param bins the number of equal-frequency bins of a numeric column (before equal edges collapse),
 *     from 1 to {@value #MAX_BINS}
 * @param topK the number of most frequent categories kept for a categorical column, from 1 to
 *     {@value #MAX_TOP_K}; the rest are counted together
 */
public record BaselineSettings(int bins, int topK) {
  public static final int DEFAULT_BINS = 20;
  public static final int DEFAULT_TOP_K = 20;
  public static final int MAX_BINS = 1000;
  public static final int MAX_TOP_K = 10_000;
  public static final BaselineSettings DEFAULTS = new BaselineSettings(DEFAULT_BINS, DEFAULT_TOP_K);

  public BaselineSettings {
    ModelEvaluation.checkArgument(
        bins >= 1 && bins <= MAX_BINS, "Invalid bins: %s (must be in [1, %s])", bins, MAX_BINS);
    ModelEvaluation.checkArgument(
        topK >= 1 && topK <= MAX_TOP_K, "Invalid top-k: %s (must be in [1, %s])", topK, MAX_TOP_K);
  }
}
