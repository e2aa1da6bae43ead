/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.sluice.config.ConfigReader;
import dev.sluice.error.PipelineErrors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's training settings, from {@code sluice.models.<model>} (docs/models.md lists every key):
 * the task and algorithm with its hyper-parameters and optional grid, the holdout, evaluation
 * settings, the validation gate and the drift baseline.
 *
 * @param params hyper-parameters by MLlib param name, in conf order
 * @param grid values to search per param name; empty for no search
 * @param conf every setting of the model's section flattened to dotted keys, for the run's params
 */
public record TrainSpec(
    String model,
    String experiment,
    Task task,
    Algorithm algorithm,
    long seed,
    Map<String, ConfigValue> params,
    Map<String, List<ConfigValue>> grid,
    Tuning tuning,
    double holdoutShare,
    String holdoutSalt,
    String imputerStrategy,
    double threshold,
    int calibrationBins,
    GatePolicy gate,
    int baselineBins,
    int baselineTopK,
    Map<String, String> conf) {

  /** How the grid is searched. */
  public enum TuningMethod {
    NONE,
    CROSS_VALIDATION,
    TRAIN_VALIDATION_SPLIT
  }

  /** The grid search: CrossValidator with {@code folds} or TrainValidationSplit with a ratio. */
  public record Tuning(TuningMethod method, int folds, double trainRatio) {}

  public TrainSpec {
    requireNonNull(model, "model is null");
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    grid = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(grid));
    conf = Map.copyOf(conf);
  }

  /** The spec of {@code sluice.models.<model>}. */
  public static TrainSpec fromModel(ConfigReader sluice, String model) {
    String key = "models." + model;
    if (!sluice.has(key + ".train")) {
      throw PipelineErrors.missingConfig(
          sluice.path(key + ".train"),
          "model " + model + " needs a train section (conf/models/" + model + ".conf)");
    }
    ConfigReader m = sluice.section(key);
    ConfigReader t = m.section("train");
    Task task = Task.parse(t.path("task"), t.nonEmptyString("task", "binary-classification"));
    Algorithm algorithm =
        Algorithm.parse(t.path("algorithm"), t.nonEmptyString("algorithm", "gbt"), task);
    double share = t.has("holdout.share") ? t.fraction("holdout.share") : 0.2;
    if (share <= 0.0 || share >= 1.0) {
      throw PipelineErrors.invalidConfig(
          t.path("holdout.share"), share, "must be between 0 and 1 (exclusive), e.g. 0.2");
    }
    String imputer = t.has("imputer-strategy") ? t.string("imputer-strategy") : "median";
    if (!List.of("mean", "median", "mode").contains(imputer)) {
      throw PipelineErrors.invalidConfig(
          t.path("imputer-strategy"), imputer, "must be mean, median or mode");
    }
    return new TrainSpec(
        model,
        m.has("experiment") ? m.nonEmptyString("experiment", "sluice/" + model) : "sluice/" + model,
        task,
        algorithm,
        t.has("seed") ? t.longValue("seed", "an integer") : 42L,
        settings(t, "params"),
        grid(t),
        tuning(t),
        share,
        t.has("holdout.salt") ? t.nonEmptyString("holdout.salt", "holdout") : "holdout",
        imputer,
        t.has("threshold") ? t.fraction("threshold") : 0.5,
        t.has("calibration-bins") ? t.positiveInt("calibration-bins") : 10,
        GatePolicy.fromConfig(m),
        m.has("baseline.bins") ? m.positiveInt("baseline.bins") : 20,
        m.has("baseline.top-k") ? m.positiveInt("baseline.top-k") : 20,
        flatten(m.raw()));
  }

  private static Map<String, ConfigValue> settings(ConfigReader t, String key) {
    Map<String, ConfigValue> out = new LinkedHashMap<>();
    Config section = t.rawSection(key);
    section.root().keySet().stream()
        .sorted()
        .forEach(name -> out.put(name, section.root().get(name)));
    for (Map.Entry<String, ConfigValue> e : out.entrySet()) {
      ConfigValueType type = e.getValue().valueType();
      if (type == ConfigValueType.OBJECT || type == ConfigValueType.LIST) {
        throw PipelineErrors.invalidConfig(
            t.path(key + "." + e.getKey()),
            e.getValue().render(ConfigRenderOptions.concise()),
            "must be a single value (lists go under train.grid)");
      }
    }
    return out;
  }

  private static Map<String, List<ConfigValue>> grid(ConfigReader t) {
    Map<String, List<ConfigValue>> out = new LinkedHashMap<>();
    Config section = t.rawSection("grid");
    for (String name : section.root().keySet().stream().sorted().toList()) {
      ConfigValue value = section.root().get(name);
      if (value.valueType() != ConfigValueType.LIST
          || ((com.typesafe.config.ConfigList) value).isEmpty()) {
        throw PipelineErrors.invalidConfig(
            t.path("grid." + name),
            value.render(ConfigRenderOptions.concise()),
            "must be a non-empty list of values to search, e.g. [3, 5]");
      }
      out.put(name, List.copyOf((com.typesafe.config.ConfigList) value));
    }
    return out;
  }

  private static Tuning tuning(ConfigReader t) {
    String method = t.has("tuning.method") ? t.string("tuning.method") : "none";
    TuningMethod parsed =
        switch (method) {
          case "none" -> TuningMethod.NONE;
          case "cross-validation" -> TuningMethod.CROSS_VALIDATION;
          case "train-validation-split" -> TuningMethod.TRAIN_VALIDATION_SPLIT;
          default ->
              throw PipelineErrors.invalidConfig(
                  t.path("tuning.method"),
                  method,
                  "must be none, cross-validation or train-validation-split");
        };
    int folds = t.has("tuning.folds") ? t.positiveInt("tuning.folds") : 3;
    if (folds < 2) {
      throw PipelineErrors.invalidConfig(t.path("tuning.folds"), folds, "must be at least 2");
    }
    double ratio = t.has("tuning.train-ratio") ? t.fraction("tuning.train-ratio") : 0.75;
    return new Tuning(parsed, folds, ratio);
  }

  /** Every leaf of the section as {@code dotted.key -> value} (lists and strings as JSON). */
  static Map<String, String> flatten(Config section) {
    Map<String, String> out = new TreeMap<>();
    section
        .entrySet()
        .forEach(
            e ->
                out.put(
                    e.getKey().replace("\"", ""),
                    e.getValue().valueType() == ConfigValueType.STRING
                        ? String.valueOf(e.getValue().unwrapped())
                        : e.getValue().render(ConfigRenderOptions.concise())));
    return out;
  }
}
