/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.table.TableVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The last line a job prints on stdout: one JSON object, the only output orchestrators read besides
 * the exit code. Its schema is documented in docs/job-contract.md.
 */
public final class JobSummary {
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  /** Exit 5: the job ran and took a policy decision (gate refused, canary abort, rollback). */
  public static final String DECIDED = "decided";

  private static final ObjectMapper JSON = new ObjectMapper();

  private JobSummary() {}

  public static String toJson(
      RunContext run, String status, int exitCode, JobResult result, String error) {
    ObjectNode root = JSON.createObjectNode();
    root.put("job", run.job());
    root.put("run_id", run.runId());
    root.put("run_key", run.runKey().value());
    root.put("status", status);
    root.put("exit_code", exitCode);
    if (result.decision().isPresent()) {
      ObjectNode decision = root.putObject("decision");
      decision.put("action", result.decision().get().action());
      decision.put("reason", result.decision().get().reason());
    } else {
      root.putNull("decision");
    }
    tables(root.putArray("inputs"), result.inputs());
    tables(root.putArray("outputs"), result.outputs());
    ObjectNode metrics = root.putObject("metrics");
    for (Map.Entry<String, Object> m : result.orderedMetrics().entrySet()) {
      metrics.set(m.getKey(), JSON.valueToTree(m.getValue()));
    }
    root.put("duration_ms", Duration.between(run.startedAt(), Instant.now()).toMillis());
    if (error != null) {
      root.put("error", error);
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render the job summary", e);
    }
  }

  private static void tables(ArrayNode array, List<TableVersion> tables) {
    for (TableVersion t : tables) {
      ObjectNode node = array.addObject();
      node.put("table", t.table());
      node.put("version", t.version());
    }
  }
}
