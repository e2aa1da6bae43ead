/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.bench.drift;

import static dev.sluice.bench.BenchRuns.median;
import static dev.sluice.bench.BenchRuns.seconds;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.bench.BenchRuns;
import dev.sluice.bench.SparkJobLog;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.jobs.cli.SluiceCli;
import dev.sluice.spark.SparkSessions;
import dev.sluice.table.Lakehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The time of {@code sluice drift} over one daily window against one full scan of the same rows
 * (ARCHITECTURE §9): the window's served {@code scoring_inputs} joined with their scores from
 * {@code predictions} as the drift job joins them, every column read and written to Spark's {@code
 * noop} sink (never {@code count()}, which Delta answers from metadata). {@code sluice drift} runs
 * through the CLI in this JVM, as bench/score runs {@code sluice score}; exit 5 (alerts, a policy
 * decision) is expected, checked on its summary line. Runs are interleaved A B A B, median of
 * {@code rounds}. Each drift run's time is split by its stages (their progress lines: baselines,
 * the previous window's stored profiles, read beside the baselines and the profile, the profile
 * aggregation, the metrics commits, alerts) and the time outside the sequential ones (the job
 * contract: config, run lock, catalog, {@code job_runs} and {@code
 * lineage}); the Spark jobs of the profile stage and all others are timed apart.
 *
 * <p>Arguments ({@code key=value}): {@code conf} (the shipped profile), {@code rows} (served rows
 * per day, default 1000000), {@code features} (50: two thirds numeric, one third categorical),
 * {@code rounds} (5), {@code versions} (1, or 2: a challenger serves the 10% canary cohort), {@code
 * slice} (false; true: one slice by a categorical feature), {@code jobs} (false; true: one line per
 * Spark job), {@code root} (a fresh temp dir; a root that already holds the same lake is reused).
 */
