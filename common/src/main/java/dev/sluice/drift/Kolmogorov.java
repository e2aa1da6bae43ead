/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

/**
 * The Kolmogorov distribution: the limit law of {@code sqrt(n) * D_n} (one sample) and of {@code
 * sqrt(n * m / (n + m)) * D_{n,m}} (two samples) under the null hypothesis.
 */
final class Kolmogorov {
  /** Where the two series below switch: each needs at most a handful of terms around it. */
  private static final double SWITCH = 1.0;

  private static final int MAX_TERMS = 100;

  private Kolmogorov() {}

  /**
   * {@code P(K > t)}: 1 for {@code t <= 0}. Below {@value #SWITCH} it is {@code 1 - sqrt(2 pi) / t
   * * sum_{k >= 1} exp(-(2k - 1)^2 pi^2 / (8 t^2))}, from {@value #SWITCH} on {@code 2 * sum_{k >=
   * 1} (-1)^(k - 1) exp(-2 k^2 t^2)}: the two forms of the same function, each where it converges
   * fast (the second also keeps tiny p-values accurate, without a cancellation {@code 1 - K}).
   */
  static double survival(double t) {
    if (Double.isNaN(t)) {
      return Double.NaN;
    }
    if (t <= 0) {
      return 1.0;
    }
    if (t < SWITCH) {
      double sum = 0;
      for (int k = 1; k <= MAX_TERMS; k++) {
        double odd = 2 * k - 1;
        double term = Math.exp(-odd * odd * Math.PI * Math.PI / (8 * t * t));
        sum += term;
        if (term <= sum * 1e-17) {
          break;
        }
      }
      return 1 - Math.sqrt(2 * Math.PI) / t * sum;
    }
    double sum = 0;
    for (int k = 1; k <= MAX_TERMS; k++) {
      double term = Math.exp(-2.0 * k * k * t * t);
      sum += k % 2 == 1 ? term : -term;
      if (term <= sum * 1e-17) {
        break;
      }
    }
    return Math.min(1.0, 2 * sum);
  }
}
