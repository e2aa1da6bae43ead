/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import dev.sluice.error.PipelineErrors;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Paths;
import java.util.Set;

/**
 * Where the lakehouse lives.
 *
 * @param root the lake root as an absolute URI ({@code file:/...} or {@code s3a://bucket/path})
 * @param database the catalog database every table is registered in
 */
public record LakeConfig(URI root, String database) {
  private static final Set<String> SCHEMES =
      Set.of("file", "s3a", "hdfs", "abfs", "abfss", "gs", "wasb", "wasbs");

  public LakeConfig {
    requireNonNull(root, "root is null");
    requireNonNull(database, "database is null");
  }

  static LakeConfig from(ConfigReader reader) {
    String rawRoot = reader.nonEmptyString("root", "./lakehouse or s3a://bucket/lake");
    String database = reader.nonEmptyString("database", "sluice");
    if (!database.matches("[a-z][a-z0-9_]*")) {
      throw PipelineErrors.invalidConfig(
          reader.path("database"), database, "must be a lower snake_case identifier");
    }
    return new LakeConfig(toUri(reader.path("root"), rawRoot), database);
  }

  /** A local path becomes an absolute file: URI; a URI must name a Hadoop file system scheme. */
  static URI toUri(String key, String raw) {
    String value = raw.endsWith("/") && raw.length() > 1 ? raw.substring(0, raw.length() - 1) : raw;
    if (!value.contains("://") && !value.startsWith("file:")) {
      return Paths.get(value).toAbsolutePath().normalize().toUri();
    }
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme())) {
        throw PipelineErrors.invalidConfig(key, raw, "the scheme must be one of " + SCHEMES);
      }
      if (!"file".equals(uri.getScheme()) && (uri.getAuthority() == null)) {
        throw PipelineErrors.invalidConfig(
            key, raw, "must name a bucket or host, e.g. s3a://my-bucket/lake");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw PipelineErrors.invalidConfig(key, raw, "must be a path or a URI: " + e.getReason());
    }
  }

  public boolean isLocal() {
    return "file".equals(root.getScheme());
  }
}
