/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What build of Sluice is running: the code version recorded in job_runs and lineage. */
public final class BuildInfo {
  /** Sluice's source repository: the producer of its OpenLineage events (docs/lineage.md). */
  public static final String REPOSITORY_URL = "https://github.com/sluice-mlops/sluice";

  private static final String RESOURCE = "/sluice-build.properties";

  private BuildInfo() {}

  /** The git commit (abbreviated, with "-dirty" for uncommitted changes) or else the version. */
  public static String codeVersion() {
    Properties props = load();
    String commit = props.getProperty("git.commit", "");
    if (commit.isBlank() || commit.startsWith("${")) {
      return props.getProperty("version", "unknown");
    }
    return "true".equals(props.getProperty("git.dirty")) ? commit + "-dirty" : commit;
  }

  public static String version() {
    return load().getProperty("version", "unknown");
  }

  private static Properties load() {
    Properties props = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
    return props;
  }
}
