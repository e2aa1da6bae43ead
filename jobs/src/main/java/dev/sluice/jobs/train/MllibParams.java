/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.sluice.error.PipelineErrors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;

/**
 * Hyper-parameters from conf onto an MLlib estimator: HOCON keys are MLlib param names ({@code
 * maxIter}, {@code regParam}), values are converted to the param's type, and unknown names or
 * values of the wrong type are refused naming the key. Column params are Sluice's to set.
 */
final class MllibParams {
  /** Params the pipeline wires itself; conf cannot override them. */
  static final Set<String> RESERVED =
      Set.of(
          "featuresCol",
          "labelCol",
          "predictionCol",
          "probabilityCol",
          "rawPredictionCol",
          "weightCol",
          "varianceCol",
          "leafCol");

  private MllibParams() {}

  /** The value of one param, converted from its conf value. */
  static Object value(Params estimator, String key, String name, ConfigValue value) {
    Param<?> param = estimator.getParam(name);
    Object raw = value.unwrapped();
    // -D overrides arrive as strings: numbers and booleans are parsed from them.
    String text = String.valueOf(raw).trim();
    try {
      if (param instanceof IntParam) {
        return Integer.parseInt(text);
      }
      if (param instanceof LongParam) {
        return Long.parseLong(text);
      }
      if (param instanceof DoubleParam) {
        return Double.parseDouble(text);
      }
      if (param instanceof FloatParam) {
        return Float.parseFloat(text);
      }
    } catch (NumberFormatException e) {
      return fail(
          key, value, "a number of the param's type (" + param.getClass().getSimpleName() + ")");
    }
    if (param instanceof BooleanParam) {
      if (!text.equals("true") && !text.equals("false")) {
        return fail(key, value, "true or false");
      }
      return Boolean.parseBoolean(text);
    }
    if (value.valueType() == ConfigValueType.STRING) {
      return raw;
    }
    return fail(key, value, "a string");
  }

  /** The params as one map, for {@code estimator.copy(map)}. */
  static ParamMap paramMap(Params estimator, String key, Map<String, ConfigValue> params) {
    ParamMap map = new ParamMap();
    params.forEach(
        (name, value) ->
            put(
                map,
                key + "." + name,
                param(estimator, key, name),
                value(estimator, key + "." + name, name, value)));
    return map;
  }

  /** The Cartesian product of the grid's values, in the grid's key order then value order. */
  static ParamMap[] grid(Params estimator, String key, Map<String, List<ConfigValue>> grid) {
    List<ParamMap> maps = new ArrayList<>(List.of(new ParamMap()));
    for (Map.Entry<String, List<ConfigValue>> axis : grid.entrySet()) {
      Param<?> param = param(estimator, key, axis.getKey());
      List<ParamMap> next = new ArrayList<>();
      for (ParamMap base : maps) {
        for (ConfigValue v : axis.getValue()) {
          ParamMap copy = base.copy();
          String path = key + "." + axis.getKey();
          put(copy, path, param, value(estimator, path, axis.getKey(), v));
          next.add(copy);
        }
      }
      maps = next;
    }
    return maps.toArray(ParamMap[]::new);
  }

  private static Param<?> param(Params estimator, String key, String name) {
    if (RESERVED.contains(name) || !estimator.hasParam(name)) {
      throw PipelineErrors.invalidConfig(
          key + "." + name,
          name,
          "is not a settable param of "
              + estimator.getClass().getSimpleName()
              + "; choose from "
              + Arrays.stream(estimator.params())
                  .map(Param::name)
                  .filter(n -> !RESERVED.contains(n))
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    return estimator.getParam(name);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void put(ParamMap map, String key, Param<?> param, Object value) {
    if (!Boolean.TRUE.equals(((Param) param).isValid().apply(value))) {
      throw PipelineErrors.invalidConfig(
          key, value, "is outside the param's range (" + param.doc() + ")");
    }
    map.put((Param) param, value);
  }

  private static Object fail(String key, ConfigValue value, String expected) {
    throw PipelineErrors.invalidConfig(key, value.render(), "must be " + expected);
  }
}
