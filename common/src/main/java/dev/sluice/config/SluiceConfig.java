/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.List;

/**
 * The whole Sluice configuration, parsed once and validated. Sections that later stages own are
 * parsed by them from {@link #raw()} through a {@link ConfigReader}.
 *
 * @param confHash SHA-256 (hex) of the resolved {@code sluice} section without secrets
 */
public record SluiceConfig(
    LakeConfig lake,
    SparkSettings spark,
    JobsConfig jobs,
    List<SourceConfig> sources,
    SampleConfig sample,
    RegistryConfig registry,
    OpenLineageConfig openlineage,
    Config raw,
    String confHash) {
  public SluiceConfig {
    requireNonNull(lake, "lake is null");
    requireNonNull(spark, "spark is null");
    requireNonNull(jobs, "jobs is null");
    sources = List.copyOf(requireNonNull(sources, "sources is null"));
    requireNonNull(sample, "sample is null");
    requireNonNull(registry, "registry is null");
    requireNonNull(openlineage, "openlineage is null");
    requireNonNull(raw, "raw is null");
    requireNonNull(confHash, "confHash is null");
  }

  /** A reader of the {@code sluice} section, for stages that parse their own keys. */
  public ConfigReader reader() {
    return new ConfigReader(raw.getConfig("sluice"), "sluice");
  }

  static SluiceConfig from(Config resolved, String confHash) {
    ConfigReader sluice = new ConfigReader(resolved.getConfig("sluice"), "sluice");
    List<SourceConfig> sources =
        sluice.objectList("sources").stream()
            .map(entry -> SourceConfig.from(entry, sluice.path("sources[]")))
            .toList();
    LakeConfig lake = LakeConfig.from(sluice.section("lake"));
    return new SluiceConfig(
        lake,
        SparkSettings.from(sluice),
        JobsConfig.from(sluice.section("jobs")),
        sources,
        SampleConfig.from(sluice.section("sample")),
        RegistryConfig.from(sluice.section("registry"), lake),
        OpenLineageConfig.from(sluice.section("openlineage")),
        resolved,
        confHash);
  }
}
