/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates OpenLineage events: the whole event against the RunEvent schema the project was given
 * (test resource openlineage/OpenLineage.json, draft 2020-12), Sluice's run facet against
 * docs/openlineage/SluiceRunFacet.json, and the standard facets Sluice sends against their
 * published definitions (DatasetVersionDatasetFacet and ErrorMessageRunFacet 1-0-1). Formats
 * ({@code uuid}, {@code date-time}, {@code uri}) are asserted, not just annotated.
 */
public final class RunEventSchema {
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          builder ->
              builder.schemaRegistryConfig(
                  SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

  private static final Schema RUN_EVENT =
      REGISTRY.getSchema(SchemaLocation.of("classpath:openlineage/OpenLineage.json"));

  /** Tests run in a module folder (common/ or jobs/); the facet schema is in docs/. */
  private static final Schema SLUICE_FACETS =
      REGISTRY.getSchema(read(Path.of("..", "docs", "openlineage", "SluiceRunFacet.json")));

  private static final Schema VERSION_FACET =
      REGISTRY.getSchema(
          """
          {"type": "object", "required": ["_producer", "_schemaURL", "datasetVersion"],
           "properties": {"datasetVersion": {"type": "string"}}}
          """);

  private static final Schema ERROR_FACET =
      REGISTRY.getSchema(
          """
          {"type": "object", "required": ["_producer", "_schemaURL", "message",
           "programmingLanguage"],
           "properties": {"message": {"type": "string"}, "programmingLanguage": {"type": "string"},
                          "stackTrace": {"type": "string"}}}
          """);

  private RunEventSchema() {}

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file.toAbsolutePath(), e);
    }
  }

  /** Every violation in {@code event}; empty when it is valid. */
  public static List<String> errors(JsonNode event) {
    List<String> errors = new ArrayList<>();
    RUN_EVENT.validate(event).forEach(e -> errors.add("RunEvent: " + e));
    JsonNode runFacets = event.path("run").path("facets");
    SLUICE_FACETS.validate(runFacets).forEach(e -> errors.add("sluice facet: " + e));
    if (runFacets.has("errorMessage")) {
      ERROR_FACET
          .validate(runFacets.path("errorMessage"))
          .forEach(e -> errors.add("errorMessage facet: " + e));
    }
    for (String side : List.of("inputs", "outputs")) {
      for (JsonNode dataset : event.path(side)) {
        if (!dataset.path("facets").has("version")) {
          errors.add(side + ": no version facet on " + dataset.path("name").asText());
          continue;
        }
        VERSION_FACET
            .validate(dataset.path("facets").path("version"))
            .forEach(e -> errors.add(side + " version facet: " + e));
      }
    }
    return List.copyOf(errors);
  }
}
