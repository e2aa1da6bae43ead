/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.lineage;

import dev.sluice.job.LineageNode;
import dev.sluice.jobs.lineage.LineageEdges.RunInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Where one registered model version came from and where it went: its upstream graph (the model
 * node first, then every node its training read, transitively, once each), the runs that read it,
 * and its alias moves.
 */
public record ModelLineage(
    String model,
    long version,
    Optional<String> alias,
    Optional<String> mlflowRunId,
    List<Upstream> upstream,
    List<Downstream> downstream,
    List<Deployment> deployments) {

  /**
   * One upstream node.
   *
   * @param depth 0 for the model version, 1 for what its training read, and so on
   * @param producedBy the run that wrote it (none for a source table written outside Sluice)
   * @param inputs what that run read; a model input (the champion a training compared against) is
   *     listed but not traced further
   * @param facts what the lake knows about the node: a source pin's fingerprint, a training set's
   *     id, a feature table's definition hashes
   */
  record Upstream(
      LineageNode node,
      int depth,
      Optional<RunInfo> producedBy,
      List<LineageNode> inputs,
      Map<String, Object> facts) {}

  /** A run that read the model version, and what it wrote. */
  record Downstream(RunInfo run, List<LineageNode> outputs) {}

  /** One alias move to or from the version ({@code deployments}). */
  record Deployment(
      String alias,
      Optional<Long> fromVersion,
      Optional<Long> toVersion,
      String action,
      String reason,
      Instant at,
      String runId) {}

  /** The run that trained and registered the version. */
  RunInfo trainedBy() {
    return upstream.get(0).producedBy().orElseThrow();
  }

  /**
   * Every Delta table version in the graph, {@code name@version}: upstream nodes and the outputs of
   * downstream runs.
   */
  public SortedSet<String> tables() {
    SortedSet<String> tables = new TreeSet<>();
    Stream.concat(
            upstream.stream().map(Upstream::node),
            downstream.stream().flatMap(d -> d.outputs().stream()))
        .filter(n -> n.kind().equals(LineageNode.TABLE))
        .forEach(n -> tables.add(label(n)));
    return tables;
  }

  /** {@code name@version} for a table, {@code model:name@version} for a model version. */
  static String label(LineageNode node) {
    return (node.kind().equals(LineageNode.TABLE) ? "" : node.kind() + ":")
        + node.name()
        + "@"
        + node.version();
  }
}
