/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.TinyLake;
import dev.sluice.lineage.LineageReceiver;
import dev.sluice.lineage.RunEventSchema;
import dev.sluice.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every job sends OpenLineage run events through JobRunner (docs/lineage.md). */
class TestOpenLineageEvents extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DATE = "2026-10-30";

  @Test
  void aJobPostsStartThenCompleteWithTheVersionsOfItsSummary() throws Exception {
    Path root = oneTableLake("ol-http");
    try (LineageReceiver receiver = LineageReceiver.start()) {
      CliRun run = snapshot(root, "-Dsluice.openlineage.transport=http", url(receiver.url()));

      assertThat(run.exitCode()).as(run.toString()).isZero();
      JsonNode summary = run.summary();
      List<JsonNode> events = receiver.events();
      assertThat(events)
          .extracting(e -> e.path("eventType").asText())
          .containsExactly("START", "COMPLETE");
      assertThat(receiver.received())
          .allSatisfy(r -> assertThat(r.contentType()).isEqualTo("application/json"));
      for (JsonNode event : events) {
        assertThat(RunEventSchema.errors(event)).as(event.toPrettyString()).isEmpty();
        assertThat(event.path("run").path("runId").asText())
            .isEqualTo(summary.path("run_id").asText());
        assertThat(event.path("job").path("namespace").asText()).isEqualTo("sluice");
        assertThat(event.path("job").path("name").asText()).isEqualTo("snapshot");
      }
      JsonNode complete = events.get(1);
      assertThat(tables(complete.path("outputs")))
          .as("the outputs at the versions of the summary line")
          .isEqualTo(tables(summary.path("outputs")))
          .isNotEmpty();
      assertThat(tables(complete.path("inputs"))).isEqualTo(tables(summary.path("inputs")));
      assertThat(complete.path("outputs").get(0).path("namespace").asText())
          .isEqualTo(root.toUri().toString().replaceAll("/$", ""));
      assertThat(summary.path("metrics").path("openlineage.errors").asInt()).isZero();
    }
  }

  @Test
  void aJobThatExitsFourAppendsStartAndFailWithTheError() throws Exception {
    Path root = TinyLake.newRoot("ol-fail");
    Path file = root.resolve("_lineage").resolve("events.jsonl");

    String[] fileTransport = {
      "-Dsluice.openlineage.transport=file", "-Dsluice.openlineage.file=" + file
    };

    CliRun run = features(root, fileTransport);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      events.add(JSON.readTree(line));
    }
    assertThat(events)
        .extracting(e -> e.path("eventType").asText())
        .containsExactly("START", "FAIL");
    events.forEach(e -> assertThat(RunEventSchema.errors(e)).as(e.toPrettyString()).isEmpty());
    JsonNode fail = events.get(1);
    assertThat(fail.path("run").path("runId").asText())
        .isEqualTo(run.summary().path("run_id").asText());
    assertThat(fail.path("job").path("name").asText()).isEqualTo("features");
    assertThat(fail.path("run").path("facets").path("errorMessage").path("message").asText())
        .isEqualTo(run.summary().path("error").asText())
        .contains("No successful snapshot for " + DATE);
    assertThat(fail.path("run").path("facets").path("sluice").path("exitCode").asInt())
        .isEqualTo(4);
  }

  @Test
  void aReceiverThatIsDownLeavesTheJobSucceedingWithAWarning() throws Exception {
    Path root = oneTableLake("ol-down");
    String down = LineageReceiver.downUrl();

    CliRun run = snapshot(root, "-Dsluice.openlineage.transport=http", url(down));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.summary().path("status").asText()).isEqualTo("succeeded");
    assertThat(run.summary().path("metrics").path("openlineage.errors").asInt())
        .as("START and COMPLETE undelivered")
        .isEqualTo(2);
    assertThat(run.stderr())
        .contains("[sluice] warning: OpenLineage START event not delivered to " + down)
        .contains("[sluice] warning: OpenLineage COMPLETE event not delivered to " + down);
  }

  @Test
  void anUnknownTransportIsAConfigError() {
    CliRun run = CliRun.execute("snapshot", "--date", DATE, "-Dsluice.openlineage.transport=kafka");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr())
        .contains("Invalid config sluice.openlineage.transport = 'kafka'")
        .contains("-Dsluice.openlineage.transport=");
  }

  /** A lake whose only source, t1, has one Delta version; sources from its test.conf. */
  private static Path oneTableLake(String name) throws Exception {
    Path root = TinyLake.newRoot(name);
    spark.range(5).toDF("id").write().format("delta").save(root.resolve("t1").toUri().toString());
    Files.writeString(root.resolve("test.conf"), "sluice.sources = [ { table = \"t1\" } ]\n");
    return root;
  }

  private static CliRun snapshot(Path root, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "snapshot",
                "--date",
                DATE,
                "--conf",
                root.resolve("test.conf").toString(),
                "-Dsluice.lake.root=" + root));
    args.addAll(List.of(extra));
    return CliRun.execute(args);
  }

  /** {@code features build} on {@code root} with the shipped profile. */
  private static CliRun features(Path root, String... extra) {
    List<String> args = new ArrayList<>(List.of("features", "build", "--date", DATE));
    args.addAll(List.of(extra));
    return CliRun.execute(TinyLake.args(root, args.toArray(new String[0])));
  }

  private static String url(String url) {
    return "-Dsluice.openlineage.url=" + url;
  }

  /** {@code table@version} of OpenLineage datasets or of the summary's table lists. */
  private static List<String> tables(JsonNode list) {
    List<String> tables = new ArrayList<>();
    for (JsonNode t : list) {
      if (t.has("table")) {
        tables.add(t.path("table").asText() + "@" + t.path("version").asLong());
      } else {
        String version = t.path("facets").path("version").path("datasetVersion").asText();
        tables.add(t.path("name").asText() + "@" + version);
      }
    }
    return tables;
  }
}
