/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

/** Names of the registry tags and aliases Sluice sets on runs and model versions. */
public final class ModelTags {
  /** Alias of the version that serves. */
  public static final String CHAMPION = "champion";

  /** Alias of the version on canary. */
  public static final String CHALLENGER = "challenger";

  /** The model's digest (its identity), on the run and the version. */
  public static final String MODEL_DIGEST = "sluice.model_digest";

  /** Set on a version that passed the validation gate: the digest that passed. */
  public static final String VALIDATED_DIGEST = "sluice.validated_digest";

  /** {@code passed} or {@code failed}, with the reason in {@link #GATE_REASON}. */
  public static final String GATE = "sluice.gate";

  public static final String GATE_REASON = "sluice.gate_reason";
  public static final String RUN_KEY = "sluice.run_key";
  public static final String CODE_VERSION = "sluice.code_version";
  public static final String CONF_HASH = "sluice.conf_hash";
  public static final String SNAPSHOT_PINS = "sluice.snapshot_pins";
  public static final String FEATURE_HASHES = "sluice.feature_hashes";
  public static final String TRAINING_SET_ID = "sluice.training_set_id";

  /** Prefix of the version tags that carry its holdout metrics. */
  public static final String METRIC_PREFIX = "sluice.metric.";

  /** The run's artifact path of the model directory. */
  public static final String MODEL_ARTIFACT_PATH = "model";

  private ModelTags() {}
}