public final class DriftBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STAGE_DONE =
      Pattern.compile("\\[sluice\\] drift: (\\S+?)(-\\d{4}-\\d{2}-\\d{2})? done in ([0-9.]+) s");

  /** The drift job's stages (docs/drift.md), in order; a window's profile stage is "profile". */
  private static final List<String> STAGES =
      List.of("baselines", "previous", "profile", "metrics", "alerts");

  /** Stages that run beside the others (the job reads the previous window meanwhile). */
  private static final List<String> OVERLAPPING = List.of("previous");

  private DriftBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> a = BenchRuns.arguments(args);
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "5"));
    Path root =
        a.containsKey("root")
            ? Path.of(a.get("root")).toAbsolutePath()
            : Files.createTempDirectory("sluice-bench-drift");
    DriftLake lake =
        new DriftLake(
            root,
            Long.parseLong(a.getOrDefault("rows", "1000000")),
            Integer.parseInt(a.getOrDefault("features", "50")),
            Integer.parseInt(a.getOrDefault("versions", "1")),
            Boolean.parseBoolean(a.getOrDefault("slice", "false")));
    Path conf = Path.of(a.get("conf"));
    if (!lake.exists()) {
      SluiceConfig config =
          ConfigLoader.load(Optional.of(conf), Map.of("sluice.lake.root", root.toString()));
      SparkSession spark =
          SparkSessions.getOrCreate("sluice bench drift", config.spark(), config.lake());
      lake.write(conf, new Lakehouse(spark, config.lake(), config.sources()));
    }
    List<String> settings = List.of("--conf", lake.conf().toString(), "-Dsluice.lake.root=" + root);
    String date = DriftLake.DATE.toString();
    Run first = drift(settings, DriftLake.DATE.minusDays(1).toString()); // the previous window
    System.err.println("previous window: " + first.summary().get("metrics"));
    Run measured = drift(settings, date); // warm-up
    System.err.println("measured window: " + measured.summary().get("metrics"));

    SparkSession spark = SparkSession.active();
    Dataset<Row> window = window(spark, root);
    scan(window); // warm-up
    SparkJobLog times =
        SparkJobLog.listen(
            spark.sparkContext(),
            ":profile-",
            Boolean.parseBoolean(a.getOrDefault("jobs", "false")));
    double[] job = new double[rounds];
    double[] full = new double[rounds];
    double[] profileJobs = new double[rounds];
    double[] otherJobs = new double[rounds];
    double[] outside = new double[rounds];
    Map<String, double[]> stages = new LinkedHashMap<>();
    STAGES.forEach(name -> stages.put(name, new double[rounds]));
    for (int r = 0; r < rounds; r++) {
      full[r] = seconds(() -> scan(window));
      times.take();
      long t0 = System.nanoTime();
      Map<String, Double> run = drift(settings, date).stages();
      job[r] = (System.nanoTime() - t0) / 1e9;
      SparkJobLog.Times t = times.take();
      profileJobs[r] = t.groupMs() / 1e3;
      otherJobs[r] = t.otherMs() / 1e3;
      outside[r] = job[r];
      StringBuilder line = new StringBuilder();
      for (String name : STAGES) {
        double seconds = run.getOrDefault(name, 0.0);
        stages.get(name)[r] = seconds;
        if (!OVERLAPPING.contains(name)) {
          outside[r] -= seconds;
        }
        line.append(String.format(" %s %.1f s,", name, seconds));
      }
      System.err.printf(
          "round %d: full scan %.2f s; sluice drift %.2f s:%s outside the stages %.2f s;"
              + " Spark jobs: profile %.2f s, %d others %.2f s%n",
          r + 1, full[r], job[r], line, outside[r], profileJobs[r], t.otherJobs(), otherJobs[r]);
    }
    int features = lake.features();
    long categorical = IntStream.range(0, features).filter(SyntheticColumns::categorical).count();
    System.out.printf(
        "rows %d, features %d (%d numeric, %d categorical), versions %d, slice %b, cores %d%n",
        lake.rows(),
        features,
        features - categorical,
        categorical,
        lake.versions(),
        lake.slice(),
        Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "full scan: median %.2f s; sluice drift: median %.2f s; ratio drift/scan %.3f%n",
        median(full), median(job), median(job) / median(full));
    StringBuilder medians = new StringBuilder();
    stages.forEach(
        (name, values) -> medians.append(String.format(" %s %.1f s,", name, median(values))));
    System.out.printf(
        "sluice drift medians by stage:%s outside the stages (job contract: config, lock, catalog,"
            + " job_runs and lineage) %.2f s; Spark jobs: profile %.2f s, others %.2f s%n",
        medians, median(outside), median(profileJobs), median(otherJobs));
  }

  /**
   * The rows the drift job profiles: the window's served scoring inputs joined with their scores,
   * as Drifter joins them.
   */
  private static Dataset<Row> window(SparkSession spark, Path root) {
    Date day = Date.valueOf(DriftLake.DATE);
    Dataset<Row> inputs = served(spark, root.resolve("scoring_inputs"), day);
    Dataset<Row> scores = served(spark, root.resolve("predictions"), day);
    String[] keys = {DriftLake.ENTITY, "score_date", "model_version"};
    return inputs.join(
        scores.select(col(keys[0]), col(keys[1]), col(keys[2]), col(SyntheticColumns.SCORE)), keys);
  }

  private static Dataset<Row> served(SparkSession spark, Path table, Date day) {
    return spark
        .read()
        .format("delta")
        .load(table.toString())
        .where(
            col("model_name")
                .equalTo(DriftLake.MODEL)
                .and(col("served").equalTo(lit(true)))
                .and(col("score_date").geq(lit(day)))
                .and(col("score_date").leq(lit(day))));
  }

  /** Every column of every row read, nothing written. */
  private static void scan(Dataset<Row> window) {
    window.write().format("noop").mode("overwrite").save();
  }

  /** A drift run's summary line and its stages' times (from its progress lines on stderr). */
  private record Run(JsonNode summary, Map<String, Double> stages) {}

  /**
   * Runs {@code sluice drift} for one date; exit 5 must come with alerts in the summary, any other
   * exit but 0 fails the benchmark.
   */
  private static Run drift(List<String> settings, String date) {
    List<String> all =
        new ArrayList<>(List.of("drift", "--model", DriftLake.MODEL, "--date", date));
    all.addAll(settings);
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream tee = new PrintStream(new Tee(stderr, err), true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      System.setErr(tee);
      code = SluiceCli.commandLine().execute(all.toArray(String[]::new));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    String last = lines[lines.length - 1];
    JsonNode summary;
    try {
      summary = JSON.readTree(last);
    } catch (IOException e) {
      throw new IllegalStateException("sluice drift printed no summary line: " + last, e);
    }
    boolean alerted =
        code == 5
            && summary.path("status").asText().equals("decided")
            && summary.path("metrics").path("alerts").asLong() > 0;
    if (code != 0 && !alerted) {
      throw new IllegalStateException("sluice drift exited " + code + ": " + last);
    }
    Map<String, Double> stages = new HashMap<>();
    Matcher stage = STAGE_DONE.matcher(err.toString(StandardCharsets.UTF_8));
    while (stage.find()) {
      stages.merge(stage.group(1), Double.parseDouble(stage.group(3)), Double::sum);
    }
    return new Run(summary, stages);
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
    }
  }
}
