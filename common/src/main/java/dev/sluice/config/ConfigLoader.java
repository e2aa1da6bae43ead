/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import dev.sluice.error.PipelineErrors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Loads the Sluice configuration. Precedence, highest first:
 *
 * <ol>
 *   <li>{@code -Dkey=value} overrides given on the sluice command line;
 *   <li>JVM system properties (e.g. {@code --driver-java-options} of spark-submit);
 *   <li>the {@code --conf} file, or {@code conf/local.conf} in the working directory when no file
 *       is given and it exists;
 *   <li>{@code reference.conf} (every key with its default).
 * </ol>
 *
 * Environment variables are read only where a file refers to them ({@code ${?AWS_ACCESS_KEY_ID}}),
 * for secrets.
 */
public final class ConfigLoader {
  /** The profile used when no --conf is given. */
  public static final Path DEFAULT_CONF = Path.of("conf", "local.conf");

  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(secret|password|token|access\\.key|session\\.key|credential).*");

  private ConfigLoader() {}

  public static SluiceConfig load(Optional<Path> confFile, Map<String, String> overrides) {
    Config file = confFile.map(ConfigLoader::parseFile).orElseGet(ConfigLoader::defaultProfile);
    Config resolved;
    try {
      resolved =
          ConfigFactory.parseMap(overrides, "command line -D")
              .withFallback(ConfigFactory.systemProperties())
              .withFallback(file)
              .withFallback(ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader()))
              .resolve(ConfigResolveOptions.defaults());
    } catch (ConfigException.UnresolvedSubstitution e) {
      throw PipelineErrors.invalidConfig(
          "substitution", e.getMessage(), "every ${...} must resolve to a key or variable");
    } catch (ConfigException e) {
      throw PipelineErrors.invalidConfig(
          "sluice", e.getMessage(), "the config must be valid HOCON");
    }
    return SluiceConfig.from(resolved, hash(resolved));
  }

  private static Config parseFile(Path path) {
    if (!Files.isRegularFile(path)) {
      throw PipelineErrors.configFileMissing(path);
    }
    try {
      return ConfigFactory.parseFile(
          path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw PipelineErrors.configFileUnreadable(path, e);
    }
  }

  private static Config defaultProfile() {
    return Files.isRegularFile(DEFAULT_CONF) ? parseFile(DEFAULT_CONF) : ConfigFactory.empty();
  }

  /** The hash of the resolved sluice section with secrets removed; keys render sorted. */
  static String hash(Config resolved) {
    Config sluice = resolved.getConfig("sluice");
    for (Map.Entry<String, ?> entry : sluice.entrySet()) {
      if (SECRET_KEY.matcher(entry.getKey()).matches()) {
        sluice = sluice.withoutPath(entry.getKey());
      }
    }
    String canonical = sluice.root().render(ConfigRenderOptions.concise());
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
