/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.build.BuildInfo;
import dev.sluice.job.Decision;
import dev.sluice.job.JobResult;
import dev.sluice.job.RunContext;
import dev.sluice.job.RunKey;
import dev.sluice.table.TableVersion;
import java.net.URI;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestRunEvents {
  private static final LocalDate DATE = LocalDate.parse("2026-10-30");
  private static final URI LAKE = URI.create("file:///tmp/lake/");
  private static final RunContext RUN =
      RunContext.start(
          "score",
          RunKey.of("score", Optional.of("churn"), DATE),
          Optional.of(DATE),
          "abc123",
          "f".repeat(64));
  private static final RunEvents EVENTS =
      new RunEvents(RunEvents.producer(), "sluice", "score.churn", LAKE);

  @Test
  void startNamesTheJobAndTheRunAndIsSchemaValid() {
    ObjectNode start = EVENTS.start(RUN);

    assertThat(RunEventSchema.errors(start)).as(start.toPrettyString()).isEmpty();
    assertThat(start.path("eventType").asText()).isEqualTo("START");
    assertThat(start.path("eventTime").asText()).isEqualTo(RUN.startedAt().toString());
    assertThat(start.path("run").path("runId").asText()).isEqualTo(RUN.runId());
    assertThat(start.path("job").path("namespace").asText()).isEqualTo("sluice");
    assertThat(start.path("job").path("name").asText()).isEqualTo("score.churn");
    assertThat(start.path("producer").asText())
        .isEqualTo(BuildInfo.REPOSITORY_URL + "/tree/" + BuildInfo.version());
    assertThat(start.path("schemaURL").asText())
        .isEqualTo("https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent");
    JsonNode sluice = start.path("run").path("facets").path("sluice");
    assertThat(sluice.path("runKey").asText()).isEqualTo("score/churn/2026-10-30");
    assertThat(sluice.path("logicalDate").asText()).isEqualTo("2026-10-30");
    assertThat(sluice.path("codeVersion").asText()).isEqualTo("abc123");
    assertThat(sluice.has("exitCode")).as("the exit code is not known at START").isFalse();
    assertThat(start.path("inputs")).isEmpty();
    assertThat(start.path("outputs")).isEmpty();
  }

  @Test
  void completeCarriesEveryTableWithItsDeltaVersion() {
    JobResult result =
        new JobResult()
            .input(new TableVersion("raw_activity", 9))
            .input(new TableVersion("snapshots", 2))
            .output(new TableVersion("predictions", 4));

    ObjectNode complete = EVENTS.end(RUN, result, 0, Optional.empty());

    assertThat(RunEventSchema.errors(complete)).as(complete.toPrettyString()).isEmpty();
    assertThat(complete.path("eventType").asText()).isEqualTo("COMPLETE");
    assertThat(complete.path("inputs"))
        .extracting(d -> d.path("name").asText() + "@" + datasetVersion(d))
        .containsExactly("raw_activity@9", "snapshots@2");
    assertThat(complete.path("outputs"))
        .extracting(d -> d.path("name").asText() + "@" + datasetVersion(d))
        .containsExactly("predictions@4");
    assertThat(complete.path("outputs").get(0).path("namespace").asText())
        .as("the lake root, without its trailing slash")
        .isEqualTo("file:///tmp/lake");
    assertThat(complete.path("outputs").get(0).path("facets").path("version").path("_schemaURL"))
        .asString()
        .contains("DatasetVersionDatasetFacet.json");
    assertThat(complete.path("run").path("facets").path("sluice").path("exitCode").asInt())
        .isZero();
    assertThat(complete.path("run").path("facets").has("errorMessage")).isFalse();
  }

  @Test
  void aPolicyDecisionCompletesWithTheDecision() {
    JobResult result = new JobResult().decide(new Decision("canary_abort", "AUC fell by 0.05"), 5);

    ObjectNode event = EVENTS.end(RUN, result, 5, Optional.empty());

    assertThat(RunEventSchema.errors(event)).as(event.toPrettyString()).isEmpty();
    assertThat(event.path("eventType").asText()).as("exit 5 is not a crash").isEqualTo("COMPLETE");
    JsonNode decision = event.path("run").path("facets").path("sluice").path("decision");
    assertThat(decision.path("action").asText()).isEqualTo("canary_abort");
    assertThat(decision.path("reason").asText()).isEqualTo("AUC fell by 0.05");
  }

  @Test
  void aFailureCarriesTheErrorMessage() {
    for (int exitCode : new int[] {1, 2, 3, 4}) {
      ObjectNode event =
          EVENTS.end(RUN, new JobResult(), exitCode, Optional.of("No successful snapshot"));

      assertThat(RunEventSchema.errors(event)).as(event.toPrettyString()).isEmpty();
      assertThat(event.path("eventType").asText()).as("exit %s", exitCode).isEqualTo("FAIL");
      JsonNode error = event.path("run").path("facets").path("errorMessage");
      assertThat(error.path("message").asText()).isEqualTo("No successful snapshot");
      assertThat(error.path("programmingLanguage").asText()).isEqualTo("JAVA");
      assertThat(error.path("_schemaURL").asText()).contains("ErrorMessageRunFacet.json");
    }
  }

  @Test
  void theSchemaRejectsMalformedEvents() {
    ObjectNode noRunId = EVENTS.start(RUN);
    ((ObjectNode) noRunId.path("run")).remove("runId");
    ObjectNode badRunId = EVENTS.start(RUN);
    ((ObjectNode) badRunId.path("run")).put("runId", "score/churn/2026-10-30");
    ObjectNode badType = EVENTS.start(RUN).put("eventType", "BEGIN");
    ObjectNode noFacetProducer = EVENTS.start(RUN);
    ((ObjectNode) noFacetProducer.path("run").path("facets").path("sluice")).remove("_producer");

    assertThat(RunEventSchema.errors(noRunId)).as("runId is required").isNotEmpty();
    assertThat(RunEventSchema.errors(badRunId)).as("runId must be a UUID").isNotEmpty();
    assertThat(RunEventSchema.errors(badType)).as("eventType is an enum").isNotEmpty();
    assertThat(RunEventSchema.errors(noFacetProducer))
        .as("every facet names its producer")
        .isNotEmpty();
  }

  @Test
  void datasetNamespaceIsTheLakeRootWithoutATrailingSlash() {
    assertThat(RunEvents.datasetNamespace(URI.create("s3a://bucket/lake/")))
        .isEqualTo("s3a://bucket/lake");
    assertThat(RunEvents.datasetNamespace(URI.create("file:/data/lakehouse")))
        .isEqualTo("file:/data/lakehouse");
  }

  private static String datasetVersion(JsonNode dataset) {
    return dataset.path("facets").path("version").path("datasetVersion").asText();
  }
}
