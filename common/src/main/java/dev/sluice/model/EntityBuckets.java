/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;

/**
 * Deterministic assignment of entities to buckets {@code 0..9999} (basis points): {@code
 * pmod(xxhash64(cast(entity as string), salt), 10000)}. The same entity lands in the same bucket on
 * every day and run, so a training holdout or a canary cohort is stable; the salt makes the holdout
 * and the canary cohort independent of each other.
 */
public final class EntityBuckets {
  /** Buckets per entity space: shares are given in basis points (1/10000). */
  public static final int BUCKETS = 10_000;

  private EntityBuckets() {}

  /** The entity's bucket in {@code [0, 10000)}. */
  public static Column bucket(Column entity, String salt) {
    return pmod(xxhash64(entity.cast("string"), lit(salt)), lit((long) BUCKETS));
  }

  /** True for entities whose bucket is below {@code basisPoints}: that share of all entities. */
  public static Column below(Column entity, String salt, int basisPoints) {
    if (basisPoints < 0 || basisPoints > BUCKETS) {
      throw new IllegalArgumentException("basisPoints must be in [0, 10000]: " + basisPoints);
    }
    return bucket(entity, salt).lt(lit((long) basisPoints));
  }

  /** A share in [0, 1] as whole basis points. */
  public static int basisPoints(double share) {
    return (int) Math.round(share * BUCKETS);
  }
}
