/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import dev.sluice.error.PipelineErrors;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.features.FeatureRegistry;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One model input: a feature of the training set (column {@code group__feature}, as the
 * point-in-time join names it) with its type from {@code feature_registry}, which decides its
 * preprocessing: numeric features are imputed, string features one-hot encoded.
 */
record FeatureColumn(String feature, String column, String dtype) {
  private static final Set<String> NUMERIC =
      Set.of("tinyint", "smallint", "int", "bigint", "float", "double");

  boolean categorical() {
    return dtype.equals("string");
  }

  /** The columns of {@code features} ({@code group.feature}), typed by the feature registry. */
  static List<FeatureColumn> resolve(Lakehouse lake, List<String> features, JobResult result) {
    if (!lake.exists(SluiceTables.FEATURE_REGISTRY)) {
      throw PipelineErrors.upstreamMissing(
          "sluice.feature_registry does not exist (run `sluice features build`)");
    }
    TableVersion version = lake.latest(SluiceTables.FEATURE_REGISTRY);
    Map<String, String> types = new HashMap<>();
    FeatureRegistry.current(lake.readAt(SluiceTables.FEATURE_REGISTRY, version.version()))
        .forEach((key, definition) -> types.put(key, definition.dtype()));
    result.input(version);
    return features.stream()
        .map(
            f -> {
              String dtype = types.get(f);
              if (dtype == null) {
                throw PipelineErrors.upstreamMissing(
                    String.format(
                        "Feature %s is not in sluice.feature_registry@%s (run `sluice features"
                            + " build` after defining it)",
                        f, version.version()));
              }
              boolean usable =
                  dtype.equals("string") || NUMERIC.contains(dtype) || isDecimal(dtype);
              if (!usable) {
                throw PipelineErrors.invalidArgument(
                    "training-set.features",
                    f + " (" + dtype + ")",
                    "is neither numeric nor string; cast it in its feature definition");
              }
              return new FeatureColumn(f, f.replace(".", "__"), dtype);
            })
        .toList();
  }

  private static boolean isDecimal(String dtype) {
    return dtype.startsWith("decimal");
  }
}
