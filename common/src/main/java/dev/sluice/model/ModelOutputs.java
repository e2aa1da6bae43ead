/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What a fitted Sluice pipeline adds to the rows it transforms, read the same way everywhere. */
public final class ModelOutputs {
  /** MLlib's prediction column: the class (0/1) or the regression value. */
  public static final String PREDICTION = "prediction";

  /** MLlib's class probability vector of a classifier. */
  public static final String PROBABILITY_VECTOR = "probability";

  private ModelOutputs() {}

  /** Whether the transformed rows come from a classifier (they carry a probability vector). */
  public static boolean isClassifier(Dataset<Row> transformed) {
    return List.of(transformed.columns()).contains(PROBABILITY_VECTOR);
  }

  /** P(label = 1) of a binary classifier, as a double. */
  public static Column positiveProbability() {
    return vector_to_array(col(PROBABILITY_VECTOR), "float64").getItem(1);
  }
}
