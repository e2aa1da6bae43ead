/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.score;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.ConfigReader;
import dev.sluice.error.PipelineErrors;
import dev.sluice.model.EntityBuckets;

/**
 * How a model scores ({@code sluice.models.<model>.score}, docs/scoring.md): the population of a
 * date, the canary cohort and mode, and the partitioning of the scoring work.
 *
 * @param populationTable the source table whose rows are the entities to score (read at its pin)
 * @param populationEntity its entity column (renamed to the model's entity column)
 * @param populationFilter a SQL condition; {@code :date} stands for the score date
 * @param canaryBasisPoints entities with {@code pmod(xxhash64(entity, salt), 10000)} below this are
 *     the canary cohort
 * @param partitions partitions of the scoring work; 0 keeps Spark's
 */
public record ScoreSpec(
    String model,
    String populationTable,
    String populationEntity,
    String populationFilter,
    int canaryBasisPoints,
    String canarySalt,
    Mode mode,
    int partitions) {

  /** How the challenger takes part. */
  public enum Mode {
    /** The challenger scores the canary cohort, and its predictions are served. */
    SPLIT,
    /** The challenger also scores everyone, kept apart (served = false). */
    SHADOW
  }

  public ScoreSpec {
    requireNonNull(model, "model is null");
    requireNonNull(populationTable, "populationTable is null");
    requireNonNull(populationEntity, "populationEntity is null");
    requireNonNull(populationFilter, "populationFilter is null");
    requireNonNull(canarySalt, "canarySalt is null");
    requireNonNull(mode, "mode is null");
  }

  /** The spec of {@code sluice.models.<model>.score}. */
  public static ScoreSpec fromModel(ConfigReader sluice, String model) {
    String key = "models." + model + ".score";
    if (!sluice.has(key)) {
      throw PipelineErrors.missingConfig(
          sluice.path(key), "model " + model + " needs a score section (conf/models/)");
    }
    ConfigReader s = sluice.section(key);
    String mode = s.has("canary.mode") ? s.string("canary.mode") : "split";
    Mode parsed =
        switch (mode) {
          case "split" -> Mode.SPLIT;
          case "shadow" -> Mode.SHADOW;
          default ->
              throw PipelineErrors.invalidConfig(
                  s.path("canary.mode"), mode, "must be split or shadow");
        };
    double share = s.has("canary.share") ? s.fraction("canary.share") : 0.1;
    int partitions = s.has("partitions") ? (int) s.longValue("partitions", "0 or more") : 0;
    if (partitions < 0) {
      throw PipelineErrors.invalidConfig(s.path("partitions"), partitions, "must be 0 or more");
    }
    return new ScoreSpec(
        model,
        s.nonEmptyString("population.table", "raw_customers"),
        s.nonEmptyString("population.entity", "customer_id"),
        s.has("population.filter") ? s.string("population.filter") : "true",
        EntityBuckets.basisPoints(share),
        s.has("canary.salt") ? s.nonEmptyString("canary.salt", "canary") : "canary",
        parsed,
        partitions);
  }
}
