/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.quality;

import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import com.amazon.deequ.AnomalyCheckConfig;
import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationRunBuilder;
import com.amazon.deequ.VerificationRunBuilderWithRepository;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.analyzers.Analyzer;
import com.amazon.deequ.analyzers.Size;
import com.amazon.deequ.anomalydetection.RelativeRateOfChangeStrategy;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckResult;
import com.amazon.deequ.checks.CheckStatus;
import com.amazon.deequ.constraints.ConstraintResult;
import com.amazon.deequ.constraints.ConstraintStatus;
import com.amazon.deequ.metrics.Metric;
import com.amazon.deequ.repository.ResultKey;
import com.amazon.deequ.repository.fs.FileSystemMetricsRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * Runs a table's declared checks with Deequ in one verification pass, keeps Deequ's metrics history
 * in a {@link FileSystemMetricsRepository} on the lake, and adds an anomaly check on the row count
 * (relative rate of change against the previous run).
 */
public final class QualityGate {
  /** Name of the anomaly constraint in results. */
  public static final String ROW_COUNT_ANOMALY = "anomaly(row count relative change)";

  private QualityGate() {}

  /** The outcome of a gate: every constraint's result and Deequ's metrics of this run. */
  public record Report(List<QualityResult> results, Dataset<Row> metrics) {
    public Report {
      results = List.copyOf(results);
    }

    public List<QualityResult> errors() {
      return results.stream().filter(QualityResult::failedError).toList();
    }
  }

  public static Report run(
      SparkSession spark,
      String table,
      long version,
      Dataset<Row> data,
      List<QualityCheck> checks,
      double maxRowCountChange,
      String repositoryPath) {
    Map<Check, QualityCheck> declared = new LinkedHashMap<>();
    checks.forEach(c -> declared.put(DeequChecks.toDeequ(c), c));
    VerificationRunBuilder builder = new VerificationSuite().onData(data);
    for (Check check : declared.keySet()) {
      builder = builder.addCheck(check);
    }
    VerificationRunBuilderWithRepository run =
        builder
            .useRepository(new FileSystemMetricsRepository(spark, repositoryPath))
            .saveOrAppendResult(new ResultKey(System.currentTimeMillis(), tags(table, version)));
    run = withRowCountAnomalyCheck(run, maxRowCountChange);
    VerificationResult result = run.run();

    List<QualityResult> results = new ArrayList<>();
    for (Map.Entry<Check, CheckResult> e :
        JavaConverters.mapAsJavaMap(result.checkResults()).entrySet()) {
      QualityCheck check = declared.get(e.getKey());
      for (ConstraintResult cr : JavaConverters.seqAsJavaList(e.getValue().constraintResults())) {
        boolean passed = cr.status() == ConstraintStatus.Success();
        results.add(
            new QualityResult(
                table,
                version,
                check == null ? QualityCheck.Level.WARNING : check.level(),
                check == null ? ROW_COUNT_ANOMALY : describe(check, cr),
                passed,
                value(cr),
                cr.message().isDefined() ? cr.message().get() : ""));
      }
      if (check == null && e.getValue().status() == CheckStatus.Error()) {
        throw new IllegalStateException("An anomaly check cannot be error level: " + e.getKey());
      }
    }
    Dataset<Row> metrics =
        VerificationResult.successMetricsAsDataFrame(
            spark,
            result,
            JavaConverters.asScalaBuffer(new ArrayList<Analyzer<?, Metric<?>>>()).toSeq());
    return new Report(results, metrics);
  }

  /** Deequ's Size analyzer is typed for DoubleMetric; its anomaly API wants Metric of Object. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static VerificationRunBuilderWithRepository withRowCountAnomalyCheck(
      VerificationRunBuilderWithRepository run, double maxChange) {
    Analyzer size = new Size(Option.empty());
    return run.addAnomalyCheck(
        new RelativeRateOfChangeStrategy(
            Option.apply((Object) (1.0 - maxChange)), Option.apply((Object) (1.0 + maxChange)), 1),
        size,
        Option.<AnomalyCheckConfig>empty());
  }

  /** Rows that pass every row-level check (the rest go to quarantine). */
  public static Dataset<Row> validRows(Dataset<Row> data, List<QualityCheck> checks) {
    Optional<Column> all = rowPredicates(checks).stream().reduce(Column::and);
    return all.map(data::where).orElse(data);
  }

  /** Rows that fail a row-level check, with {@code _reason} naming the checks they fail. */
  public static Dataset<Row> failingRows(Dataset<Row> data, List<QualityCheck> checks) {
    List<Column> reasons = new ArrayList<>();
    Column anyFails = lit(false);
    for (QualityCheck c : checks) {
      if (c.rowPredicate().isPresent()) {
        Column fails = not(expr(c.rowPredicate().get()));
        reasons.add(when(fails, lit(c.describe())));
        anyFails = anyFails.or(fails);
      }
    }
    return data.where(anyFails)
        .withColumn("_reason", concat_ws("; ", reasons.toArray(new Column[0])));
  }

  private static List<Column> rowPredicates(List<QualityCheck> checks) {
    return checks.stream().flatMap(c -> c.rowPredicate().stream()).map(p -> expr(p)).toList();
  }

  private static String describe(QualityCheck check, ConstraintResult cr) {
    if (check.type() == QualityCheck.CheckType.RANGE) {
      // A range is two Deequ constraints (minimum, maximum): name which one.
      String constraint = cr.constraint().toString();
      return check.describe() + (constraint.contains("Minimum") ? " [minimum]" : " [maximum]");
    }
    return check.describe();
  }

  private static Optional<Double> value(ConstraintResult cr) {
    if (cr.metric().isEmpty()) {
      return Optional.empty();
    }
    Metric<?> metric = cr.metric().get();
    if (metric.value().isSuccess() && metric.value().get() instanceof Number n) {
      return Optional.of(n.doubleValue());
    }
    return Optional.empty();
  }

  private static scala.collection.immutable.Map<String, String> tags(String table, long version) {
    return scala.collection.immutable.Map$.MODULE$
        .<String, String>empty()
        .$plus(scala.Tuple2.apply("table", table))
        .$plus(scala.Tuple2.apply("version", String.valueOf(version)));
  }
}
