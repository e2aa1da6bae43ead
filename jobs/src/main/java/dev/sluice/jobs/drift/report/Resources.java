/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Text resources on the classpath, which the report inlines. */
final class Resources {
  private Resources() {}

  /** A resource of this package, e.g. {@code report.js}. */
  static String text(String name) {
    return absolute(Resources.class.getPackageName().replace('.', '/') + "/" + name);
  }

  /** A resource by its absolute path, without a leading '/'. */
  static String absolute(String path) {
    ClassLoader loader = Resources.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + path + " (a broken build?)");
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read resource " + path, e);
    }
  }
}
