/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.score;

/** Column names of {@code predictions} and {@code scoring_inputs} (docs/tables.md). */
final class PredictionRecords {
  static final String SCORE_DATE = "score_date";
  static final String PREDICTION = "prediction";
  static final String PROBABILITY = "probability";
  static final String MODEL_NAME = "model_name";
  static final String MODEL_VERSION = "model_version";
  static final String COHORT = "cohort";
  static final String SERVED = "served";
  static final String RUN_ID = "run_id";
  static final String SCORED_TS = "scored_ts";

  /** Cohorts: the canary cohort and everyone else. */
  static final String CANARY = "canary";

  static final String CHAMPION = "champion";

  private PredictionRecords() {}
}
