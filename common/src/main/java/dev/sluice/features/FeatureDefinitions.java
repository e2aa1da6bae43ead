/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.features;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import dev.sluice.config.ConfigReader;
import dev.sluice.error.PipelineErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code sluice.features.groups} (conf/features.conf) into feature groups. Structural errors
 * (unknown aggregation, bad window, missing key) fail here with exit 2 naming the feature; {@link
 * FeatureValidator} checks columns and types against the source's schema.
 */
public final class FeatureDefinitions {
  private static final Pattern WINDOW = Pattern.compile("([1-9][0-9]{0,3})d");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private FeatureDefinitions() {}

  public static List<FeatureGroup> parse(ConfigReader sluice) {
    if (!sluice.has("features.groups")) {
      return List.of();
    }
    ConfigReader groups = sluice.section("features.groups");
    Config raw = sluice.rawSection("features.groups");
    List<FeatureGroup> out = new ArrayList<>();
    for (String name : raw.root().keySet().stream().sorted().toList()) {
      out.add(group(name, groups.section(name)));
    }
    return List.copyOf(out);
  }

  private static FeatureGroup group(String name, ConfigReader g) {
    requireName(g.path(""), name);
    List<String> keys = g.stringList("entity-keys");
    if (keys.isEmpty()) {
      throw PipelineErrors.invalidConfig(
          g.path("entity-keys"), "[]", "feature group " + name + " needs at least one entity key");
    }
    Config featuresRaw = g.rawSection("features");
    ConfigObject features = featuresRaw.root();
    if (features.isEmpty()) {
      throw PipelineErrors.invalidConfig(
          g.path("features"), "{}", "feature group " + name + " declares no features");
    }
    List<FeatureDefinition> defs = new ArrayList<>();
    for (String feature : features.keySet().stream().sorted().toList()) {
      defs.add(feature(name, feature, g.section("features." + feature)));
    }
    return new FeatureGroup(
        name,
        g.nonEmptyString("source", "raw_activity"),
        keys,
        g.nonEmptyString("event-time-column", "event_ts"),
        g.has("filter") ? Optional.of(g.nonEmptyString("filter", "amount >= 0")) : Optional.empty(),
        g.positiveInt("ttl-days"),
        g.has("owner") ? g.string("owner") : "",
        defs);
  }

  private static FeatureDefinition feature(String group, String name, ConfigReader f) {
    String qualified = group + "." + name;
    requireName(f.path(""), name);
    Optional<Aggregation> aggregation = Optional.empty();
    if (f.has("agg")) {
      String raw = f.string("agg");
      aggregation =
          Optional.of(
              Aggregation.parse(raw)
                  .orElseThrow(
                      () ->
                          PipelineErrors.invalidConfig(
                              f.path("agg"),
                              raw,
                              "feature "
                                  + qualified
                                  + ": aggregation must be one of count, sum,"
                                  + " avg, min, max, stddev, distinct_count, latest")));
    }
    Optional<Integer> window = Optional.empty();
    if (f.has("window")) {
      String raw = f.string("window");
      Matcher m = WINDOW.matcher(raw.trim());
      if (!m.matches()) {
        throw PipelineErrors.invalidConfig(
            f.path("window"),
            raw,
            "feature " + qualified + ": a window is a whole number of days, e.g. 7d, 30d, 90d");
      }
      window = Optional.of(Integer.parseInt(m.group(1)));
    }
    if (aggregation.isPresent() && aggregation.get() != Aggregation.LATEST && window.isEmpty()) {
      throw PipelineErrors.missingConfig(
          f.path("window"), "feature " + qualified + " aggregates, so it needs a window, e.g. 30d");
    }
    String expression = f.has("expr") ? f.nonEmptyString("expr", "amount") : "";
    if (expression.isEmpty() && aggregation.orElse(Aggregation.LATEST) != Aggregation.COUNT) {
      throw PipelineErrors.missingConfig(
          f.path("expr"),
          "feature " + qualified + " needs a SQL expression (only count may omit it)");
    }
    return new FeatureDefinition(
        group,
        name,
        expression.isEmpty() ? "1" : expression,
        aggregation,
        window,
        f.has("description") ? f.string("description") : "");
  }

  private static void requireName(String key, String name) {
    if (!NAME.matcher(name).matches()) {
      throw PipelineErrors.invalidConfig(key, name, "names are lower snake_case");
    }
  }
}
