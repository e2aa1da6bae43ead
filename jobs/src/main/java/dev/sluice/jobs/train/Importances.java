/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.classification.DecisionTreeClassificationModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted model's own importances, mapped back to feature names: a tree model's feature
 * importances, a linear model's coefficients. Each slot of the assembled vector is named by the
 * {@link org.apache.spark.ml.feature.VectorAssembler}'s ML attribute metadata ({@code
 * _imputed_<column>} for a numeric feature, {@code _onehot_<column>_<category>} for a one-hot slot
 * of a string feature), which names its feature and, for a one-hot slot, its category.
 */
final class Importances {
  /** The method names in {@code feature_importance}. */
  static final String NATIVE = "native";

  static final String PERMUTATION = "permutation";

  private Importances() {}

  /**
   * One importance.
   *
   * @param feature the feature ({@code group.feature})
   * @param category a one-hot slot's category; null for a numeric feature or a whole feature
   * @param metric what the value is: {@code impurity}, {@code coefficient} or the metric whose drop
   *     a permutation measures
   * @param std the spread over permutation repeats (null for native)
   * @param repeats the permutation repeats (null for native)
   */
  record Importance(
      String feature,
      String category,
      String method,
      String metric,
      double importance,
      Double std,
      Integer repeats) {}

  /** The model's native importances, one per slot of its feature vector, in vector order. */
  static List<Importance> nativeOf(PipelineModel model, Dataset<Row> input, List<FeatureColumn> f) {
    Transformer last = model.stages()[model.stages().length - 1];
    Optional<Native> values = values(last);
    if (values.isEmpty()) {
      return List.of();
    }
    // The assembler names the slots in transform() (transformSchema leaves the metadata out);
    // transform is lazy, and the one-hot sizes are in the indexer's metadata: no Spark job.
    StructType assembled = model.transform(input).schema();
    AttributeGroup group = AttributeGroup.fromStructField(assembled.apply(ModelPipelines.FEATURES));
    Attribute[] attributes = group.attributes().get();
    double[] v = values.get().values().toArray();
    List<Importance> out = new ArrayList<>();
    for (int i = 0; i < v.length; i++) {
      String slot = attributes[i].name().getOrElse(() -> "");
      Slot s = slot(slot, f);
      out.add(
          new Importance(s.feature(), s.category(), NATIVE, values.get().kind(), v[i], null, null));
    }
    return out;
  }

  private record Native(String kind, Vector values) {}

  private static Optional<Native> values(Transformer model) {
    if (model instanceof GBTClassificationModel m) {
      return Optional.of(new Native("impurity", m.featureImportances()));
    } else if (model instanceof RandomForestClassificationModel m) {
      return Optional.of(new Native("impurity", m.featureImportances()));
    } else if (model instanceof DecisionTreeClassificationModel m) {
      return Optional.of(new Native("impurity", m.featureImportances()));
    } else if (model instanceof GBTRegressionModel m) {
      return Optional.of(new Native("impurity", m.featureImportances()));
    } else if (model instanceof RandomForestRegressionModel m) {
      return Optional.of(new Native("impurity", m.featureImportances()));
    } else if (model instanceof DecisionTreeRegressionModel m) {
      return Optional.of(new Native("impurity", m.featureImportances()));
    } else if (model instanceof LogisticRegressionModel m) {
      return Optional.of(new Native("coefficient", m.coefficients()));
    } else if (model instanceof LinearRegressionModel m) {
      return Optional.of(new Native("coefficient", m.coefficients()));
    }
    return Optional.empty();
  }

  record Slot(String feature, String category) {}

  /** The feature (and one-hot category) of an assembled slot's attribute name. */
  static Slot slot(String name, List<FeatureColumn> features) {
    Slot best = new Slot(name, null);
    int matched = -1;
    for (FeatureColumn f : features) {
      if (name.equals("_imputed_" + f.column()) || name.equals(f.column())) {
        return new Slot(f.feature(), null);
      }
      // The longest prefix wins: g__plan_type's slots also start with g__plan's prefix.
      String onehot = "_onehot_" + f.column() + "_";
      if (name.startsWith(onehot) && onehot.length() > matched) {
        best = new Slot(f.feature(), name.substring(onehot.length()));
        matched = onehot.length();
      }
    }
    return best;
  }
}
