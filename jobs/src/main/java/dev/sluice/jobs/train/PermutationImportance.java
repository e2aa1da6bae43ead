/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sluice.jobs.train.Importances.Importance;
import dev.sluice.model.ModelOutputs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Permutation importance over the holdout, for any model: for each feature and each of k repeats,
 * the holdout with that feature's values shuffled among its rows (a seeded permutation), scored by
 * the model; the importance is the metric's mean drop over the repeats (AUC-ROC for binary
 * classification, RMSE's rise for regression), its spread their sample standard deviation.
 *
 * <p>All features × repeats are one Spark job: the holdout is crossed with the (feature, repeat)
 * grid plus one unpermuted copy, each copy's rows are ordered by a seeded hash and joined to the
 * row at the same position in id order (a permutation), the model scores the union once and one
 * aggregation computes every copy's metric (AUC as the Mann-Whitney statistic, ties counted half).
 */
final class PermutationImportance {
  private static final String FEATURE = "_perm_feature";
  private static final String REPEAT = "_perm_repeat";
  private static final String ID = "_perm_id";
  private static final String POSITION = "_perm_position";
  private static final String INDEX = "_perm_index";
  private static final String DONOR = "_perm_donor_";

  private PermutationImportance() {}

  static List<Importance> compute(
      PipelineModel model,
      Dataset<Row> holdout,
      List<FeatureColumn> features,
      Task task,
      int repeats,
      long seed) {
    Map<String, Double> metric =
        metrics(model, holdout, features, task, new Shuffles(repeats, seed));
    double base = metric.get(key("", 0));
    boolean binary = task == Task.BINARY_CLASSIFICATION;
    List<Importance> out = new ArrayList<>();
    for (FeatureColumn f : features) {
      double[] drops = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        double permuted = metric.get(key(f.column(), r));
        drops[r] = binary ? base - permuted : permuted - base;
      }
      out.add(
          new Importance(
              f.feature(),
              null,
              Importances.PERMUTATION,
              binary ? "auc_roc" : "rmse",
              mean(drops),
              std(drops),
              repeats));
    }
    return out;
  }

  /** How many permutations per feature, and their seed. */
  record Shuffles(int repeats, long seed) {}

  /** The metric of every copy by {@link #key}: the unpermuted copy is feature "", repeat 0. */
  static Map<String, Double> metrics(
      PipelineModel model,
      Dataset<Row> holdout,
      List<FeatureColumn> features,
      Task task,
      Shuffles shuffles) {
    int repeats = shuffles.repeats();
    long seed = shuffles.seed();
    List<Row> grid = new ArrayList<>();
    grid.add(RowFactory.create("", 0));
    for (FeatureColumn f : features) {
      for (int r = 0; r < repeats; r++) {
        grid.add(RowFactory.create(f.column(), r));
      }
    }
    StructType gridSchema =
        new StructType()
            .add(FEATURE, DataTypes.StringType, false)
            .add(REPEAT, DataTypes.IntegerType, false);
    Dataset<Row> copies =
        holdout
            .withColumn(ID, monotonically_increasing_id())
            .crossJoin(broadcast(holdout.sparkSession().createDataFrame(grid, gridSchema)));
    WindowSpec copy = Window.partitionBy(FEATURE, REPEAT);
    Dataset<Row> keyed =
        copies
            .withColumn(
                POSITION,
                row_number()
                    .over(
                        copy.orderBy(
                            xxhash64(col(ID), col(REPEAT), col(FEATURE), lit(seed)), col(ID))))
            .withColumn(INDEX, row_number().over(copy.orderBy(ID)));
    List<Column> donor = new ArrayList<>();
    donor.add(col(FEATURE).as(DONOR + FEATURE));
    donor.add(col(REPEAT).as(DONOR + REPEAT));
    donor.add(col(POSITION).as(DONOR + POSITION));
    features.forEach(f -> donor.add(quoted(f.column()).as(DONOR + f.column())));
    Dataset<Row> donors = keyed.select(donor.toArray(Column[]::new));
    Dataset<Row> joined =
        keyed.join(
            donors,
            col(FEATURE)
                .equalTo(col(DONOR + FEATURE))
                .and(col(REPEAT).equalTo(col(DONOR + REPEAT)))
                .and(col(INDEX).equalTo(col(DONOR + POSITION))));
    List<Column> permuted = new ArrayList<>();
    permuted.add(col(FEATURE));
    permuted.add(col(REPEAT));
    permuted.add(col(ModelPipelines.LABEL));
    for (FeatureColumn f : features) {
      permuted.add(
          when(col(FEATURE).equalTo(f.column()), col(DONOR + f.column()))
              .otherwise(quoted(f.column()))
              .as(f.column()));
    }
    Dataset<Row> scored = model.transform(joined.select(permuted.toArray(Column[]::new)));
    Dataset<Row> metrics =
        task == Task.BINARY_CLASSIFICATION
            ? auc(scored.withColumn(Evaluation.SCORE, ModelOutputs.positiveProbability()))
            : rmse(scored.withColumn(Evaluation.SCORE, col(ModelPipelines.PREDICTION)));
    Map<String, Double> out = new HashMap<>();
    for (Row r : metrics.collectAsList()) {
      out.put(key(r.getString(0), r.getInt(1)), r.isNullAt(2) ? Double.NaN : r.getDouble(2));
    }
    return out;
  }

  static String key(String feature, int repeat) {
    return feature + "#" + repeat;
  }

  /** AUC-ROC per copy: P(score of a positive > score of a negative), ties counted half. */
  private static Dataset<Row> auc(Dataset<Row> scored) {
    Column positive = col(ModelPipelines.LABEL).equalTo(1.0);
    Dataset<Row> perScore =
        scored
            .groupBy(col(FEATURE), col(REPEAT), col(Evaluation.SCORE))
            .agg(
                sum(when(positive, 1L).otherwise(0L)).as("pos"),
                sum(when(positive, 0L).otherwise(1L)).as("neg"));
    WindowSpec below =
        Window.partitionBy(FEATURE, REPEAT)
            .orderBy(Evaluation.SCORE)
            .rowsBetween(Window.unboundedPreceding(), -1);
    return perScore
        .withColumn("neg_below", coalesce(sum(col("neg")).over(below), lit(0L)))
        .groupBy(FEATURE, REPEAT)
        .agg(
            sum(col("pos")
                    .multiply(col("neg_below"))
                    .plus(col("pos").multiply(col("neg")).multiply(0.5)))
                .divide(sum(col("pos")).multiply(sum(col("neg"))))
                .cast("double")
                .as("metric"));
  }

  private static Dataset<Row> rmse(Dataset<Row> scored) {
    return scored
        .groupBy(FEATURE, REPEAT)
        .agg(
            sqrt(sum(pow(col(Evaluation.SCORE).minus(col(ModelPipelines.LABEL)), 2))
                    .divide(sum(lit(1L))))
                .as("metric"));
  }

  private static Column quoted(String column) {
    return col("`" + column + "`");
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** The sample standard deviation; 0 for a single value. */
  static double std(double[] values) {
    if (values.length < 2) {
      return 0.0;
    }
    double m = mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - m) * (v - m);
    }
    return Math.sqrt(squares / (values.length - 1));
  }
}
