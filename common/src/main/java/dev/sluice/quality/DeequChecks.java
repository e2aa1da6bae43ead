/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.quality;

import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.constraints.Constraint;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;
import scala.Option;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * Builds Deequ checks from Sluice's declared checks: the one place that speaks Deequ's Scala API.
 */
final class DeequChecks {
  private DeequChecks() {}

  static Check toDeequ(QualityCheck c) {
    Check check =
        new Check(
            c.level() == QualityCheck.Level.ERROR ? CheckLevel.Error() : CheckLevel.Warning(),
            c.describe(),
            JavaConverters.asScalaBuffer(new ArrayList<Constraint>()).toSeq());
    Assertion atLeastFraction = new Assertion(v -> v >= c.minFraction());
    Option<String> none = Option.empty();
    return switch (c.type()) {
      case COMPLETENESS -> check.hasCompleteness(c.column(), atLeastFraction, none, Option.empty());
      case UNIQUENESS -> check.hasUniqueness(seq(c.columns()), atLeastFraction, none);
      case NON_NEGATIVE -> check.isNonNegative(c.column(), atLeastFraction, none);
      case CONTAINED_IN ->
          check.isContainedIn(c.column(), c.values().toArray(new String[0]), atLeastFraction, none);
      case RANGE -> {
        Check ranged = check;
        if (c.min().isPresent()) {
          double min = c.min().get();
          ranged = ranged.hasMin(c.column(), new Assertion(v -> v >= min), none, Option.empty());
        }
        if (c.max().isPresent()) {
          double max = c.max().get();
          ranged = ranged.hasMax(c.column(), new Assertion(v -> v <= max), none, Option.empty());
        }
        yield ranged;
      }
      case SIZE -> {
        double min = c.min().orElse(Double.NEGATIVE_INFINITY);
        double max = c.max().orElse(Double.POSITIVE_INFINITY);
        yield check.hasSize(new Assertion(v -> v >= min && v <= max), none);
      }
      case PATTERN ->
          check.hasPattern(
              c.column(),
              new scala.util.matching.Regex(c.pattern().orElseThrow(), seq(List.of())),
              atLeastFraction,
              none,
              none,
              Option.empty());
      case SQL ->
          check.satisfies(
              c.predicate().orElseThrow(),
              c.describe(),
              atLeastFraction,
              none,
              JavaConverters.asScalaBuffer(new ArrayList<String>()).toList(),
              Option.empty());
    };
  }

  private static scala.collection.Seq<String> seq(List<String> values) {
    return JavaConverters.asScalaBuffer(new ArrayList<>(values)).toSeq();
  }

  /** A Deequ assertion on a metric value (shares, sizes and extremes all arrive as numbers). */
  static final class Assertion extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final SerializablePredicate test;

    Assertion(SerializablePredicate test) {
      this.test = test;
    }

    @Override
    public Object apply(Object value) {
      return test.test(((Number) value).doubleValue());
    }
  }

  /** A serializable predicate on doubles. */
  interface SerializablePredicate extends DoublePredicate, Serializable {}
}
