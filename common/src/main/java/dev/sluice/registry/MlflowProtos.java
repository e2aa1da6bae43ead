/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import dev.sluice.error.PipelineErrors;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mlflow.api.proto.ModelRegistry.RegisteredModelAlias;
import org.mlflow.api.proto.ModelRegistry.RegisteredModelTag;
import org.mlflow.api.proto.Service;
import org.mlflow_project.google.gson.JsonObject;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.Message;
import org.mlflow_project.google.protobuf.util.JsonFormat;

/** MLflow's protos (shipped in mlflow-client) to Sluice's records, and JSON to protos. */
final class MlflowProtos {
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private MlflowProtos() {}

  /** Parses an MLflow JSON response into {@code builder} (unknown fields ignored). */
  static <B extends Message.Builder> B parse(String json, B builder, String what) {
    try {
      PARSER.merge(json, builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw PipelineErrors.internal("Cannot read the registry's answer to " + what, e);
    }
  }

  static <B extends Message.Builder> B parse(JsonObject json, B builder, String what) {
    return parse(json.toString(), builder, what);
  }

  static Experiment experiment(Service.Experiment experiment) {
    return new Experiment(
        experiment.getExperimentId(), experiment.getName(), experiment.getArtifactLocation());
  }

  static Run run(Service.Run run) {
    Service.RunInfo info = run.getInfo();
    Map<String, String> params = new LinkedHashMap<>();
    run.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
    Map<String, Double> metrics = new LinkedHashMap<>();
    run.getData().getMetricsList().forEach(m -> metrics.put(m.getKey(), m.getValue()));
    Map<String, String> tags = new LinkedHashMap<>();
    run.getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
    String runId = info.getRunId().isEmpty() ? info.getRunUuid() : info.getRunId();
    return new Run(
        runId,
        info.getExperimentId(),
        info.getRunName().isEmpty() ? tags.getOrDefault("mlflow.runName", "") : info.getRunName(),
        RunStatus.valueOf(info.getStatus().name()),
        info.getArtifactUri(),
        Instant.ofEpochMilli(info.getStartTime()),
        info.hasEndTime() && info.getEndTime() > 0
            ? Optional.of(Instant.ofEpochMilli(info.getEndTime()))
            : Optional.empty(),
        params,
        metrics,
        tags);
  }

  static RegisteredModel registeredModel(org.mlflow.api.proto.ModelRegistry.RegisteredModel model) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (RegisteredModelTag tag : model.getTagsList()) {
      tags.put(tag.getKey(), tag.getValue());
    }
    Map<String, Long> aliases = new LinkedHashMap<>();
    for (RegisteredModelAlias alias : model.getAliasesList()) {
      aliases.put(alias.getAlias(), Long.parseLong(alias.getVersion()));
    }
    return new RegisteredModel(
        model.getName(), Instant.ofEpochMilli(model.getCreationTimestamp()), tags, aliases);
  }

  static ModelVersion modelVersion(org.mlflow.api.proto.ModelRegistry.ModelVersion version) {
    Map<String, String> tags = new LinkedHashMap<>();
    version.getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
    Set<String> aliases = new TreeSet<>(version.getAliasesList());
    return new ModelVersion(
        version.getName(),
        Long.parseLong(version.getVersion()),
        version.getSource(),
        version.getRunId().isEmpty() ? Optional.empty() : Optional.of(version.getRunId()),
        version.getStatus().name(),
        Instant.ofEpochMilli(version.getCreationTimestamp()),
        tags,
        aliases);
  }
}
