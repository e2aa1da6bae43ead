/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.features;

import dev.sluice.error.PipelineErrors;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.AtomicType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;

/**
 * Checks a group's definitions against its source's schema (no data is read): unknown columns,
 * expressions that do not analyze, and type errors fail with exit 2 naming the feature.
 */
public final class FeatureValidator {
  private FeatureValidator() {}

  /** Returns the output type of the feature's source expression. */
  public static DataType validate(
      FeatureGroup group, FeatureDefinition feature, Dataset<Row> source) {
    Dataset<Row> empty = source.limit(0);
    for (String key : group.entityKeys()) {
      requireColumn(group, key, "entity key", empty);
    }
    requireColumn(group, group.eventTimeColumn(), "event time column", empty);
    DataType type;
    try {
      type = empty.selectExpr(feature.expression()).schema().fields()[0].dataType();
    } catch (Exception e) {
      throw invalid(
          feature,
          feature.expression(),
          "does not analyze on " + group.source() + ": " + firstLine(e));
    }
    Aggregation agg = feature.effectiveAggregation();
    if (agg.numeric() && !(type instanceof NumericType)) {
      throw invalid(
          feature,
          feature.expression(),
          agg.configName() + " needs a numeric expression, but it is " + type.simpleString());
    }
    if ((agg == Aggregation.MIN || agg == Aggregation.MAX) && !(type instanceof AtomicType)) {
      throw invalid(feature, feature.expression(), agg.configName() + " needs an orderable type");
    }
    return type;
  }

  private static void requireColumn(
      FeatureGroup group, String column, String what, Dataset<Row> empty) {
    if (!java.util.Arrays.asList(empty.columns()).contains(column)) {
      throw PipelineErrors.invalidConfig(
          "sluice.features.groups." + group.name(),
          column,
          String.format(
              "the %s is not a column of %s; it has %s",
              what, group.source(), java.util.Arrays.toString(empty.columns())));
    }
  }

  private static RuntimeException invalid(FeatureDefinition feature, String value, String why) {
    return PipelineErrors.invalidConfig(
        "sluice.features.groups." + feature.group() + ".features." + feature.name(),
        value,
        "feature " + feature.qualifiedName() + " " + why);
  }

  private static String firstLine(Exception e) {
    String message =
        e instanceof AnalysisException a ? a.getSimpleMessage() : String.valueOf(e.getMessage());
    return message.lines().findFirst().orElse(message);
  }
}
