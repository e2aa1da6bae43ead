/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** What every benchmark does with its arguments and timings. */
public final class BenchRuns {
  private BenchRuns() {}

  /** The {@code key=value} arguments of a benchmark's main, by key. */
  public static Map<String, String> arguments(String[] args) {
    Map<String, String> arguments = new HashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("Arguments are key=value, not " + arg);
      }
      arguments.put(kv[0], kv[1]);
    }
    return arguments;
  }

  /** The wall time of {@code run}, in seconds. */
  public static double seconds(Runnable run) {
    long t0 = System.nanoTime();
    run.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The median (the mean of the middle two for an even count). */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
