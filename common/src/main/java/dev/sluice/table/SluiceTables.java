/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.table;

/** Sluice's own tables (ARCHITECTURE §5); docs/tables.md describes each. */
public final class SluiceTables {
  public static final TableId SNAPSHOTS = TableId.of("snapshots");
  public static final TableId JOB_RUNS = TableId.of("job_runs");
  public static final TableId LINEAGE = TableId.of("lineage");
  public static final TableId DATA_QUALITY = TableId.of("data_quality");
  public static final TableId DATA_QUALITY_METRICS = TableId.of("data_quality_metrics");
  public static final TableId FEATURE_REGISTRY = TableId.of("feature_registry");
  public static final TableId TRAINING_SETS = TableId.of("training_sets");
  public static final TableId MODEL_BASELINES = TableId.of("model_baselines");
  public static final TableId FEATURE_IMPORTANCE = TableId.of("feature_importance");
  public static final TableId DEPLOYMENTS = TableId.of("deployments");
  public static final TableId PREDICTIONS = TableId.of("predictions");
  public static final TableId SCORING_INPUTS = TableId.of("scoring_inputs");
  public static final TableId CANARY_ANALYSES = TableId.of("canary_analyses");
  public static final TableId PROFILE_METRICS = TableId.of("profile_metrics");
  public static final TableId DRIFT_METRICS = TableId.of("drift_metrics");
  public static final TableId PERFORMANCE_METRICS = TableId.of("performance_metrics");
  public static final TableId ALERTS = TableId.of("alerts");

  /** Where rows failing a source's row-level checks go. */
  public static TableId quarantine(String source) {
    return TableId.of(source + "_quarantine");
  }

  private SluiceTables() {}
}
