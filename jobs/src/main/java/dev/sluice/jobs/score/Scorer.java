/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.score;

import static dev.sluice.jobs.score.PredictionRecords.CANARY;
import static dev.sluice.jobs.score.PredictionRecords.CHAMPION;
import static dev.sluice.jobs.score.PredictionRecords.COHORT;
import static dev.sluice.jobs.score.PredictionRecords.MODEL_NAME;
import static dev.sluice.jobs.score.PredictionRecords.MODEL_VERSION;
import static dev.sluice.jobs.score.PredictionRecords.PREDICTION;
import static dev.sluice.jobs.score.PredictionRecords.PROBABILITY;
import static dev.sluice.jobs.score.PredictionRecords.RUN_ID;
import static dev.sluice.jobs.score.PredictionRecords.SCORED_TS;
import static dev.sluice.jobs.score.PredictionRecords.SCORE_DATE;
import static dev.sluice.jobs.score.PredictionRecords.SERVED;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.sluice.error.PipelineErrors;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.Futures;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.jobs.features.FeatureRetrieval;
import dev.sluice.jobs.quality.QualityRunner;
import dev.sluice.model.EntityBuckets;
import dev.sluice.model.LocalFiles;
import dev.sluice.model.ModelArtifact;
import dev.sluice.model.ModelOutputs;
import dev.sluice.model.ModelTags;
import dev.sluice.model.RegisteredArtifacts;
import dev.sluice.registry.ModelRegistry;
import dev.sluice.registry.ModelVersion;
import dev.sluice.snapshot.SnapshotSet;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice score}: the population of each score date gets its feature values as of that date
 * through the same {@link FeatureRetrieval} that builds training sets, a cohort by entity hash, and
 * predictions from the champion and (when there is one) the challenger, each loaded once and
 * verified against its validated digest; {@code predictions} and {@code scoring_inputs} are
 * replaced for (model, score dates) in one commit each.
 */
final class Scorer {
  private static final Logger LOG = LoggerFactory.getLogger(Scorer.class);
  private static final String SCORE_TS = "_score_ts";

  private final JobEnv env;

  Scorer(JobEnv env) {
    this.env = env;
  }

  /** A registered version with its artifact, downloaded and verified against its digest. */
  record Fetched(ModelVersion version, ModelArtifact artifact) {}

  /** A fetched version's loaded model. */
  record Loaded(ModelVersion version, PipelineModel model) {}

