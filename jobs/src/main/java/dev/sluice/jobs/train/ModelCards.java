/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.sluice.error.PipelineErrors;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.jobs.drift.report.ReportPaths;
import dev.sluice.jobs.train.CardData.Input;
import dev.sluice.jobs.train.CardData.ProfileRow;
import dev.sluice.jobs.train.CardData.SliceRow;
import dev.sluice.jobs.train.CardMetrics.Predictions;
import dev.sluice.jobs.train.Importances.Importance;
import dev.sluice.model.CalibrationBin;
import dev.sluice.model.ColumnProfile;
import dev.sluice.model.LocalFiles;
import dev.sluice.registry.ModelVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * The model card of a registered version (docs/models.md, "Model card"): built at registration from
 * the training run, written as {@code card.json} (its data), {@code card.md} and {@code card.html}
 * to {@code <reports>/model-card/<model>/v<version>/} and logged from there as the {@code
 * model_card/} artifacts of the version's run (the version is tagged {@link #TAG}); {@code sluice
 * model-card} renders the same files again from the logged {@code card.json}.
 */
final class ModelCards {
  /** The artifact folder of the card in the version's run, and the version tag naming it. */
  static final String ARTIFACT_PATH = "model_card";

  static final String TAG = "sluice.model_card";

  private final JobEnv env;

  ModelCards(JobEnv env) {
    this.env = env;
  }

  /** What the trainer knows about the version when it registers it. */
  record Training(
      TrainSpec spec,
      CardSpec card,
      TrainingSetRecord set,
      List<FeatureColumn> features,
      String runId,
      ModelVersion version,
      String digest,
      Map<String, String> bestParams,
      Trainer.Counts counts,
      Evaluation evaluation,
      List<Importance> importances,
      List<ColumnProfile> profiles) {}

  /** The card's data: the holdout predictions are collected (a holdout is small). */
  CardData build(Training t) {
    TrainSpec spec = t.spec();
    List<String> sliceNames = new ArrayList<>(t.card().slices().keySet());
    List<Column> columns = new ArrayList<>();
    columns.add(col(ModelPipelines.LABEL));
    columns.add(col(Evaluation.SCORE));
    for (String name : sliceNames) {
      columns.add(expr(t.card().slices().get(name)).cast("string").as("_slice_" + columns.size()));
    }
    List<Row> rows;
    try {
      rows = t.evaluation().scored().select(columns.toArray(Column[]::new)).collectAsList();
    } catch (RuntimeException e) {
      Throwable thrown = e;
      if (thrown instanceof AnalysisException || e.getCause() instanceof AnalysisException) {
        throw PipelineErrors.invalidConfig(
            "sluice.models." + spec.model() + ".card.slices",
            t.card().slices(),
            "each slice must be a SQL expression over the training set's columns ("
                + e.getMessage().lines().findFirst().orElse("")
                + ")");
      }
      throw e;
    }
    Predictions all = predictions(rows);
    boolean binary = spec.task() == Task.BINARY_CLASSIFICATION;
    Map<String, String> params = new TreeMap<>();
    spec.params().forEach((k, v) -> params.put(k, String.valueOf(v.unwrapped())));
    params.putAll(t.bestParams());
    return new CardData(
        spec.model(),
        t.version().version(),
        t.digest(),
        t.runId(),
        Instant.now().toString(),
        env.run().codeVersion(),
        env.run().confHash(),
        t.card().owners(),
        t.card().references(),
        t.card().intendedUse(),
        t.card().limitations(),
        spec.task().toString(),
        spec.algorithm().configName(),
        params,
        t.set().trainingSetId(),
        pins(t.set().pins()),
        new TreeMap<>(t.set().definitionHashes()),
        t.features().stream().map(f -> new Input(f.feature(), f.column(), f.dtype())).toList(),
        binary
            ? "prediction (0/1 at threshold " + spec.threshold() + ") and probability P(label = 1)"
            : "prediction (double)",
        t.counts().training(),
        t.counts().holdout(),
        spec.threshold(),
        new TreeMap<>(t.evaluation().metrics()),
        t.card().resamples(),
        t.card().confidence(),
        CardMetrics.bootstrap(
            spec.task(),
            all,
            spec.threshold(),
            t.card().resamples(),
            t.card().confidence(),
            spec.seed()),
        slices(spec, sliceNames, rows),
        binary ? CardMetrics.roc(all) : List.of(),
        binary ? CardMetrics.pr(all) : List.of(),
        calibration(t.evaluation()),
        t.importances(),
        profile(t.profiles(), t.features()));
  }

  /** The pins as text: a list of table versions joined by ", ". */
  private static Map<String, String> pins(Map<String, Object> pins) {
    Map<String, String> out = new TreeMap<>();
    pins.forEach(
        (k, v) ->
            out.put(
                k,
                v instanceof java.util.Collection<?> c
                    ? String.join(", ", c.stream().map(String::valueOf).toList())
                    : String.valueOf(v)));
    return out;
  }

