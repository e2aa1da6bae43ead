/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

/**
 * One equal-width bin of a calibration (reliability) table. Bin {@code i} of {@code n} holds the
 * examples whose probability {@code p} has {@code floor(p * n) = i}, with {@code p = 1.0} put in
 * the last bin; its nominal bounds are {@code [i / n, (i + 1) / n)} ({@code [.., 1.0]} for the
 * last).
 *
 * @param index the bin's position, from 0
 * @param lower the nominal lower bound, {@code index / n}
 * @param upper the nominal upper bound, {@code (index + 1) / n}
 * @param count the number of examples in the bin (0 for an empty bin)
 * @param meanPredicted the mean probability of those examples; NaN for an empty bin
 * @param observedRate the share of those examples with label 1; NaN for an empty bin
 */
public record CalibrationBin(
    int index, double lower, double upper, long count, double meanPredicted, double observedRate) {}