  void score(
      ScoreSpec spec,
      String entity,
      LocalDate from,
      LocalDate to,
      Supplier<SnapshotSet> pins,
      JobResult result) {
    ModelRegistry registry = env.registry();
    Path work = LocalFiles.tempDirectory("sluice-score-");
    // The registry lookup, artifact download and digest check run on a second driver thread while
    // this one reads the pins and the population; the models are then loaded off this thread
    // (always: thenApplyAsync) while it retrieves the features. Loading a PipelineModel is a series
    // of small Spark jobs, and nothing before the writes needs the model, only its input columns.
    CompletableFuture<List<Fetched>> fetching =
        CompletableFuture.supplyAsync(() -> fetch(spec, registry, work, to));
    CompletableFuture<List<Loaded>> loading =
        fetching.thenApplyAsync(
            fetched ->
                fetched.stream()
                    .map(f -> new Loaded(f.version(), f.artifact().load(env.spark())))
                    .toList());
    // The outputs' Delta state (each log replayed into its file list) is built on a third thread
    // meanwhile, so the two replaceWhere writes at the end need not replay their logs first.
    CompletableFuture<Void> outputs =
        CompletableFuture.runAsync(
            () -> {
              env.lake().loadState(SluiceTables.PREDICTIONS);
              env.lake().loadState(SluiceTables.SCORING_INPUTS);
            });
    try {
      Dataset<Row> population = population(spec, entity, from, to, pins.get(), result);
      List<Fetched> fetched = Futures.join(fetching);
      fetched.forEach(m -> result.modelInput(m.version().name(), m.version().version()));
      Set<String> columns = new LinkedHashSet<>();
      fetched.forEach(m -> columns.addAll(m.artifact().inputColumns()));
      List<String> features = columns.stream().map(c -> c.replaceFirst("__", ".")).toList();

      FeatureRetrieval retrieval = FeatureRetrieval.of(env, features, entity, to, result);
      Dataset<Row> inputs =
          retrieval
              .join(
                  population,
                  SCORE_TS,
                  from.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                  to.atStartOfDay(java.time.ZoneOffset.UTC).toInstant())
              .drop(SCORE_TS)
              .withColumn(
                  COHORT,
                  when(
                          EntityBuckets.below(
                              col(entity), spec.canarySalt(), spec.canaryBasisPoints()),
                          lit(CANARY))
                      .otherwise(lit(CHAMPION)));
      if (spec.partitions() > 0) {
        inputs = inputs.repartition(spec.partitions());
      }
      Dataset<Row> cached = inputs.persist(StorageLevel.MEMORY_AND_DISK());
      // The definition check (small queries, mostly planning and waiting) runs beside the
      // retrieval; it is awaited before anything is written.
      CompletableFuture<Void> definitions = CompletableFuture.runAsync(retrieval::checkDefinitions);
      try {
        // One job computes the cached inputs (the point-in-time retrieval) and counts the
        // cohorts; then both tables are written from the cache, one commit each.
        Map<String, Long> cohorts =
            env.stages()
                .stage(
                    "retrieve",
                    String.format("feature values as of %s..%s and cohorts", from, to),
                    () -> cohortSizes(cached));
        Futures.join(definitions);
        List<Loaded> models = Futures.join(loading);
        outputs
            .exceptionally(
                error -> {
                  // Only a head start: the writes read the logs themselves and report what fails.
                  LOG.warn("Cannot load the state of the output tables ahead of the writes", error);
                  return null;
                })
            .join();
        write(
            spec,
            entity,
            List.copyOf(columns),
            cached,
            cohorts,
            models.get(0),
            models.stream().skip(1).findFirst(),
            from,
            to,
            result);
      } finally {
        definitions.handle((done, error) -> null).join(); // nothing runs on after the job
        cached.unpersist();
      }
    } finally {
      outputs.handle((done, error) -> null).join(); // nothing runs on after the job
      loading.handle((models, error) -> null).join(); // done with the scratch directory
      try {
        LocalFiles.deleteRecursively(work);
      } catch (IOException e) {
        LOG.warn("Cannot delete the scratch directory {}", work, e);
      }
    }
  }

  /** The champion, then the challenger when there is one: each downloaded and verified. */
  private List<Fetched> fetch(ScoreSpec spec, ModelRegistry registry, Path work, LocalDate to) {
    ModelVersion champion =
        registry
            .versionByAlias(spec.model(), ModelTags.CHAMPION)
            .orElseThrow(
                () ->
                    PipelineErrors.upstreamMissing(
                        String.format(
                            "Model %s has no champion in the registry at %s (run `sluice"
                                + " train --model %s --date %s`)",
                            spec.model(), registry.location(), spec.model(), to)));
    List<Fetched> models = new ArrayList<>();
    models.add(fetch(champion, work));
    registry
        .versionByAlias(spec.model(), ModelTags.CHALLENGER)
        .ifPresent(v -> models.add(fetch(v, work)));
    return models;
  }

  private Fetched fetch(ModelVersion version, Path work) {
    if (!version.tags().containsKey(ModelTags.VALIDATED_DIGEST)) {
      throw PipelineErrors.policyRefused(
          String.format("Scoring with %s version %d", version.name(), version.version()),
          "it never passed the validation gate (no "
              + ModelTags.VALIDATED_DIGEST
              + " tag); only validated versions hold champion or challenger");
    }
    return new Fetched(version, RegisteredArtifacts.fetch(env.registry(), version, work));
  }

