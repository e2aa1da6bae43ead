/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.lineage;

import static dev.sluice.jobs.lineage.ModelLineage.label;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.error.PipelineErrors;
import dev.sluice.job.LineageNode;
import dev.sluice.jobs.lineage.LineageEdges.RunInfo;
import dev.sluice.jobs.lineage.ModelLineage.Deployment;
import dev.sluice.jobs.lineage.ModelLineage.Downstream;
import dev.sluice.jobs.lineage.ModelLineage.Upstream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How {@code sluice lineage} prints a {@link ModelLineage}: a readable tree, or one JSON document.
 */
public enum LineageFormat {
  TEXT,
  JSON;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The printed form, ending with a newline. */
  public String render(ModelLineage lineage) {
    return this == TEXT ? String.join("\n", text(lineage)) + "\n" : json(lineage) + "\n";
  }

  /** The tree, one line per list element (the demo adds them to its report). */
  public static List<String> text(ModelLineage lineage) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "Model %s version %d%s%s",
            lineage.model(),
            lineage.version(),
            lineage.alias().map(a -> " (alias " + a + ")").orElse(""),
            lineage.mlflowRunId().map(id -> ", MLflow run " + id).orElse("")));
    Map<LineageNode, Upstream> nodes = new LinkedHashMap<>();
    lineage.upstream().forEach(u -> nodes.put(u.node(), u));
    Upstream root = lineage.upstream().get(0);
    lines.add("  trained by " + run(root.producedBy().orElseThrow()));
    children(root, nodes, "  ", new HashSet<>(), lines);

    lines.add("Downstream (runs that read this version):");
    if (lineage.downstream().isEmpty()) {
      lines.add("  none yet");
    }
    for (Downstream d : lineage.downstream()) {
      lines.add(
          "  "
              + run(d.run())
              + " -> "
              + d.outputs().stream().map(ModelLineage::label).collect(Collectors.joining(", ")));
    }
    lines.add("Deployments (alias moves to or from this version):");
    if (lineage.deployments().isEmpty()) {
      lines.add("  none");
    }
    for (Deployment d : lineage.deployments()) {
      lines.add(
          String.format(
              "  %s %s: %s -> %s, %s (%s)",
              d.at(),
              d.alias(),
              d.fromVersion().map(String::valueOf).orElse("none"),
              d.toVersion().map(String::valueOf).orElse("none"),
              d.action(),
              d.reason()));
    }
    return lines;
  }

  private static void children(
      Upstream parent,
      Map<LineageNode, Upstream> nodes,
      String indent,
      Set<LineageNode> printed,
      List<String> lines) {
    List<LineageNode> inputs = parent.inputs();
    for (int i = 0; i < inputs.size(); i++) {
      boolean last = i == inputs.size() - 1;
      Upstream node = nodes.get(inputs.get(i));
      StringBuilder line = new StringBuilder(indent).append(last ? "└─ " : "├─ ");
      line.append(label(node.node()));
      if (node.node().kind().equals(LineageNode.MODEL)) {
        lines.add(line.append("  (the champion it was compared against)").toString());
        continue;
      }
      if (!printed.add(node.node())) {
        lines.add(line.append("  (traced above)").toString());
        continue;
      }
      String childIndent = indent + (last ? "   " : "│  ");
      List<String> more = new ArrayList<>();
      node.facts()
          .forEach(
              (k, v) -> {
                if (v instanceof Map<?, ?> map) {
                  more.add(childIndent + "   " + k + ": " + map);
                } else {
                  line.append("  ").append(k).append(' ').append(v);
                }
              });
      node.producedBy().ifPresent(r -> line.append("  <- ").append(run(r)));
      lines.add(line.toString());
      lines.addAll(more);
      children(node, nodes, childIndent, printed, lines);
    }
  }

  private static String run(RunInfo run) {
    return String.format(
        "%s run %s (%s, %s), code %s, conf %s",
        run.job(),
        run.runId(),
        run.runKey(),
        run.status(),
        run.codeVersion(),
        run.confHash().substring(0, Math.min(12, run.confHash().length())));
  }

  /**
   * One document: model, upstream nodes (each with its run and inputs), downstream, deployments.
   */
  static String json(ModelLineage lineage) {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.put("model", lineage.model());
    doc.put("version", lineage.version());
    doc.put("alias", lineage.alias().orElse(null));
    doc.put("mlflow_run_id", lineage.mlflowRunId().orElse(null));
    doc.set("trained_by", run(lineage.trainedBy(), doc));
    ArrayNode upstream = doc.putArray("upstream");
    for (Upstream u : lineage.upstream()) {
      ObjectNode node = node(u.node(), upstream.addObject());
      node.put("depth", u.depth());
      u.producedBy().ifPresent(r -> node.set("produced_by", run(r, node)));
      ArrayNode inputs = node.putArray("inputs");
      u.inputs().forEach(i -> inputs.add(label(i)));
      node.set("facts", MAPPER.valueToTree(u.facts()));
    }
    ArrayNode downstream = doc.putArray("downstream");
    for (Downstream d : lineage.downstream()) {
      ObjectNode node = downstream.addObject();
      node.set("run", run(d.run(), node));
      ArrayNode outputs = node.putArray("outputs");
      d.outputs().forEach(o -> node(o, outputs.addObject()));
    }
    ArrayNode deployments = doc.putArray("deployments");
    for (Deployment d : lineage.deployments()) {
      ObjectNode node = deployments.addObject();
      node.put("alias", d.alias());
      node.put("from_version", d.fromVersion().orElse(null));
      node.put("to_version", d.toVersion().orElse(null));
      node.put("action", d.action());
      node.put("reason", d.reason());
      node.put("at_ts", d.at().toString());
      node.put("run_id", d.runId());
    }
    ArrayNode tables = doc.putArray("tables");
    lineage.tables().forEach(tables::add);
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw PipelineErrors.internal("Cannot write the lineage as JSON", e);
    }
  }

  private static ObjectNode node(LineageNode node, ObjectNode into) {
    into.put("node", label(node));
    into.put("kind", node.kind());
    into.put("name", node.name());
    into.put("version", node.version());
    return into;
  }

  private static ObjectNode run(RunInfo run, ObjectNode parent) {
    ObjectNode node = parent.objectNode();
    node.put("run_id", run.runId());
    node.put("job", run.job());
    node.put("run_key", run.runKey());
    node.put("status", run.status());
    node.put("logical_date", run.logicalDate().map(Object::toString).orElse(null));
    node.put("code_version", run.codeVersion());
    node.put("conf_hash", run.confHash());
    return node;
  }
}
