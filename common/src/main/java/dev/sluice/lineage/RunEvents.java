/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.lineage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.build.BuildInfo;
import dev.sluice.error.ErrorCode;
import dev.sluice.job.JobResult;
import dev.sluice.job.RunContext;
import dev.sluice.table.TableVersion;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Builds the OpenLineage run events (spec 2-0-2, {@code RunEvent}) of one Sluice job's attempts:
 * the job is {@code (namespace, name)}, the run is the attempt's {@code run_id}, and the datasets
 * are the tables read and written, named in the lake root's namespace, each with its Delta version
 * in the {@code version} facet. docs/lineage.md shows an event.
 */
public final class RunEvents {
  public static final String START = "START";
  public static final String COMPLETE = "COMPLETE";
  public static final String FAIL = "FAIL";

  /** The RunEvent definition of the spec version the events follow. */
  public static final String SCHEMA_URL =
      "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";

  static final String VERSION_FACET_URL =
      "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json"
          + "#/$defs/DatasetVersionDatasetFacet";
  static final String ERROR_FACET_URL =
      "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json"
          + "#/$defs/ErrorMessageRunFacet";

  /** Sluice's own run facet: run key, code version, conf hash, exit code and decision. */
  public static final String SLUICE_FACET = "sluice";

  static final String SLUICE_FACET_URL =
      BuildInfo.REPOSITORY_URL
          + "/blob/main/docs/openlineage/SluiceRunFacet.json#/$defs/SluiceRunFacet";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String producer;
  private final String jobNamespace;
  private final String jobName;
  private final String datasetNamespace;

  /**
   * @param producer the URI of the code that produces the events (Sluice's repository at its
   *     version)
   * @param jobNamespace the namespace of every Sluice job ({@code sluice.openlineage.namespace})
   * @param jobName the stable name of the job, the same across dates (e.g. {@code score.churn})
   * @param lakeRoot the lake root: the namespace of every table
   */
  public RunEvents(String producer, String jobNamespace, String jobName, URI lakeRoot) {
    this.producer = requireNonNull(producer, "producer is null");
    this.jobNamespace = requireNonNull(jobNamespace, "jobNamespace is null");
    this.jobName = requireNonNull(jobName, "jobName is null");
    this.datasetNamespace = datasetNamespace(requireNonNull(lakeRoot, "lakeRoot is null"));
  }

  /** The producer URI of this build: the repository at the Sluice version. */
  public static String producer() {
    return BuildInfo.REPOSITORY_URL + "/tree/" + BuildInfo.version();
  }

  /** The namespace of the tables under {@code lakeRoot}: its URI without a trailing slash. */
  public static String datasetNamespace(URI lakeRoot) {
    String uri = lakeRoot.toString();
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  /** The START event: sent when the attempt begins, before it read anything. */
  public ObjectNode start(RunContext run) {
    ObjectNode event = event(START, run.startedAt(), run);
    event.putArray("inputs");
    event.putArray("outputs");
    return event;
  }

  /**
   * The event that ends the attempt: COMPLETE for exit 0 and for a policy decision (exit 5), else
   * FAIL with the {@code errorMessage} facet. Carries every table read and written.
   */
  public ObjectNode end(RunContext run, JobResult result, int exitCode, Optional<String> error) {
    boolean complete = COMPLETE.equals(endType(exitCode));
    ObjectNode event = event(endType(exitCode), Instant.now(), run);
    ObjectNode runFacets = (ObjectNode) event.path("run").path("facets");
    ObjectNode sluice = (ObjectNode) runFacets.path(SLUICE_FACET);
    sluice.put("exitCode", exitCode);
    result
        .decision()
        .ifPresent(
            d -> sluice.putObject("decision").put("action", d.action()).put("reason", d.reason()));
    if (!complete) {
      ObjectNode facet = facet(runFacets, "errorMessage", ERROR_FACET_URL);
      facet.put("message", error.orElse("Exit code " + exitCode));
      facet.put("programmingLanguage", "JAVA");
    }
    datasets(event.putArray("inputs"), result.inputs());
    datasets(event.putArray("outputs"), result.outputs());
    return event;
  }

  /** The type of the event that ends an attempt with {@code exitCode}. */
  public static String endType(int exitCode) {
    return exitCode == 0 || exitCode == ErrorCode.POLICY.exitCode() ? COMPLETE : FAIL;
  }

  private ObjectNode event(String eventType, Instant eventTime, RunContext run) {
    ObjectNode event = JSON.createObjectNode();
    event.put("eventType", eventType);
    event.put("eventTime", eventTime.toString());
    ObjectNode runNode = event.putObject("run");
    runNode.put("runId", run.runId());
    ObjectNode sluice = facet(runNode.putObject("facets"), SLUICE_FACET, SLUICE_FACET_URL);
    sluice.put("job", run.job());
    sluice.put("runKey", run.runKey().value());
    run.date().ifPresent(d -> sluice.put("logicalDate", d.toString()));
    sluice.put("codeVersion", run.codeVersion());
    sluice.put("confHash", run.confHash());
    ObjectNode job = event.putObject("job");
    job.put("namespace", jobNamespace);
    job.put("name", jobName);
    job.putObject("facets");
    event.put("producer", producer);
    event.put("schemaURL", SCHEMA_URL);
    return event;
  }

  private void datasets(ArrayNode array, List<TableVersion> tables) {
    for (TableVersion table : tables) {
      ObjectNode dataset = array.addObject();
      dataset.put("namespace", datasetNamespace);
      dataset.put("name", table.table());
      ObjectNode version = facet(dataset.putObject("facets"), "version", VERSION_FACET_URL);
      version.put("datasetVersion", String.valueOf(table.version()));
    }
  }

  private ObjectNode facet(ObjectNode facets, String name, String schemaUrl) {
    ObjectNode facet = facets.putObject(name);
    facet.put("_producer", producer);
    facet.put("_schemaURL", schemaUrl);
    return facet;
  }
}
