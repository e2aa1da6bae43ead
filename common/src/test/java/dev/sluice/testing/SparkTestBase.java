/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;

/** Base of Spark tests: the JVM's shared session and DataFrame assertions. */
public abstract class SparkTestBase {
  protected static SparkSession spark;

  @BeforeAll
  static void shareSpark() {
    spark = SharedSpark.get();
  }

  /** Asserts equal schemas and equal rows, in any order (spark-testing-base). */
  protected static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    new JavaDataFrameSuiteBase().assertDataFrameNoOrderEquals(expected, actual);
  }

  /**
   * Runs {@code action} while {@code listener} receives the session's Spark events; on return the
   * listener has received every event of the action (Spark delivers them asynchronously) and no
   * earlier one.
   */
  protected static void listening(SparkListener listener, Runnable action) throws TimeoutException {
    spark.sparkContext().listenerBus().waitUntilEmpty();
    spark.sparkContext().addSparkListener(listener);
    try {
      action.run();
    } finally {
      spark.sparkContext().listenerBus().waitUntilEmpty();
      spark.sparkContext().removeSparkListener(listener);
    }
  }

  /** Runs {@code body} with session settings changed, restoring them in {@code finally}. */
  protected static void withSqlConf(Map<String, String> conf, Runnable body) {
    Map<String, String> previous = new HashMap<>();
    conf.keySet()
        .forEach(k -> previous.put(k, spark.conf().contains(k) ? spark.conf().get(k) : null));
    try {
      conf.forEach((k, v) -> spark.conf().set(k, v));
      body.run();
    } finally {
      previous.forEach(
          (k, v) -> {
            if (v == null) {
              spark.conf().unset(k);
            } else {
              spark.conf().set(k, v);
            }
          });
    }
  }
}
