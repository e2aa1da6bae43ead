/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import dev.sluice.config.ConfigReader;
import dev.sluice.error.PipelineErrors;
import java.util.List;
import java.util.Map;

/**
 * The model card's and explainability's settings, from {@code sluice.models.<model>.card} and
 * {@code .explain} (docs/config.md): who owns the model and what it is for, the bootstrap and the
 * slices of the quantitative analysis, and the permutation-importance repeats (0: none).
 *
 * @param slices slice name to a SQL expression over the training set's columns, e.g. {@code plan =
 *     "customer_profile__plan"}
 */
record CardSpec(
    List<String> owners,
    List<String> references,
    String intendedUse,
    List<String> limitations,
    int resamples,
    double confidence,
    Map<String, String> slices,
    int permutationRepeats) {

  static CardSpec fromModel(ConfigReader sluice, String model) {
    ConfigReader m = sluice.section("models." + model);
    double confidence =
        m.has("card.bootstrap.confidence") ? m.fraction("card.bootstrap.confidence") : 0.95;
    if (confidence <= 0.0 || confidence >= 1.0) {
      throw PipelineErrors.invalidConfig(
          m.path("card.bootstrap.confidence"), confidence, "must be between 0 and 1, e.g. 0.95");
    }
    int repeats = 3;
    if (m.has("explain.permutation-repeats")) {
      repeats = (int) m.longValue("explain.permutation-repeats", "an integer >= 0, e.g. 3");
      if (repeats < 0) {
        throw PipelineErrors.invalidConfig(
            m.path("explain.permutation-repeats"), repeats, "must be >= 0 (0: no permutation)");
      }
    }
    return new CardSpec(
        m.stringList("card.owners"),
        m.stringList("card.references"),
        m.has("card.intended-use") ? m.string("card.intended-use") : "",
        m.stringList("card.limitations"),
        m.has("card.bootstrap.resamples") ? m.positiveInt("card.bootstrap.resamples") : 200,
        confidence,
        m.stringMap("card.slices"),
        repeats);
  }
}
