/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.var_pop;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Holdout metrics of a model from its scored examples, computed on Spark.
 *
 * <p>Each method reads the scored Dataset in one aggregation job (every count, sum and calibration
 * bin at once); {@link #binary} then runs Spark's exact ROC and PR curves, a few more jobs that do
 * not depend on the number of metrics. Label, probability and prediction columns may be of any
 * numeric type; they are read as doubles. docs/evaluation.md restates these definitions.
 *
 * <h2>Refused input</h2>
 *
 * Both methods refuse, with an {@link IllegalArgumentException} that names the column and the
 * number of offending rows, an empty Dataset, a null or NaN label, probability or prediction, a
 * binary label other than 0 and 1, and a probability outside {@code [0, 1]}. The caller drops or
 * repairs such rows first; nothing is silently skipped.
 */
public final class ModelEvaluation {
  /** The clipping bound of probabilities in log loss, so that {@code ln 0} never occurs. */
  public static final double LOG_LOSS_EPSILON = 1e-15;

  /** More bins would make the one aggregation job unwieldy (three sums per bin). */
  public static final int MAX_CALIBRATION_BINS = 100;

  private ModelEvaluation() {}

  /**
   * The metrics of a binary classifier. With {@code n} examples, {@code P} of label 1 and {@code N}
   * of label 0, and an example predicted positive iff {@code probability >= threshold}:
   *
   * <ul>
   *   <li><b>AUC-ROC</b>: Spark's {@link BinaryClassificationMetrics} without down-sampling ({@code
   *       numBins = 0}). One curve point per distinct probability {@code s}, in descending order,
   *       where the examples with {@code p >= s} are positive: {@code (FP/N, TP/P)}; {@code (0, 0)}
   *       is prepended and {@code (1, 1)} appended, and the area is the trapezoid sum. Tied
   *       probabilities form one point, so the area equals the Mann-Whitney statistic: the share of
   *       (positive, negative) pairs in which the positive has the higher probability, a tied pair
   *       counting 1/2.
   *   <li><b>AUC-PR</b>: the same Spark class: one point {@code (TP/P, TP/(TP+FP))} per distinct
   *       probability in descending order, preceded by {@code (0, precision of the first point)},
   *       integrated by the trapezoid rule (not average precision, which uses steps).
   *   <li>Both AUCs are NaN when either class is absent: then there is no pair to rank.
   *   <li><b>log loss</b>: the mean of {@code -[y ln p + (1 - y) ln(1 - p)]}, {@code p} clipped to
   *       {@code [1e-15, 1 - 1e-15]}.
   *   <li><b>accuracy</b>: {@code (TP + TN) / n}; <b>precision</b>: {@code TP / (TP + FP)}, 0 if
   *       nothing is predicted positive; <b>recall</b>: {@code TP / P}, 0 if {@code P = 0};
   *       <b>F1</b>: {@code 2 precision recall / (precision + recall)}, 0 if both are 0.
   *   <li><b>calibration</b>: {@code calibrationBins} equal-width bins on {@code [0, 1]} as {@link
   *       CalibrationBin} defines them, every bin present (empty ones with count 0 and NaN means).
   *       <b>Expected calibration error</b>: {@code sum over non-empty bins of count * |
   *       meanPredicted - observedRate| / n}.
   * </ul>
   *
   * @param scored one row per holdout example
   * @param labelCol the label, 0 or 1
   * @param probabilityCol the predicted probability that the label is 1, in {@code [0, 1]}
   * @param threshold the decision threshold, in {@code [0, 1]}
   * @param calibrationBins the number of calibration bins, from 1 to {@value #MAX_CALIBRATION_BINS}
   * @throws IllegalArgumentException on refused input, as the class documentation lists
   */
  public static BinaryMetrics binary(
      Dataset<Row> scored,
      String labelCol,
      String probabilityCol,
      double threshold,
      int calibrationBins) {
    checkNumeric(scored.schema(), labelCol);
    checkNumeric(scored.schema(), probabilityCol);
    checkArgument(
        threshold >= 0 && threshold <= 1, "Invalid threshold: %s (must be in [0, 1])", threshold);
    checkArgument(
        calibrationBins >= 1 && calibrationBins <= MAX_CALIBRATION_BINS,
        "Invalid calibration bins: %s (must be in [1, %s])",
        calibrationBins,
        MAX_CALIBRATION_BINS);
    Dataset<Row> pairs =
        scored.select(
            column(labelCol).cast(DataTypes.DoubleType).as("y"),
            column(probabilityCol).cast(DataTypes.DoubleType).as("p"));
    Column y = col("y");
    Column p = col("p");
    Column bin = least(floor(p.multiply(calibrationBins)), lit(calibrationBins - 1)).cast("int");
    Column clipped = least(greatest(p, lit(LOG_LOSS_EPSILON)), lit(1 - LOG_LOSS_EPSILON));
    List<Column> aggs = new ArrayList<>();
    aggs.add(countWhere(y.isNull()).as("null_y"));
    aggs.add(countWhere(isnan(y)).as("nan_y"));
    aggs.add(countWhere(y.notEqual(0).and(y.notEqual(1))).as("bad_y"));
    aggs.add(countWhere(p.isNull()).as("null_p"));
    aggs.add(countWhere(isnan(p)).as("nan_p"));
    aggs.add(countWhere(p.lt(0).or(p.gt(1))).as("bad_p"));
    aggs.add(countWhere(y.equalTo(1)).as("positives"));
    aggs.add(countWhere(y.equalTo(1).and(p.geq(threshold))).as("tp"));
    aggs.add(countWhere(y.equalTo(0).and(p.geq(threshold))).as("fp"));
    aggs.add(
        sum(y.multiply(log(clipped)).plus(lit(1).minus(y).multiply(log(lit(1).minus(clipped)))))
            .as("log_likelihood"));
    for (int b = 0; b < calibrationBins; b++) {
      aggs.add(countWhere(bin.equalTo(b)).as("bin_n_" + b));
      aggs.add(sum(when(bin.equalTo(b), p)).as("bin_p_" + b));
      aggs.add(sum(when(bin.equalTo(b), y)).as("bin_y_" + b));
    }
    Row r = pairs.agg(count(lit(1)).as("n"), aggs.toArray(Column[]::new)).first();

    long n = r.getAs("n");
    checkArgument(n > 0, "Cannot evaluate: no scored rows");
    checkClean(labelCol, r.getAs("null_y"), r.getAs("nan_y"));
    checkNone(r.getAs("bad_y"), "a value other than 0 and 1", labelCol);
    checkClean(probabilityCol, r.getAs("null_p"), r.getAs("nan_p"));
    checkNone(r.getAs("bad_p"), "a value outside [0, 1]", probabilityCol);

    long positives = r.getAs("positives");
    long tp = r.getAs("tp");
    long fp = r.getAs("fp");
    long tn = n - positives - fp;
    double precision = tp + fp == 0 ? 0.0 : (double) tp / (tp + fp);
    double recall = positives == 0 ? 0.0 : (double) tp / positives;
    double f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
    List<CalibrationBin> calibration = calibration(r, calibrationBins);
    double[] auc =
        positives == 0 || positives == n ? new double[] {Double.NaN, Double.NaN} : auc(pairs);
    return new BinaryMetrics(
        n,
        positives,
        auc[0],
        auc[1],
        -r.<Double>getAs("log_likelihood") / n,
        (double) (tp + tn) / n,
        precision,
        recall,
        f1,
        threshold,
        calibration,
        calibrationError(calibration, n));
  }

  /**
   * The metrics of a regression model, with {@code e = prediction - label} over {@code n} examples:
   * {@code rmse = sqrt(sum e^2 / n)}, {@code mae = sum |e| / n}, and {@code r2 = 1 - SS_res /
   * SS_tot} with {@code SS_res = sum e^2} and {@code SS_tot = sum (label - mean label)^2}. When
   * every label is equal, {@code SS_tot = 0} and r2 is NaN (undefined), whatever the predictions.
   *
   * @throws IllegalArgumentException on refused input, as the class documentation lists
   */
  public static RegressionMetrics regression(
      Dataset<Row> scored, String labelCol, String predictionCol) {
    checkNumeric(scored.schema(), labelCol);
    checkNumeric(scored.schema(), predictionCol);
    Column y = column(labelCol).cast(DataTypes.DoubleType);
    Column prediction = column(predictionCol).cast(DataTypes.DoubleType);
    Column error = prediction.minus(y);
    Row r =
        scored
            .agg(
                count(lit(1)).as("n"),
                countWhere(y.isNull()).as("null_y"),
                countWhere(isnan(y)).as("nan_y"),
                countWhere(prediction.isNull()).as("null_p"),
                countWhere(isnan(prediction)).as("nan_p"),
                sum(pow(error, 2)).as("ss_res"),
                sum(abs(error)).as("abs_sum"),
                // var_pop merges partial (count, mean, M2) states: no cancellation of large sums.
                var_pop(y).as("var_y"))
            .first();
    long n = r.getAs("n");
    checkArgument(n > 0, "Cannot evaluate: no scored rows");
    checkClean(labelCol, r.getAs("null_y"), r.getAs("nan_y"));
    checkClean(predictionCol, r.getAs("null_p"), r.getAs("nan_p"));
    double ssRes = r.getAs("ss_res");
    double ssTot = r.<Double>getAs("var_y") * n;
    return new RegressionMetrics(
        n,
        Math.sqrt(ssRes / n),
        r.<Double>getAs("abs_sum") / n,
        ssTot == 0 ? Double.NaN : 1 - ssRes / ssTot);
  }

  /** {AUC-ROC, AUC-PR} from Spark's exact curves; the curves' cached counts are released. */
  private static double[] auc(Dataset<Row> pairs) {
    BinaryClassificationMetrics metrics =
        new BinaryClassificationMetrics(
            pairs
                .select("p", "y")
                .javaRDD()
                .map(row -> new Tuple2<Object, Object>(row.getDouble(0), row.getDouble(1)))
                .rdd(),
            0 /* no down-sampling */);
    try {
      return new double[] {metrics.areaUnderROC(), metrics.areaUnderPR()};
    } finally {
      metrics.unpersist();
    }
  }

  private static List<CalibrationBin> calibration(Row r, int bins) {
    List<CalibrationBin> calibration = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      long count = r.getAs("bin_n_" + b);
      double meanPredicted = count == 0 ? Double.NaN : r.<Double>getAs("bin_p_" + b) / count;
      double observedRate = count == 0 ? Double.NaN : r.<Double>getAs("bin_y_" + b) / count;
      calibration.add(
          new CalibrationBin(
              b, (double) b / bins, (double) (b + 1) / bins, count, meanPredicted, observedRate));
    }
    return calibration;
  }

  private static double calibrationError(List<CalibrationBin> calibration, long n) {
    double weighted = 0;
    for (CalibrationBin bin : calibration) {
      if (bin.count() > 0) {
        weighted += bin.count() * Math.abs(bin.meanPredicted() - bin.observedRate());
      }
    }
    return weighted / n;
  }

  /** The number of rows where {@code condition} is true (not null). */
  private static Column countWhere(Column condition) {
    return count(when(condition, lit(1)));
  }

  private static void checkClean(String column, long nulls, long nans) {
    checkNone(nulls, "a null", column);
    checkNone(nans, "a NaN", column);
  }

  private static void checkNone(long rows, String problem, String column) {
    checkArgument(
        rows == 0,
        "Cannot evaluate: %s rows have %s in %s (drop or repair them first)",
        rows,
        problem,
        column);
  }

  private static void checkNumeric(StructType schema, String column) {
    checkArgument(
        Arrays.asList(schema.fieldNames()).contains(column),
        "Cannot evaluate: no column %s among %s",
        column,
        Arrays.toString(schema.fieldNames()));
    checkArgument(
        schema.apply(column).dataType() instanceof NumericType,
        "Cannot evaluate: column %s is %s, not numeric",
        column,
        schema.apply(column).dataType().simpleString());
  }

  /** A column by its exact name, even if the name contains dots. */
  static Column column(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  static void checkArgument(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }
}
