/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.job;

import static java.util.Objects.requireNonNull;

import dev.sluice.table.TableVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a job attempt read, wrote and decided. Jobs fill it as they go; the runner records it in
 * job_runs and lineage and prints it as the summary line.
 */
public final class JobResult {
  private final List<TableVersion> inputs = new ArrayList<>();
  private final List<TableVersion> outputs = new ArrayList<>();
  private final List<LineageNode> modelInputs = new ArrayList<>();
  private final List<LineageNode> modelOutputs = new ArrayList<>();
  private final Map<String, Object> metrics = new LinkedHashMap<>();
  private Decision decision;
  private int exitCode;

  public JobResult input(TableVersion table) {
    if (!inputs.contains(table)) {
      inputs.add(requireNonNull(table, "table is null"));
    }
    return this;
  }

  public JobResult output(TableVersion table) {
    outputs.add(requireNonNull(table, "table is null"));
    return this;
  }

  /** A registered model version the job read (lineage only; the summary lists tables). */
  public JobResult modelInput(String name, long version) {
    LineageNode node = LineageNode.model(name, version);
    if (!modelInputs.contains(node)) {
      modelInputs.add(node);
    }
    return this;
  }

  /** A registered model version the job created (lineage only). */
  public JobResult modelOutput(String name, long version) {
    modelOutputs.add(LineageNode.model(name, version));
    return this;
  }

  /** Every input, tables first, as lineage nodes. */
  public List<LineageNode> lineageInputs() {
    List<LineageNode> nodes = new ArrayList<>(inputs.stream().map(LineageNode::of).toList());
    nodes.addAll(modelInputs);
    return List.copyOf(nodes);
  }

  /** Every output, tables first, as lineage nodes. */
  public List<LineageNode> lineageOutputs() {
    List<LineageNode> nodes = new ArrayList<>(outputs.stream().map(LineageNode::of).toList());
    nodes.addAll(modelOutputs);
    return List.copyOf(nodes);
  }

  public JobResult metric(String name, Object value) {
    metrics.put(requireNonNull(name, "name is null"), value);
    return this;
  }

  /** Records a policy decision; a decision with exit code 5 ends the job as a policy outcome. */
  public JobResult decide(Decision decision, int exitCode) {
    this.decision = requireNonNull(decision, "decision is null");
    this.exitCode = exitCode;
    return this;
  }

  public List<TableVersion> inputs() {
    return List.copyOf(inputs);
  }

  public List<TableVersion> outputs() {
    return List.copyOf(outputs);
  }

  public Map<String, Object> metrics() {
    return Map.copyOf(metrics);
  }

  /** Metrics in the order they were recorded, for the summary line. */
  public Map<String, Object> orderedMetrics() {
    return new LinkedHashMap<>(metrics);
  }

  public Optional<Decision> decision() {
    return Optional.ofNullable(decision);
  }

  public int exitCode() {
    return exitCode;
  }
}
