/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.quality;

import com.typesafe.config.Config;
import dev.sluice.config.ConfigReader;
import dev.sluice.error.PipelineErrors;
import dev.sluice.quality.QualityCheck.CheckType;
import dev.sluice.quality.QualityCheck.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code sluice.quality} section: checks per table, whether failing rows are quarantined, and
 * the row-count anomaly threshold.
 *
 * @param tables checks per table name
 * @param quarantine tables whose failing rows go to {@code <table>_quarantine}
 * @param maxRowCountChange a relative change of a table's row count between two checks beyond which
 *     Deequ's anomaly detection raises a warning
 */
public record QualityConfig(
    Map<String, List<QualityCheck>> tables, List<String> quarantine, double maxRowCountChange) {
  public QualityConfig {
    tables = Map.copyOf(tables);
    quarantine = List.copyOf(quarantine);
  }

  public List<QualityCheck> checks(String table) {
    return tables.getOrDefault(table, List.of());
  }

  public boolean quarantines(String table) {
    return quarantine.contains(table);
  }

  public static QualityConfig from(ConfigReader sluice) {
    ConfigReader quality = sluice.section("quality");
    Map<String, List<QualityCheck>> tables = new TreeMap<>();
    List<String> quarantine = new ArrayList<>();
    Config raw = quality.rawSection("tables");
    for (String table : raw.root().keySet().stream().sorted().toList()) {
      ConfigReader t = quality.section("tables." + table);
      List<QualityCheck> checks = new ArrayList<>();
      List<? extends Config> entries = t.objectList("checks");
      for (int i = 0; i < entries.size(); i++) {
        checks.add(check(new ConfigReader(entries.get(i), t.path("checks[" + i + "]"))));
      }
      tables.put(table, checks);
      if (t.has("quarantine") && Boolean.parseBoolean(t.string("quarantine"))) {
        quarantine.add(table);
      }
    }
    return new QualityConfig(tables, quarantine, quality.fraction("max-row-count-change"));
  }

  private static QualityCheck check(ConfigReader c) {
    String rawType = c.nonEmptyString("type", "completeness");
    CheckType type =
        Arrays.stream(CheckType.values())
            .filter(t -> t.configName().equals(rawType))
            .findFirst()
            .orElseThrow(
                () ->
                    PipelineErrors.invalidConfig(
                        c.path("type"),
                        rawType,
                        "must be one of completeness, uniqueness, non-negative, contained-in,"
                            + " range, size, pattern, sql"));
    String rawLevel = c.has("level") ? c.string("level") : "error";
    Level level =
        Arrays.stream(Level.values())
            .filter(l -> l.configName().equals(rawLevel))
            .findFirst()
            .orElseThrow(
                () ->
                    PipelineErrors.invalidConfig(
                        c.path("level"), rawLevel, "must be warning or error"));
    List<String> columns =
        c.has("columns")
            ? c.stringList("columns")
            : c.has("column") ? List.of(c.nonEmptyString("column", "customer_id")) : List.of();
    boolean needsColumn = type != CheckType.SIZE && type != CheckType.SQL;
    if (needsColumn && columns.isEmpty()) {
      throw PipelineErrors.missingConfig(
          c.path("column"), "a " + rawType + " check needs a column");
    }
    if (type == CheckType.CONTAINED_IN && c.stringList("values").isEmpty()) {
      throw PipelineErrors.missingConfig(c.path("values"), "a contained-in check needs values");
    }
    Optional<Double> min = number(c, "min");
    Optional<Double> max = number(c, "max");
    if ((type == CheckType.RANGE || type == CheckType.SIZE) && min.isEmpty() && max.isEmpty()) {
      throw PipelineErrors.missingConfig(c.path("min"), "a " + rawType + " check needs min or max");
    }
    if (type == CheckType.PATTERN && !c.has("pattern")) {
      throw PipelineErrors.missingConfig(c.path("pattern"), "a pattern check needs a regex");
    }
    if (type == CheckType.SQL && !c.has("predicate")) {
      throw PipelineErrors.missingConfig(c.path("predicate"), "a sql check needs a predicate");
    }
    return new QualityCheck(
        type,
        columns,
        level,
        c.has("min-fraction") ? c.fraction("min-fraction") : 1.0,
        c.stringList("values"),
        min,
        max,
        c.has("pattern") ? Optional.of(c.string("pattern")) : Optional.empty(),
        c.has("predicate") ? Optional.of(c.string("predicate")) : Optional.empty());
  }

  private static Optional<Double> number(ConfigReader c, String key) {
    if (!c.has(key)) {
      return Optional.empty();
    }
    String raw = c.string(key);
    try {
      return Optional.of(Double.parseDouble(raw));
    } catch (NumberFormatException e) {
      throw PipelineErrors.invalidConfig(c.path(key), raw, "must be a number");
    }
  }
}
