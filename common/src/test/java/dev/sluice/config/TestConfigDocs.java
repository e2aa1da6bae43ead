/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TestConfigDocs {
  @Test
  void everyReferenceKeyIsDocumented() throws Exception {
    String docs = Files.readString(Path.of("..", "docs", "config.md"));
    Config reference = ConfigFactory.parseResources("reference.conf");
    Set<String> keys = new TreeSet<>();
    reference.root().withOnlyKey("sluice").toConfig().entrySet().forEach(e -> keys.add(e.getKey()));
    // Objects and lists documented as a whole (sluice.sources, sluice.spark.conf, sluice.hadoop).
    keys.add("sluice.sources");
    keys.add("sluice.spark.conf");
    keys.add("sluice.hadoop");
    keys.removeIf(k -> k.startsWith("sluice.sources."));
    assertThat(reference.getValue("sluice.sources").valueType()).isEqualTo(ConfigValueType.LIST);

    for (String key : keys) {
      assertThat(docs).as("docs/config.md lists %s", key).contains("`" + key + "`");
    }
  }
}
