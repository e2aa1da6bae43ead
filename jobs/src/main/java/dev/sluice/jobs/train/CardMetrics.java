/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import dev.sluice.model.CanaryStatistics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The model card's metrics over the collected holdout predictions (labels and scores; a holdout is
 * small): point estimates, seeded percentile-bootstrap confidence intervals, and the ROC and
 * precision-recall curves. AUC-ROC is the Mann-Whitney statistic (ties counted half), which equals
 * the trapezoidal area under the exact ROC curve.
 */
final class CardMetrics {
  private static final double EPS = 1e-15;

  private CardMetrics() {}

  /** Holdout predictions: the label and the score of each row. */
  record Predictions(double[] labels, double[] scores) {
    int size() {
      return labels.length;
    }

    Predictions resample(SplittableRandom random) {
      int n = size();
      double[] l = new double[n];
      double[] s = new double[n];
      for (int i = 0; i < n; i++) {
        int j = random.nextInt(n);
        l[i] = labels[j];
        s[i] = scores[j];
      }
      return new Predictions(l, s);
    }
  }

  /**
   * A metric's point estimate and interval.
   *
   * @param lower the {@code (1 - confidence) / 2} quantile of the bootstrap estimates
   * @param upper the {@code (1 + confidence) / 2} quantile
   */
  record Interval(String metric, double estimate, double lower, double upper) {}

  /** The metrics of a task by name, in the card's order. */
  static Map<String, Double> metrics(Task task, Predictions p, double threshold) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (task == Task.BINARY_CLASSIFICATION) {
      out.put("auc_roc", auc(p));
      out.put("accuracy", accuracy(p, threshold));
      out.put("log_loss", logLoss(p));
    } else {
      out.put("rmse", rmse(p));
      out.put("mae", mae(p));
      out.put("r2", r2(p));
    }
    return out;
  }

  /**
   * Percentile-bootstrap intervals of every metric: {@code resamples} resamples of the rows with
   * replacement drawn from {@code seed}; NaN estimates (a resample with one class) are dropped.
   */
  static List<Interval> bootstrap(
      Task task, Predictions p, double threshold, int resamples, double confidence, long seed) {
    Map<String, Double> point = metrics(task, p, threshold);
    Map<String, double[]> draws = new LinkedHashMap<>();
    point.keySet().forEach(k -> draws.put(k, new double[resamples]));
    SplittableRandom random = new SplittableRandom(seed);
    for (int b = 0; b < resamples; b++) {
      Map<String, Double> m = metrics(task, p.resample(random), threshold);
      int i = b;
      m.forEach((k, v) -> draws.get(k)[i] = v);
    }
    List<Interval> out = new ArrayList<>();
    for (Map.Entry<String, Double> e : point.entrySet()) {
      double[] values =
          Arrays.stream(draws.get(e.getKey())).filter(v -> !Double.isNaN(v)).toArray();
      Arrays.sort(values);
      out.add(
          new Interval(
              e.getKey(),
              e.getValue(),
              quantile(values, (1 - confidence) / 2),
              quantile(values, (1 + confidence) / 2)));
    }
    return out;
  }

  /** The linear-interpolation quantile of sorted values; NaN for none. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /** AUC-ROC as the canary computes it (Mann-Whitney, ties half); NaN without both classes. */
  static double auc(Predictions p) {
    int[] labels = new int[p.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = p.labels()[i] == 1.0 ? 1 : 0;
    }
    return CanaryStatistics.auc(p.scores(), labels);
  }

  static double accuracy(Predictions p, double threshold) {
    long right = 0;
    for (int i = 0; i < p.size(); i++) {
      double predicted = p.scores()[i] >= threshold ? 1.0 : 0.0;
      right += predicted == p.labels()[i] ? 1 : 0;
    }
    return (double) right / p.size();
  }

  static double logLoss(Predictions p) {
    double sum = 0;
    for (int i = 0; i < p.size(); i++) {
      double s = Math.min(Math.max(p.scores()[i], EPS), 1 - EPS);
      sum -= p.labels()[i] == 1.0 ? Math.log(s) : Math.log(1 - s);
    }
    return sum / p.size();
  }

  static double rmse(Predictions p) {
    double sum = 0;
    for (int i = 0; i < p.size(); i++) {
      double d = p.scores()[i] - p.labels()[i];
      sum += d * d;
    }
    return Math.sqrt(sum / p.size());
  }

  static double mae(Predictions p) {
    double sum = 0;
    for (int i = 0; i < p.size(); i++) {
      sum += Math.abs(p.scores()[i] - p.labels()[i]);
    }
    return sum / p.size();
  }

  static double r2(Predictions p) {
    double mean = Arrays.stream(p.labels()).average().orElse(Double.NaN);
    double total = 0;
    double residual = 0;
    for (int i = 0; i < p.size(); i++) {
      total += (p.labels()[i] - mean) * (p.labels()[i] - mean);
      double d = p.scores()[i] - p.labels()[i];
      residual += d * d;
    }
    return total == 0 ? Double.NaN : 1 - residual / total;
  }

  /**
   * The ROC curve, {@code [false positive rate, true positive rate]} from (0, 0): one point per
   * distinct score, thresholds descending, so {@code distinct scores + 1} points.
   */
  static List<double[]> roc(Predictions p) {
    List<double[]> points = new ArrayList<>();
    points.add(new double[] {0, 0});
    walk(p, (tp, fp, pos, neg) -> points.add(new double[] {fp / neg, tp / pos}));
    return points;
  }

  /**
   * The precision-recall curve, {@code [recall, precision]}: one point per distinct score,
   * thresholds descending.
   */
  static List<double[]> pr(Predictions p) {
    List<double[]> points = new ArrayList<>();
    walk(p, (tp, fp, pos, neg) -> points.add(new double[] {tp / pos, tp / (tp + fp)}));
    return points;
  }

  private interface Step {
    void at(double tp, double fp, double positives, double negatives);
  }

  /** Calls {@code step} once per distinct score, from the highest, with the counts at or above. */
  private static void walk(Predictions p, Step step) {
    double positives = Arrays.stream(p.labels()).filter(l -> l == 1.0).count();
    double negatives = p.size() - positives;
    Integer[] order = byScoreDescending(p);
    double tp = 0;
    double fp = 0;
    for (int i = 0; i < order.length; i++) {
      if (p.labels()[order[i]] == 1.0) {
        tp++;
      } else {
        fp++;
      }
      boolean last = i + 1 == order.length || p.scores()[order[i + 1]] != p.scores()[order[i]];
      if (last) {
        step.at(tp, fp, positives, negatives);
      }
    }
  }

  private static Integer[] byScoreDescending(Predictions p) {
    Integer[] order = new Integer[p.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(p.scores()[b], p.scores()[a]));
    return order;
  }
}
