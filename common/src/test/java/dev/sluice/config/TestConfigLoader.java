/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.error.ErrorCode;
import dev.sluice.error.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestConfigLoader {
  @TempDir Path dir;

  @Test
  void recordsEveryDefault() throws Exception {
    SluiceConfig config = ConfigLoader.load(Optional.of(emptyFile()), Map.of());

    assertThat(config.lake())
        .isEqualTo(
            new LakeConfig(
                Paths.get("./lakehouse").toAbsolutePath().normalize().toUri(), "sluice"));
    assertThat(config.spark()).isEqualTo(new SparkSettings("local[*]", 8, Map.of(), Map.of()));
    assertThat(config.jobs()).isEqualTo(new JobsConfig(10_000, 60_000));
    assertThat(config.sources())
        .containsExactly(
            new SourceConfig("raw_customers", Optional.empty()),
            new SourceConfig("raw_activity", Optional.empty()),
            new SourceConfig("raw_labels", Optional.empty()));
    assertThat(config.sample())
        .isEqualTo(
            new SampleConfig(
                20_000,
                60,
                42,
                LocalDate.parse("2026-09-01"),
                40,
                0.005,
                7,
                21,
                "raw_customers",
                "raw_activity",
                "raw_labels"));
    assertThat(config.confHash()).hasSize(64);
  }

  @Test
  void mapsEveryKey() throws Exception {
    Path file = dir.resolve("full.conf");
    Files.writeString(
        file,
        """
        sluice {
          lake { root = "s3a://bucket/lake/", database = "lake_db" }
          spark {
            master = "spark://127.0.0.1:7077"
            shuffle-partitions = 64
            conf { "spark.executor.memory" = "4g" }
          }
          hadoop { "fs.s3a.endpoint" = "http://127.0.0.1:9000", fs.s3a.endpoint.region = "us-east-1" }
          jobs { lock-heartbeat-ms = 1000, lock-lease-ms = 5000 }
          sources = [ { table = "orders", location = "s3a://other/orders" } ]
          sample {
            customers = 10, days = 5, seed = 7, start-date = "2026-01-01", drift-day = 3
            malformed-share = 0.1, label-delay-days = 2, label-horizon-days = 4
            customers-table = "c", activity-table = "a", labels-table = "l"
          }
        }
        """);

    SluiceConfig config = ConfigLoader.load(Optional.of(file), Map.of());

    assertThat(config.lake())
        .isEqualTo(new LakeConfig(java.net.URI.create("s3a://bucket/lake"), "lake_db"));
    assertThat(config.spark())
        .isEqualTo(
            new SparkSettings(
                "spark://127.0.0.1:7077",
                64,
                Map.of("spark.executor.memory", "4g"),
                Map.of(
                    "fs.s3a.endpoint", "http://127.0.0.1:9000",
                    "fs.s3a.endpoint.region", "us-east-1")));
    assertThat(config.jobs()).isEqualTo(new JobsConfig(1000, 5000));
    assertThat(config.sources())
        .containsExactly(
            new SourceConfig("orders", Optional.of(java.net.URI.create("s3a://other/orders"))));
    assertThat(config.sample())
        .isEqualTo(
            new SampleConfig(10, 5, 7, LocalDate.parse("2026-01-01"), 3, 0.1, 2, 4, "c", "a", "l"));
  }

  @Test
  void commandLineOverridesWinOverTheFile() throws Exception {
    Path file = dir.resolve("a.conf");
    Files.writeString(file, "sluice.lake.database = from_file\n");

    SluiceConfig config =
        ConfigLoader.load(Optional.of(file), Map.of("sluice.lake.database", "from_cli"));

    assertThat(config.lake().database()).as("-D beats --conf").isEqualTo("from_cli");
  }

  @Test
  void missingFileIsAConfigErrorNamingTheFile() {
    Path missing = dir.resolve("does-not-exist.conf");

    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(missing), Map.of()))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("Config file not found: " + missing)
        .extracting(e -> ((SluiceException) e).code())
        .isEqualTo(ErrorCode.CONFIG);
  }

  @Test
  void emptyLakeRootNamesTheKey() throws Exception {
    assertThatThrownBy(
            () -> ConfigLoader.load(Optional.of(emptyFile()), Map.of("sluice.lake.root", "")))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("sluice.lake.root")
        .hasMessageContaining("must not be empty");
  }

  @Test
  void invalidValuesNameKeyValueAndWhatIsAllowed() throws Exception {
    Map<String, String> cases = new HashMap<>();
    cases.put("sluice.spark.shuffle-partitions", "many");
    cases.put("sluice.sample.malformed-share", "1.5");
    cases.put("sluice.sample.start-date", "yesterday");
    cases.put("sluice.lake.root", "ftp://host/x");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      assertThatThrownBy(
              () -> ConfigLoader.load(Optional.of(emptyFile()), Map.of(c.getKey(), c.getValue())))
          .as(c.getKey())
          .isInstanceOf(SluiceException.class)
          .hasMessageContaining("Invalid config " + c.getKey())
          .hasMessageContaining(c.getValue());
    }
  }

  @Test
  void confHashIgnoresSecretsButNotSettings() throws Exception {
    Path file = emptyFile();
    String base = ConfigLoader.load(Optional.of(file), Map.of()).confHash();
    String withSecret =
        ConfigLoader.load(Optional.of(file), Map.of("sluice.hadoop.\"fs.s3a.secret.key\"", "x"))
            .confHash();
    String withSetting =
        ConfigLoader.load(Optional.of(file), Map.of("sluice.spark.shuffle-partitions", "3"))
            .confHash();

    assertThat(withSecret).as("a secret does not change the hash").isEqualTo(base);
    assertThat(withSetting).as("a setting changes the hash").isNotEqualTo(base);
  }

  @Test
  void shippedProfilesParse() {
    for (String profile : List.of("local.conf", "s3.conf", "cluster.conf")) {
      Path file = Paths.get("..", "conf", profile);
      SluiceConfig config =
          ConfigLoader.load(
              Optional.of(file), Map.of("sluice.hadoop.\"fs.s3a.endpoint\"", "http://127.0.0.1:1"));
      assertThat(config.lake().root()).as(profile).isNotNull();
    }
  }

  private Path emptyFile() throws Exception {
    Path file = dir.resolve("empty.conf");
    Files.writeString(file, "");
    return file;
  }
}
