/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.OpenLineageConfig;
import dev.sluice.config.OpenLineageConfig.Transport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestOpenLineageEmitter {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();

  @Test
  void theFileTransportAppendsOneJsonLinePerEvent() throws Exception {
    Path file = dir.resolve("lineage").resolve("events.jsonl");
    OpenLineageEmitter emitter = emitter(fileConfig(file));

    assertThat(emitter.emit("START", () -> event("START"))).isTrue();
    assertThat(emitter.emit("COMPLETE", () -> event("COMPLETE"))).isTrue();

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    assertThat(lines)
        .extracting(l -> JSON.readTree(l).path("eventType").asText())
        .containsExactly("START", "COMPLETE");
    assertThat(emitter.errors()).isZero();
  }

  @Test
  void theHttpTransportPostsJson() {
    try (LineageReceiver receiver = LineageReceiver.start()) {
      OpenLineageEmitter emitter = emitter(httpConfig(receiver.url()));

      assertThat(emitter.emit("START", () -> event("START"))).isTrue();

      assertThat(receiver.received())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.contentType()).isEqualTo("application/json");
                assertThat(r.event().path("eventType").asText()).isEqualTo("START");
              });
    }
  }

  @Test
  void anEndpointThatIsDownIsAWarningAndACount() {
    String url = LineageReceiver.downUrl();
    OpenLineageEmitter emitter = emitter(httpConfig(url));

    assertThat(emitter.emit("START", () -> event("START"))).isFalse();

    assertThat(emitter.errors()).isEqualTo(1);
    assertThat(warnings.toString(StandardCharsets.UTF_8))
        .contains("[sluice] warning: OpenLineage START event not delivered to " + url);
  }

  @Test
  void anEndpointThatRefusesIsAWarningAndACount() {
    try (LineageReceiver receiver = LineageReceiver.start(500)) {
      OpenLineageEmitter emitter = emitter(httpConfig(receiver.url()));

      assertThat(emitter.emit("FAIL", () -> event("FAIL"))).isFalse();

      assertThat(emitter.errors()).isEqualTo(1);
      assertThat(warnings.toString(StandardCharsets.UTF_8))
          .contains("OpenLineage FAIL event not delivered")
          .contains("HTTP 500");
    }
  }

  @Test
  void anEventThatCannotBeBuiltIsCountedNotThrown() {
    OpenLineageEmitter emitter = emitter(fileConfig(dir.resolve("events.jsonl")));

    boolean sent =
        emitter.emit(
            "COMPLETE",
            () -> {
              throw new IllegalStateException("broken");
            });

    assertThat(sent).isFalse();
    assertThat(emitter.errors()).isEqualTo(1);
    assertThat(warnings.toString(StandardCharsets.UTF_8))
        .contains("cannot build the event: java.lang.IllegalStateException: broken");
  }

  private OpenLineageEmitter emitter(OpenLineageConfig config) {
    return OpenLineageEmitter.of(config, new PrintStream(warnings, true, StandardCharsets.UTF_8));
  }

  private static OpenLineageConfig fileConfig(Path file) {
    return new OpenLineageConfig(
        Transport.FILE, Optional.of(file), Optional.empty(), "sluice", 2000);
  }

  private static OpenLineageConfig httpConfig(String url) {
    return new OpenLineageConfig(
        Transport.HTTP, Optional.empty(), Optional.of(URI.create(url)), "sluice", 2000);
  }

  private static ObjectNode event(String type) {
    return JSON.createObjectNode().put("eventType", type);
  }
}