  /** Entities to score per date, with the date and the as-of timestamp of their features. */
  private Dataset<Row> population(
      ScoreSpec spec,
      String entity,
      LocalDate from,
      LocalDate to,
      SnapshotSet pins,
      JobResult result) {
    TableId table = TableId.of(spec.populationTable());
    if (pins.pin(table).isEmpty()) {
      throw PipelineErrors.invalidConfig(
          "sluice.models." + spec.model() + ".score.population.table",
          spec.populationTable(),
          "must be a source table pinned by `sluice snapshot` (sluice.sources)");
    }
    QualityRunner quality = new QualityRunner(env);
    quality.gate(pins, List.of(spec.populationTable()), result);
    Dataset<Row> rows =
        quality.validRows(spec.populationTable(), pins.read(env.lake(), table, result));
    if (!List.of(rows.columns()).contains(spec.populationEntity())) {
      throw PipelineErrors.invalidConfig(
          "sluice.models." + spec.model() + ".score.population.entity",
          spec.populationEntity(),
          "is not a column of " + spec.populationTable());
    }
    Dataset<Row> all = null;
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      Column condition = expr(spec.populationFilter().replace(":date", "DATE'" + day + "'"));
      Dataset<Row> daily =
          rows.where(condition)
              .select(col(spec.populationEntity()).as(entity))
              .distinct()
              .withColumn(SCORE_DATE, lit(Date.valueOf(day)));
      all = all == null ? daily : all.unionByName(daily);
    }
    return all.withColumn(SCORE_TS, col(SCORE_DATE).cast(DataTypes.TimestampType));
  }

  private void write(
      ScoreSpec spec,
      String entity,
      List<String> featureColumns,
      Dataset<Row> inputs,
      Map<String, Long> cohorts,
      Loaded champion,
      Optional<Loaded> challenger,
      LocalDate from,
      LocalDate to,
      JobResult result) {
    boolean split = spec.mode() == ScoreSpec.Mode.SPLIT;
    List<Dataset<Row>> predictions = new ArrayList<>();
    List<Dataset<Row>> modelInputs = new ArrayList<>();
    List<Scored> scored = new ArrayList<>();
    scored.add(
        new Scored(
            champion,
            challenger.isPresent() && split ? List.of(CHAMPION) : List.of(CHAMPION, CANARY),
            true));
    challenger.ifPresent(
        c -> scored.add(new Scored(c, split ? List.of(CANARY) : List.of(CHAMPION, CANARY), split)));
    for (Scored s : scored) {
      Dataset<Row> rows =
          s.cohorts().size() == 2 ? inputs : inputs.where(col(COHORT).equalTo(s.cohorts().get(0)));
      add(spec, entity, featureColumns, rows, s.model(), s.served(), predictions, modelInputs);
    }
    String where =
        String.format(
            "%s = '%s' AND %s >= DATE'%s' AND %s <= DATE'%s'",
            MODEL_NAME, spec.model(), SCORE_DATE, from, SCORE_DATE, to);
    Dataset<Row> allPredictions = predictions.stream().reduce(Dataset::unionByName).orElseThrow();
    Dataset<Row> allInputs = modelInputs.stream().reduce(Dataset::unionByName).orElseThrow();
    String description =
        String.format(
            "predictions and scoring inputs of %s..%s: champion v%d%s (%s)",
            from,
            to,
            champion.version().version(),
            challenger.map(c -> " and challenger v" + c.version().version()).orElse(""),
            spec.mode().name().toLowerCase(Locale.ROOT));
    List<String> partitions = List.of(MODEL_NAME, SCORE_DATE);
    // Queries select by model and date (the partitions), then by version, cohort or entity; Delta
    // keeps no statistics for booleans such as served.
    List<String> statsColumns = List.of(entity, MODEL_VERSION, COHORT);
    String tag = env.run().commitTag();
    result.output(
        env.stages()
            .stage(
                "predictions",
                description,
                () ->
                    DeltaWriter.replaceWhere(
                        env.lake(),
                        SluiceTables.PREDICTIONS,
                        allPredictions,
                        where,
                        partitions,
                        statsColumns,
                        tag)));
    result.output(
        env.stages()
            .stage(
                "inputs",
                "scoring inputs",
                () ->
                    DeltaWriter.replaceWhere(
                        env.lake(),
                        SluiceTables.SCORING_INPUTS,
                        allInputs,
                        where,
                        partitions,
                        statsColumns,
                        tag)));
    env.catalog().register(SluiceTables.PREDICTIONS);
    env.catalog().register(SluiceTables.SCORING_INPUTS);
    for (Scored s : scored) {
      for (String cohort : s.cohorts()) {
        if (cohorts.get(cohort) > 0) {
          result.metric(
              String.format("rows.v%d.%s%s", s.version(), cohort, s.served() ? "" : ".shadow"),
              cohorts.get(cohort));
        }
      }
    }
    result.metric("champion_version", champion.version().version());
    challenger.ifPresent(c -> result.metric("challenger_version", c.version().version()));
  }

  /** A model's part in a scoring run: the cohorts it scores and whether its rows are served. */
  private record Scored(Loaded model, List<String> cohorts, boolean served) {
    long version() {
      return model.version().version();
    }
  }

  /**
   * The scoring time as a column whose value is not compiled into Spark's generated code: a
   * timestamp literal is (as a Java constant), so every run would generate, compile and JIT-warm
   * the whole scoring stage anew in a driver that scores more than once (the demo, a notebook, the
   * benchmark). A zero-argument UDF is called once per row and returns the same value.
   */
  private static Column scoredTs(Timestamp now) {
    return functions.udf(() -> now, DataTypes.TimestampType).apply();
  }

  /** Rows per cohort (both present, zero when empty); materializes the cached inputs. */
  private static Map<String, Long> cohortSizes(Dataset<Row> inputs) {
    Map<String, Long> sizes = new HashMap<>(Map.of(CHAMPION, 0L, CANARY, 0L));
    for (Row r : inputs.groupBy(COHORT).agg(count(lit(1))).collectAsList()) {
      sizes.put(r.getString(0), r.getLong(1));
    }
    return sizes;
  }

  /** The rows a model scores: its predictions and the exact inputs it saw. */
  private void add(
      ScoreSpec spec,
      String entity,
      List<String> featureColumns,
      Dataset<Row> rows,
      Loaded loaded,
      boolean served,
      List<Dataset<Row>> predictions,
      List<Dataset<Row>> modelInputs) {
    long version = loaded.version().version();
    Column scoredTs = scoredTs(Timestamp.from(Instant.now()));
    Dataset<Row> transformed = loaded.model().transform(rows);
    Column probability =
        ModelOutputs.isClassifier(transformed)
            ? ModelOutputs.positiveProbability()
            : lit(null).cast(DataTypes.DoubleType);
    predictions.add(
        transformed.select(
            col(entity),
            col(SCORE_DATE),
            col(ModelOutputs.PREDICTION).as(PREDICTION),
            probability.as(PROBABILITY),
            lit(spec.model()).as(MODEL_NAME),
            lit(version).as(MODEL_VERSION),
            col(COHORT),
            lit(served).as(SERVED),
            lit(env.run().runId()).as(RUN_ID),
            scoredTs.as(SCORED_TS)));
    List<Column> inputColumns = new ArrayList<>();
    inputColumns.add(col(entity));
    inputColumns.add(col(SCORE_DATE));
    inputColumns.add(lit(spec.model()).as(MODEL_NAME));
    inputColumns.add(lit(version).as(MODEL_VERSION));
    inputColumns.add(col(COHORT));
    inputColumns.add(lit(served).as(SERVED));
    featureColumns.forEach(c -> inputColumns.add(col(c)));
    inputColumns.add(lit(env.run().runId()).as(RUN_ID));
    modelInputs.add(rows.select(inputColumns.toArray(Column[]::new)));
  }
}
