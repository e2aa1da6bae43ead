/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.error.PipelineErrors;
import dev.sluice.job.RunContext;
import dev.sluice.registry.ModelRegistry;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableVersion;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alias moves with their audit trail: every move is made in the registry (the source of truth for
 * aliases) and appended to {@code deployments} with its reason and evidence, all moves of one
 * decision in one Delta commit. If the audit commit fails, the aliases are put back and the error
 * is raised, so no alias moves unaudited.
 */
public final class Deployments {
  private static final Logger LOG = LoggerFactory.getLogger(Deployments.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  public static final StructType SCHEMA =
      createStructType(
          List.of(
              createStructField("model_name", StringType, false),
              createStructField("alias", StringType, false),
              createStructField("from_version", LongType, true),
              createStructField("to_version", LongType, true),
              createStructField("action", StringType, false),
              createStructField("reason", StringType, false),
              createStructField("evidence", StringType, false),
              createStructField("digest", StringType, true),
              createStructField("run_id", StringType, false),
              createStructField("run_key", StringType, false),
              createStructField("at_ts", TimestampType, false)));

  /** Actions of {@code deployments} (ARCHITECTURE §5). */
  public static final String REGISTER = "register";

  public static final String CANARY_START = "canary_start";
  public static final String PROMOTE = "promote";
  public static final String CANARY_ABORT = "canary_abort";
  public static final String ROLLBACK = "rollback";

  /**
   * One alias change: {@code to} empty removes the alias.
   *
   * @param digest the digest of the version the alias now points at (or left, when removed)
   */
  public record Move(
      String model,
      String alias,
      Optional<Long> from,
      Optional<Long> to,
      String action,
      String reason,
      Map<String, Object> evidence,
      Optional<String> digest) {
    public Move {
      requireNonNull(model, "model is null");
      requireNonNull(alias, "alias is null");
      requireNonNull(from, "from is null");
      requireNonNull(to, "to is null");
      requireNonNull(action, "action is null");
      requireNonNull(reason, "reason is null");
      evidence = Map.copyOf(evidence);
      requireNonNull(digest, "digest is null");
    }
  }

  private Deployments() {}

  /** Makes the moves in the registry and records them; returns the deployments version written. */
  public static TableVersion apply(
      ModelRegistry registry, Lakehouse lake, RunContext run, List<Move> moves) {
    List<Move> done = new ArrayList<>();
    try {
      for (Move move : moves) {
        if (move.to().isPresent()) {
          registry.setAlias(move.model(), move.alias(), move.to().get());
        } else {
          registry.deleteAlias(move.model(), move.alias());
        }
        done.add(move);
      }
      Timestamp at = Timestamp.from(Instant.now());
      List<Row> rows = new ArrayList<>();
      for (Move move : moves) {
        rows.add(
            RowFactory.create(
                move.model(),
                move.alias(),
                move.from().orElse(null),
                move.to().orElse(null),
                move.action(),
                move.reason(),
                json(move.evidence()),
                move.digest().orElse(null),
                run.runId(),
                run.runKey().value(),
                at));
      }
      return DeltaWriter.append(
          lake,
          SluiceTables.DEPLOYMENTS,
          lake.spark().createDataFrame(rows, SCHEMA).coalesce(1),
          run.commitTag());
    } catch (RuntimeException e) {
      undo(registry, done);
      throw e;
    }
  }

  private static void undo(ModelRegistry registry, List<Move> done) {
    for (int i = done.size() - 1; i >= 0; i--) {
      Move move = done.get(i);
      try {
        if (move.from().isPresent()) {
          registry.setAlias(move.model(), move.alias(), move.from().get());
        } else {
          registry.deleteAlias(move.model(), move.alias());
        }
      } catch (RuntimeException undoError) {
        LOG.error(
            "Cannot put alias {} of {} back to {} after a failed audit",
            move.alias(),
            move.model(),
            move.from(),
            undoError);
      }
    }
  }

  static String json(Map<String, Object> evidence) {
    try {
      return JSON.writeValueAsString(evidence);
    } catch (JsonProcessingException e) {
      throw PipelineErrors.internal("Cannot render deployment evidence as JSON", e);
    }
  }
}
