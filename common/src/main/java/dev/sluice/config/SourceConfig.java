/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.error.PipelineErrors;
import java.net.URI;
import java.util.Optional;

/**
 * One source table that snapshots pin.
 *
 * @param table its name in the catalog database (and its folder under the lake root)
 * @param location an explicit location outside the lake root, if any
 */
public record SourceConfig(String table, Optional<URI> location) {
  public SourceConfig {
    requireNonNull(table, "table is null");
    requireNonNull(location, "location is null");
  }

  static SourceConfig from(Config entry, String key) {
    ConfigReader reader = new ConfigReader(entry, key);
    String table = reader.nonEmptyString("table", "raw_customers");
    if (!table.matches("[a-z][a-z0-9_]*")) {
      throw PipelineErrors.invalidConfig(
          reader.path("table"), table, "must be a lower snake_case table name");
    }
    Optional<URI> location =
        reader.has("location")
            ? Optional.of(
                LakeConfig.toUri(
                    reader.path("location"), reader.nonEmptyString("location", "s3a://b/t")))
            : Optional.empty();
    return new SourceConfig(table, location);
  }
}