  private static Predictions predictions(List<Row> rows) {
    double[] labels = new double[rows.size()];
    double[] scores = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      labels[i] = rows.get(i).getDouble(0);
      scores[i] = rows.get(i).getDouble(1);
    }
    return new Predictions(labels, scores);
  }

  /** Per configured slice and value (null as "null"): its rows and metrics. */
  private static List<SliceRow> slices(TrainSpec spec, List<String> names, List<Row> rows) {
    List<SliceRow> out = new ArrayList<>();
    for (int s = 0; s < names.size(); s++) {
      Map<String, List<Row>> groups = new TreeMap<>();
      for (Row r : rows) {
        String value = r.isNullAt(2 + s) ? "null" : r.getString(2 + s);
        groups.computeIfAbsent(value, v -> new ArrayList<>()).add(r);
      }
      for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
        out.add(
            new SliceRow(
                names.get(s),
                g.getKey(),
                g.getValue().size(),
                new TreeMap<>(
                    CardMetrics.metrics(
                        spec.task(), predictions(g.getValue()), spec.threshold()))));
      }
    }
    return out;
  }

  private static List<CalibrationBin> calibration(Evaluation evaluation) {
    List<CalibrationBin> out = new ArrayList<>();
    evaluation.calibration().forEach(b -> out.add((CalibrationBin) b));
    return out;
  }

  /** The features' profiles from the drift baseline, in feature order. */
  private static List<ProfileRow> profile(List<ColumnProfile> profiles, List<FeatureColumn> f) {
    Map<String, ColumnProfile> byName = new LinkedHashMap<>();
    profiles.forEach(p -> byName.put(p.name(), p));
    List<ProfileRow> out = new ArrayList<>();
    for (FeatureColumn feature : f) {
      ColumnProfile p = byName.get(feature.column());
      if (p == null) {
        continue;
      }
      out.add(
          new ProfileRow(
              p.name(),
              p.kind().toString().toLowerCase(java.util.Locale.ROOT),
              p.rowCount(),
              p.nullRate(),
              p.stats().map(ColumnProfile.NumericStats::mean).orElse(null),
              p.stats().map(ColumnProfile.NumericStats::stddev).orElse(null),
              p.stats().map(ColumnProfile.NumericStats::min).orElse(null),
              p.stats().map(ColumnProfile.NumericStats::max).orElse(null),
              p.distinctCount().isPresent() ? p.distinctCount().getAsLong() : null));
    }
    return out;
  }

  /** The card's three files in {@code dir}. */
  static void writeFiles(Path dir, CardData card) {
    try {
      Files.createDirectories(dir);
      card.write(dir.resolve(CardData.FILE));
      Files.writeString(dir.resolve("card.md"), CardRenderer.markdown(card), UTF_8);
      Files.writeString(dir.resolve("card.html"), CardRenderer.html(card), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the model card to " + dir, e);
    }
  }

  /**
   * Writes the card to its reports folder, logs that folder as the version's run's {@link
   * #ARTIFACT_PATH} and tags the version.
   */
  void publish(CardData card, JobResult result) {
    Path dir = reportsDir(card.model(), card.version());
    writeFiles(dir, card);
    env.registry().uploadArtifacts(card.runId(), dir, ARTIFACT_PATH);
    env.registry()
        .setModelVersionTag(
            card.model(), card.version(), TAG, "runs:/" + card.runId() + "/" + ARTIFACT_PATH);
    result.metric("model_card", dir.resolve("card.html").toString());
  }

  /** {@code <reports>/model-card/<model>/v<version>}. */
  Path reportsDir(String model, long version) {
    return ReportPaths.reportsDir(
            env.config().reader().string(ReportPaths.DIR_KEY), env.config().lake())
        .resolve("model-card")
        .resolve(model)
        .resolve("v" + version);
  }

  /** The version's card rendered again from its logged data into {@code dir}; {@code dir}. */
  Path regenerate(String model, long version, Path dir) {
    ModelVersion registered = env.registry().getModelVersion(model, version);
    // The tag names the run that logged the card (a retraining to the same digest logs anew).
    String runId =
        Optional.ofNullable(registered.tags().get(TAG))
            .map(uri -> uri.replaceFirst("^runs:/", "").replaceFirst("/.*$", ""))
            .or(registered::runId)
            .orElseThrow(
                () ->
                    PipelineErrors.upstreamMissing(
                        String.format(
                            "%s version %d has no MLflow run, so no model card (retrain it with"
                                + " `sluice train --model %s`)",
                            model, version, model)));
    Path download = LocalFiles.tempDirectory("sluice-model-card-");
    try {
      env.registry().downloadArtifacts(runId, ARTIFACT_PATH, download);
      Path data = download.resolve(CardData.FILE);
      if (!Files.exists(data)) {
        throw PipelineErrors.upstreamMissing(
            String.format(
                "run %s of %s version %d has no %s/%s (it was trained before model cards; retrain"
                    + " it with `sluice train --model %s`)",
                runId, model, version, ARTIFACT_PATH, CardData.FILE, model));
      }
      writeFiles(dir, CardData.read(data));
      return dir;
    } finally {
      try {
        LocalFiles.deleteRecursively(download);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete " + download, e);
      }
    }
  }
}
