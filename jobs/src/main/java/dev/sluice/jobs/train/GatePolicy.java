/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import com.typesafe.config.Config;
import dev.sluice.config.ConfigReader;
import dev.sluice.error.PipelineErrors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The validation gate's thresholds ({@code sluice.models.<model>.gate}): absolute {@code minimums}
 * and {@code maximums} per holdout metric, and {@code max-regression}: how much worse than the
 * current champion, scored on the same holdout, a metric may be (in the metric's bad direction).
 */
public record GatePolicy(
    Map<String, Double> minimums, Map<String, Double> maximums, Map<String, Double> maxRegression) {

  /** Metrics where a lower value is better; every other metric is better when higher. */
  static final Set<String> LOWER_IS_BETTER = Set.of("log_loss", "calibration_error", "rmse", "mae");

  /** The gate's outcome: failures empty when it passed. */
  public record Verdict(List<String> failures, Map<String, Object> evidence) {
    public boolean passed() {
      return failures.isEmpty();
    }

    public String reason() {
      return passed() ? "passed the validation gate" : String.join("; ", failures);
    }
  }

  public GatePolicy {
    minimums = Collections.unmodifiableMap(new java.util.TreeMap<>(minimums));
    maximums = Collections.unmodifiableMap(new java.util.TreeMap<>(maximums));
    maxRegression = Collections.unmodifiableMap(new java.util.TreeMap<>(maxRegression));
  }

  static GatePolicy fromConfig(ConfigReader model) {
    return new GatePolicy(
        numbers(model, "gate.minimums"),
        numbers(model, "gate.maximums"),
        numbers(model, "gate.max-regression"));
  }

  /** Every metric the gate names, so the trainer can check that it computes them. */
  List<String> metricNames() {
    List<String> names = new ArrayList<>(minimums.keySet());
    names.addAll(maximums.keySet());
    names.addAll(maxRegression.keySet());
    return names.stream().distinct().toList();
  }

  /**
   * Judges a candidate's holdout metrics, and when a champion exists its metrics on the same
   * holdout.
   */
  Verdict judge(Map<String, Double> candidate, Optional<Map<String, Double>> champion) {
    List<String> failures = new ArrayList<>();
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("candidate", new LinkedHashMap<>(candidate));
    champion.ifPresent(c -> evidence.put("champion_on_same_holdout", new LinkedHashMap<>(c)));
    minimums.forEach(
        (metric, min) -> {
          double value = candidate.get(metric);
          if (!(value >= min)) {
            failures.add(
                String.format("%s %s is below the minimum %s", metric, fmt(value), fmt(min)));
          }
        });
    maximums.forEach(
        (metric, max) -> {
          double value = candidate.get(metric);
          if (!(value <= max)) {
            failures.add(
                String.format("%s %s is above the maximum %s", metric, fmt(value), fmt(max)));
          }
        });
    champion.ifPresent(
        champ ->
            maxRegression.forEach(
                (metric, tolerance) -> {
                  double value = candidate.get(metric);
                  double reference = champ.get(metric);
                  boolean lower = LOWER_IS_BETTER.contains(metric);
                  double worseBy = lower ? value - reference : reference - value;
                  if (!(worseBy <= tolerance)) {
                    failures.add(
                        String.format(
                            "%s %s is worse than the champion's %s on the same holdout by %s"
                                + " (allowed %s)",
                            metric, fmt(value), fmt(reference), fmt(worseBy), fmt(tolerance)));
                  }
                }));
    evidence.put(
        "thresholds",
        Map.of("minimums", minimums, "maximums", maximums, "max_regression", maxRegression));
    return new Verdict(List.copyOf(failures), evidence);
  }

  /** Refuses a gate that names a metric the task does not compute. */
  void requireKnown(String key, Set<String> computed) {
    for (String metric : metricNames()) {
      if (!computed.contains(metric)) {
        throw PipelineErrors.invalidConfig(
            key,
            metric,
            "is not a metric of this task; use one of " + new java.util.TreeSet<>(computed));
      }
    }
  }

  private static Map<String, Double> numbers(ConfigReader model, String key) {
    Map<String, Double> out = new LinkedHashMap<>();
    Config section = model.rawSection(key);
    for (String metric : section.root().keySet().stream().sorted().toList()) {
      try {
        // -D overrides arrive as strings; getDouble parses them.
        out.put(metric, section.getDouble(com.typesafe.config.ConfigUtil.quoteString(metric)));
      } catch (com.typesafe.config.ConfigException.WrongType e) {
        throw PipelineErrors.invalidConfig(
            model.path(key + "." + metric),
            section.root().get(metric).unwrapped(),
            "must be a number");
      }
    }
    return out;
  }

  private static String fmt(double value) {
    return String.format("%.4f", value);
  }
}
