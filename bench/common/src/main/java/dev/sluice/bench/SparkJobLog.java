/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.bench;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Wall time of Spark jobs, to see where a run's time goes: with {@code verbose}, one line per job
 * on stderr (its call site or description, stages and wall time); and the jobs' total since the
 * last {@link #take()}, split into the jobs of job groups containing {@code group} (a stage of
 * {@code dev.sluice.spark.JobStages}, e.g. {@code ":profile-"}) and all others.
 */
public final class SparkJobLog extends SparkListener {
  private final SparkContext spark;
  private final String group;
  private final boolean verbose;
  private final Map<Integer, Long> started = new ConcurrentHashMap<>();
  private final Map<Integer, String> sites = new ConcurrentHashMap<>();
  private final Map<Integer, Boolean> inGroup = new ConcurrentHashMap<>();
  private final AtomicLong groupMs = new AtomicLong();
  private final AtomicLong otherMs = new AtomicLong();
  private final AtomicInteger otherJobs = new AtomicInteger();

  private SparkJobLog(SparkContext spark, String group, boolean verbose) {
    this.spark = spark;
    this.group = group;
    this.verbose = verbose;
  }

  /**
   * A log listening to {@code spark}'s jobs from now on.
   *
   * @param group jobs whose job group contains this are timed apart ({@code null}: none)
   * @param verbose print one line per job
   */
  public static SparkJobLog listen(SparkContext spark, String group, boolean verbose) {
    SparkJobLog log = new SparkJobLog(spark, group, verbose);
    spark.addSparkListener(log);
    return log;
  }

  /** Milliseconds of the group's jobs and of the other jobs (and how many). */
  public record Times(long groupMs, long otherMs, int otherJobs) {}

  /** The times since the last call, once every event so far has been delivered. */
  public Times take() {
    try {
      spark.listenerBus().waitUntilEmpty(60_000);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark's listener events were not delivered in 60 s", e);
    }
    return new Times(groupMs.getAndSet(0), otherMs.getAndSet(0), otherJobs.getAndSet(0));
  }

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    started.put(job.jobId(), job.time());
    Properties p = job.properties();
    String jobGroup = p == null ? null : p.getProperty("spark.jobGroup.id");
    inGroup.put(job.jobId(), group != null && jobGroup != null && jobGroup.contains(group));
    String site =
        p == null
            ? ""
            : p.getProperty("spark.job.description", p.getProperty("callSite.short", ""));
    sites.put(job.jobId(), String.format("[%d stages] %s", job.stageInfos().size(), site));
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd job) {
    Long t0 = started.remove(job.jobId());
    long ms = t0 == null ? 0 : job.time() - t0;
    String site = sites.remove(job.jobId());
    if (Boolean.TRUE.equals(inGroup.remove(job.jobId()))) {
      groupMs.addAndGet(ms);
    } else {
      otherMs.addAndGet(ms);
      otherJobs.incrementAndGet();
    }
    if (verbose) {
      System.err.printf("JOB %d %d ms %s%n", job.jobId(), t0 == null ? -1 : ms, site);
    }
  }
}
