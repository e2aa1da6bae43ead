/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.sluice.error.PipelineErrors;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads typed, validated values from one section of the config. Every failure is a config error
 * (exit 2) that names the full key, the value found and what is allowed.
 */
public final class ConfigReader {
  private final Config config;
  private final String prefix;

  public ConfigReader(Config config, String prefix) {
    this.config = requireNonNull(config, "config is null");
    this.prefix = requireNonNull(prefix, "prefix is null");
  }

  /** A reader of a sub-section, e.g. {@code reader.section("lake")}. */
  public ConfigReader section(String key) {
    return new ConfigReader(config.getConfig(key), path(key));
  }

  public String path(String key) {
    if (key.isEmpty()) {
      return prefix;
    }
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  /** This reader's whole section, raw. */
  public Config raw() {
    return config;
  }

  /** The raw sub-section, for iterating its keys (names of groups, features...). */
  public Config rawSection(String key) {
    if (!config.hasPath(key)) {
      return com.typesafe.config.ConfigFactory.empty();
    }
    try {
      return config.getConfig(key);
    } catch (ConfigException.WrongType e) {
      throw PipelineErrors.invalidConfig(path(key), render(key), "must be an object");
    }
  }

  public boolean has(String key) {
    return config.hasPath(key);
  }

  public String string(String key) {
    requirePresent(key, "a string");
    ConfigValue value = config.getValue(key);
    if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
      throw PipelineErrors.invalidConfig(path(key), value.render(), "must be a string");
    }
    return String.valueOf(value.unwrapped());
  }

  public String nonEmptyString(String key, String example) {
    String value = string(key).trim();
    if (value.isEmpty()) {
      throw PipelineErrors.invalidConfig(path(key), value, "must not be empty, e.g. " + example);
    }
    return value;
  }

  public int positiveInt(String key) {
    long value = longValue(key, "a positive integer");
    if (value <= 0 || value > Integer.MAX_VALUE) {
      throw PipelineErrors.invalidConfig(path(key), value, "must be a positive integer");
    }
    return (int) value;
  }

  public long positiveLong(String key) {
    long value = longValue(key, "a positive integer");
    if (value <= 0) {
      throw PipelineErrors.invalidConfig(path(key), value, "must be a positive integer");
    }
    return value;
  }

  public long longValue(String key, String allowed) {
    requirePresent(key, allowed);
    try {
      return config.getLong(key);
    } catch (ConfigException.WrongType e) {
      throw PipelineErrors.invalidConfig(path(key), render(key), "must be " + allowed);
    }
  }

  public double fraction(String key) {
    requirePresent(key, "a number between 0 and 1");
    double value;
    try {
      value = config.getDouble(key);
    } catch (ConfigException.WrongType e) {
      throw PipelineErrors.invalidConfig(
          path(key), render(key), "must be a number between 0 and 1");
    }
    if (!(value >= 0.0 && value <= 1.0)) {
      throw PipelineErrors.invalidConfig(path(key), value, "must be a number between 0 and 1");
    }
    return value;
  }

  /** A finite number at least 0 (e.g. a PSI threshold, which may exceed 1). */
  public double nonNegativeDouble(String key) {
    requirePresent(key, "a number >= 0");
    double value;
    try {
      value = config.getDouble(key);
    } catch (ConfigException.WrongType e) {
      throw PipelineErrors.invalidConfig(path(key), render(key), "must be a number >= 0");
    }
    if (!(value >= 0.0) || Double.isInfinite(value)) {
      throw PipelineErrors.invalidConfig(path(key), value, "must be a finite number >= 0");
    }
    return value;
  }

  public LocalDate date(String key) {
    String value = string(key);
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw PipelineErrors.invalidConfig(path(key), value, "must be an ISO date like 2026-09-01");
    }
  }

  /** A flat map of string settings; nested HOCON objects are flattened to dotted keys. */
  public Map<String, String> stringMap(String key) {
    if (!config.hasPath(key)) {
      return Map.of();
    }
    Config section;
    try {
      section = config.getConfig(key);
    } catch (ConfigException.WrongType e) {
      throw PipelineErrors.invalidConfig(path(key), render(key), "must be an object of settings");
    }
    Map<String, String> out = new TreeMap<>();
    section
        .entrySet()
        .forEach(e -> out.put(unquote(e.getKey()), String.valueOf(e.getValue().unwrapped())));
    return Map.copyOf(out);
  }

  public List<? extends Config> objectList(String key) {
    requirePresent(key, "a list of objects");
    try {
      return config.getConfigList(key);
    } catch (ConfigException.WrongType e) {
      throw PipelineErrors.invalidConfig(path(key), render(key), "must be a list of objects");
    }
  }

  public List<String> stringList(String key) {
    if (!config.hasPath(key)) {
      return List.of();
    }
    try {
      return List.copyOf(config.getStringList(key));
    } catch (ConfigException.WrongType e) {
      throw PipelineErrors.invalidConfig(path(key), render(key), "must be a list of strings");
    }
  }

  private void requirePresent(String key, String allowed) {
    if (!config.hasPath(key)) {
      throw PipelineErrors.missingConfig(path(key), "must be " + allowed);
    }
  }

  private String render(String key) {
    return config.getValue(key).render();
  }

  /** Keys like "fs.s3a.endpoint" arrive quoted when the HOCON source quoted them. */
  private static String unquote(String key) {
    return key.replace("\"", "");
  }
}
