/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.spark;

import java.io.PrintStream;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the stages of a job: prints progress on stderr and names each stage's Spark jobs (job group
 * and description) so the Spark UI reads like the pipeline.
 */
public final class JobStages {
  private final SparkSession spark;
  private final String job;
  private final PrintStream progress;
  private final long startedNanos = System.nanoTime();

  public JobStages(SparkSession spark, String job, PrintStream progress) {
    this.spark = spark;
    this.job = job;
    this.progress = progress;
  }

  public <T> T stage(String name, String description, Supplier<T> body) {
    progress.printf("[sluice] %s: %s ...%n", job, description);
    progress.flush();
    long start = System.nanoTime();
    spark.sparkContext().setJobGroup(job + ":" + name, description, false);
    try {
      T result = body.get();
      progress.printf(
          "[sluice] %s: %s done in %.1f s%n", job, name, (System.nanoTime() - start) / 1e9);
      return result;
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  public void stage(String name, String description, Runnable body) {
    stage(
        name,
        description,
        () -> {
          body.run();
          return null;
        });
  }

  /** A progress line that is not a stage (a decision, a reuse, a skipped step). */
  public void note(String message) {
    progress.printf("[sluice] %s: %s%n", job, message);
    progress.flush();
  }

  /** Milliseconds since this job's stages started. */
  public long elapsedMs() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
