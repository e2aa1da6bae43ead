/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.lineage;

import static org.apache.spark.sql.functions.col;

import dev.sluice.error.PipelineErrors;
import dev.sluice.job.LineageNode;
import dev.sluice.jobs.lineage.LineageEdges.RunInfo;
import dev.sluice.jobs.lineage.ModelLineage.Deployment;
import dev.sluice.jobs.lineage.ModelLineage.Downstream;
import dev.sluice.jobs.lineage.ModelLineage.Upstream;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/** Builds a {@link ModelLineage} from the lake: lineage edges, then the facts of each node. */
final class LineageTracer {
  private static final String FEATURE_TABLE_PREFIX = "features_";

  private final Lakehouse lake;
  private final LineageEdges edges;

  LineageTracer(Lakehouse lake, LineageEdges edges) {
    this.lake = lake;
    this.edges = edges;
  }

  /**
   * Traces {@code model} version {@code version}; exit 4 when no run in this lake recorded it as an
   * output (it was registered elsewhere, or before lineage was recorded).
   */
  ModelLineage trace(
      String model, long version, Optional<String> alias, Optional<String> mlflowRunId) {
    LineageNode root = LineageNode.model(model, version);
    if (edges.producer(root).isEmpty()) {
      throw PipelineErrors.lineageMissing(model, version);
    }
    List<LineageNode> order = new ArrayList<>();
    Map<LineageNode, Integer> depth = new HashMap<>();
    Deque<LineageNode> queue = new ArrayDeque<>(List.of(root));
    depth.put(root, 0);
    while (!queue.isEmpty()) {
      LineageNode node = queue.removeFirst();
      order.add(node);
      if (node.kind().equals(LineageNode.MODEL) && !node.equals(root)) {
        continue; // a champion the training compared against: its own lineage is its own graph
      }
      for (LineageNode input : edges.producer(node).map(edges::inputs).orElse(List.of())) {
        if (!depth.containsKey(input)) {
          depth.put(input, depth.get(node) + 1);
          queue.addLast(input);
        }
      }
    }
    Facts facts = new Facts(order);
    List<Upstream> upstream =
        order.stream()
            .map(
                n -> {
                  Optional<RunInfo> run =
                      n.kind().equals(LineageNode.MODEL) && !n.equals(root)
                          ? Optional.empty()
                          : edges.producer(n);
                  return new Upstream(
                      n, depth.get(n), run, run.map(edges::inputs).orElse(List.of()), facts.of(n));
                })
            .toList();
    List<Downstream> downstream =
        edges.readers(root).stream().map(r -> new Downstream(r, edges.outputs(r))).toList();
    return new ModelLineage(
        model, version, alias, mlflowRunId, upstream, downstream, deployments(model, version));
  }

  private List<Deployment> deployments(String model, long version) {
    if (!lake.exists(SluiceTables.DEPLOYMENTS)) {
      return List.of();
    }
    return lake
        .read(SluiceTables.DEPLOYMENTS)
        .where(
            col("model_name")
                .equalTo(model)
                .and(col("from_version").equalTo(version).or(col("to_version").equalTo(version))))
        .orderBy("at_ts", "alias")
        .collectAsList()
        .stream()
        .map(
            r ->
                new Deployment(
                    r.getAs("alias"),
                    Optional.ofNullable(r.<Long>getAs("from_version")),
                    Optional.ofNullable(r.<Long>getAs("to_version")),
                    r.getAs("action"),
                    r.getAs("reason"),
                    r.<Timestamp>getAs("at_ts").toInstant(),
                    r.getAs("run_id")))
        .toList();
  }

  /**
   * What the lake's own tables say about the graph's nodes: source pins ({@code snapshots} at the
   * versions the graph read), training sets ({@code training_sets}) and feature definitions ({@code
   * feature_registry} at the version the graph read).
   */
  private final class Facts {
    private final Map<String, Row> pins = new HashMap<>();
    private final Map<String, Row> trainingSets = new HashMap<>();
    private final Map<String, String> groupHashes = new HashMap<>();
    private final Map<String, Map<String, String>> featureHashes = new HashMap<>();

    Facts(List<LineageNode> nodes) {
      // Pins as the graph's snapshot runs wrote them: a later snapshot of the same date replaces
      // its run key's rows, so the latest version may no longer hold a pin the graph reaches.
      nodes.stream()
          .filter(n -> n.kind().equals(LineageNode.TABLE))
          .filter(n -> n.name().equals(SluiceTables.SNAPSHOTS.name()))
          .forEach(
              snapshots ->
                  lake.readAt(SluiceTables.SNAPSHOTS, snapshots.version())
                      .collectAsList()
                      .forEach(
                          r ->
                              pins.putIfAbsent(
                                  r.getAs("source_table") + "@" + r.getAs("delta_version"), r)));
      if (lake.exists(SluiceTables.TRAINING_SETS)) {
        for (Row r : lake.read(SluiceTables.TRAINING_SETS).collectAsList()) {
          trainingSets.put(r.getAs("out_table") + "@" + r.getAs("out_version"), r);
          List<String> tables = r.getList(r.fieldIndex("feature_tables"));
          Map<String, String> hashes = r.getJavaMap(r.fieldIndex("definition_hashes"));
          for (String table : tables) {
            String group = table.substring(FEATURE_TABLE_PREFIX.length(), table.indexOf('@'));
            if (hashes.containsKey(group)) {
              groupHashes.put(table, hashes.get(group));
            }
          }
        }
      }
      nodes.stream()
          .filter(n -> n.kind().equals(LineageNode.TABLE))
          .filter(n -> n.name().equals(SluiceTables.FEATURE_REGISTRY.name()))
          .findFirst()
          .ifPresent(
              registry ->
                  lake.readAt(TableId.of(registry.name()), registry.version())
                      .orderBy("version")
                      .collectAsList()
                      .forEach(
                          r ->
                              featureHashes
                                  .computeIfAbsent(r.getAs("feature_group"), g -> new TreeMap<>())
                                  .put(r.getAs("feature"), r.getAs("definition_hash"))));
    }

    Map<String, Object> of(LineageNode node) {
      Map<String, Object> facts = new LinkedHashMap<>();
      if (!node.kind().equals(LineageNode.TABLE)) {
        return facts;
      }
      String key = node.name() + "@" + node.version();
      Row pin = pins.get(key);
      if (pin != null) {
        facts.put("fingerprint", pin.getAs("fingerprint"));
        facts.put("rows", pin.getAs("row_count"));
        facts.put("pinned_by", pin.getAs("pinned_by"));
      }
      Row set = trainingSets.get(key);
      if (set != null) {
        facts.put("training_set_id", set.getAs("training_set_id"));
        facts.put("rows", set.getAs("row_count"));
        facts.put("label", set.getAs("label_column"));
      }
      if (node.name().startsWith(FEATURE_TABLE_PREFIX)) {
        Optional.ofNullable(groupHashes.get(key)).ifPresent(h -> facts.put("definition_hash", h));
        Map<String, String> features =
            featureHashes.get(node.name().substring(FEATURE_TABLE_PREFIX.length()));
        if (features != null) {
          facts.put("feature_definition_hashes", features);
        }
      }
      return facts;
    }
  }
}
