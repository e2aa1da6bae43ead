/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.features;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One declared feature. Without an aggregation it is row-level: its expression evaluated on the
 * entity's newest source row (within the window, if one is set). With one, the aggregation of the
 * expression over the source rows whose event time falls in the window ending at the day's end.
 *
 * @param group the feature group
 * @param name the feature (a column of {@code features_<group>})
 * @param expression a Spark SQL expression over the source's columns; {@code *} for count(*)
 * @param aggregation the aggregation, if windowed
 * @param windowDays the window in days, if any (none: all history)
 * @param description what it means
 */
public record FeatureDefinition(
    String group,
    String name,
    String expression,
    Optional<Aggregation> aggregation,
    Optional<Integer> windowDays,
    String description) {
  public FeatureDefinition {
    requireNonNull(group, "group is null");
    requireNonNull(name, "name is null");
    requireNonNull(expression, "expression is null");
    requireNonNull(aggregation, "aggregation is null");
    requireNonNull(windowDays, "windowDays is null");
    requireNonNull(description, "description is null");
  }

  /** {@code group.feature}, as users name features. */
  public String qualifiedName() {
    return group + "." + name;
  }

  /** The effective aggregation: row-level features take the newest row's value. */
  public Aggregation effectiveAggregation() {
    return aggregation.orElse(Aggregation.LATEST);
  }

  /** The normalized text the definition hash is computed from. */
  String normalized() {
    return String.join(
        "|",
        name,
        expression.trim().replaceAll("\\s+", " "),
        aggregation.map(Aggregation::configName).orElse("row"),
        windowDays.map(String::valueOf).orElse("all"));
  }
}
