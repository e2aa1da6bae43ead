/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift;

import dev.sluice.config.ConfigReader;
import dev.sluice.drift.DriftPolicy;
import dev.sluice.error.PipelineErrors;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * A model's drift monitoring ({@code sluice.models.<model>.drift}, docs/drift.md): the window
 * granularity, slicing expressions, the alert policy, what an alert does and where it is posted.
 *
 * @param granularity {@code 1d} or {@code 1w}
 * @param slices SQL expressions over the window's columns, by slice name
 * @param rollbackOnAlert {@code on-alert = rollback}: an alert on the champion's rows rolls it back
 * @param webhook where each run with alerts POSTs its JSON payload
 * @param performance where labels land, for performance and label drift (none: not evaluated)
 */
public record DriftSpec(
    String granularity,
    Map<String, String> slices,
    DriftPolicy policy,
    boolean rollbackOnAlert,
    Optional<URI> webhook,
    Optional<PerformanceSpec> performance) {

  /**
   * The model's spec, at {@code granularity} when given (the {@code --granularity} option of {@code
   * sluice drift} and {@code sluice drift report}).
   *
   * @throws dev.sluice.error.SluiceException exit 2 for an invalid key or granularity
   */
  public static DriftSpec of(ConfigReader sluice, String model, Optional<String> granularity) {
    DriftSpec spec = fromModel(sluice, model);
    if (granularity.isEmpty()) {
      return spec;
    }
    if (!granularity.get().equals("1d") && !granularity.get().equals("1w")) {
      throw PipelineErrors.invalidArgument("--granularity", granularity.get(), "1d or 1w");
    }
    return spec.withGranularity(granularity.get());
  }

  private static DriftSpec fromModel(ConfigReader sluice, String model) {
    String key = "models." + model + ".drift";
    ConfigReader c = sluice.has(key) ? sluice.section(key) : null;
    if (c == null) {
      return new DriftSpec(
          "1d", Map.of(), DriftPolicy.DEFAULTS, false, Optional.empty(), Optional.empty());
    }
    DriftPolicy d = DriftPolicy.DEFAULTS;
    double psiWarn = c.has("psi.warn") ? c.nonNegativeDouble("psi.warn") : d.psiWarn();
    double psiAlert = c.has("psi.alert") ? c.nonNegativeDouble("psi.alert") : d.psiAlert();
    if (psiWarn > psiAlert) {
      throw PipelineErrors.invalidConfig(
          c.path("psi.warn"), psiWarn, "must not exceed psi.alert " + psiAlert);
    }
    DriftPolicy policy =
        new DriftPolicy(
            psiWarn,
            psiAlert,
            c.has("js.alert") ? c.fraction("js.alert") : d.jsAlert(),
            c.has("ks.alpha") ? c.fraction("ks.alpha") : d.ksAlpha(),
            c.has("ks.min-statistic") ? c.fraction("ks.min-statistic") : d.ksMinStatistic(),
            c.has("min-count") ? c.longValue("min-count", "a count >= 0") : d.minCount(),
            c.has("drifted-share") ? c.fraction("drifted-share") : d.driftedShare());
    String granularity = c.has("granularity") ? c.string("granularity") : "1d";
    if (!granularity.equals("1d") && !granularity.equals("1w")) {
      throw PipelineErrors.invalidConfig(c.path("granularity"), granularity, "must be 1d or 1w");
    }
    String onAlert = c.has("on-alert") ? c.string("on-alert") : "none";
    if (!onAlert.equals("none") && !onAlert.equals("rollback")) {
      throw PipelineErrors.invalidConfig(c.path("on-alert"), onAlert, "must be none or rollback");
    }
    Optional<URI> webhook = Optional.empty();
    if (c.has("webhook") && !c.string("webhook").isBlank()) {
      try {
        webhook = Optional.of(URI.create(c.string("webhook")));
      } catch (IllegalArgumentException e) {
        throw PipelineErrors.invalidConfig(
            c.path("webhook"), c.string("webhook"), "must be an http(s) URL");
      }
    }
    return new DriftSpec(
        granularity,
        c.has("slices") ? c.stringMap("slices") : Map.of(),
        policy,
        onAlert.equals("rollback"),
        webhook,
        c.has("performance") ? Optional.of(PerformanceSpec.from(c)) : Optional.empty());
  }

  /** The same spec at another granularity (the --granularity option). */
  private DriftSpec withGranularity(String value) {
    return new DriftSpec(value, slices, policy, rollbackOnAlert, webhook, performance);
  }
}
