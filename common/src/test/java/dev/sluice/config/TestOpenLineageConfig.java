/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.OpenLineageConfig.Transport;
import dev.sluice.error.ErrorCode;
import dev.sluice.error.SluiceException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestOpenLineageConfig {
  @TempDir Path dir;

  @Test
  void isOffByDefault() throws Exception {
    assertThat(load(Map.of()))
        .isEqualTo(
            new OpenLineageConfig(
                Transport.NONE, Optional.empty(), Optional.empty(), "sluice", 5000));
  }

  @Test
  void mapsEveryKeyOfTheFileTransport() throws Exception {
    OpenLineageConfig config =
        load(
            Map.of(
                "sluice.openlineage.transport", "file",
                "sluice.openlineage.file", dir.resolve("x/../events.jsonl").toString(),
                "sluice.openlineage.namespace", "prod-lake",
                "sluice.openlineage.timeout-ms", "250"));

    assertThat(config)
        .isEqualTo(
            new OpenLineageConfig(
                Transport.FILE,
                Optional.of(dir.resolve("events.jsonl").toAbsolutePath()),
                Optional.empty(),
                "prod-lake",
                250));
  }

  @Test
  void mapsEveryKeyOfTheHttpTransport() throws Exception {
    OpenLineageConfig config =
        load(
            Map.of(
                "sluice.openlineage.transport", "HTTP",
                "sluice.openlineage.url", "http://127.0.0.1:5000/api/v1/lineage"));

    assertThat(config.transport()).isEqualTo(Transport.HTTP);
    assertThat(config.url()).contains(URI.create("http://127.0.0.1:5000/api/v1/lineage"));
    assertThat(config.file()).isEmpty();
  }

  /** -D overrides (key=value pairs separated by ';') and the start of the message they cause. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "transport=kafka | Invalid config sluice.openlineage.transport = 'kafka': must be one of"
            + " \"none\", \"file\" or \"http\"",
        "transport=http | Invalid config sluice.openlineage.url = '': must be an http(s):// URL",
        "transport=http;url=ftp://127.0.0.1/x | Invalid config sluice.openlineage.url ="
            + " 'ftp://127.0.0.1/x'",
        "transport=file | Invalid config sluice.openlineage.file = '': must be a file path when"
            + " sluice.openlineage.transport is \"file\"",
        "timeout-ms=0 | Invalid config sluice.openlineage.timeout-ms = '0': must be a positive"
            + " integer",
        "namespace=' ' | Invalid config sluice.openlineage.namespace",
      })
  void invalidValuesNameKeyValueAndFix(String settings, String message) throws Exception {
    Map<String, String> overrides = new HashMap<>();
    for (String setting : settings.split(";")) {
      String[] kv = setting.split("=", 2);
      overrides.put("sluice.openlineage." + kv[0], kv[1].replace("'", ""));
    }
    Path empty = emptyFile();

    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(empty), overrides))
        .as(settings)
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((SluiceException) e).code())
        .isEqualTo(ErrorCode.CONFIG);
  }

  private OpenLineageConfig load(Map<String, String> overrides) throws Exception {
    return ConfigLoader.load(Optional.of(emptyFile()), overrides).openlineage();
  }

  private Path emptyFile() throws Exception {
    Path file = dir.resolve("empty.conf");
    Files.writeString(file, "");
    return file;
  }
}
