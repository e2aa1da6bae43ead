/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static java.util.Objects.requireNonNull;

import dev.sluice.model.ProfiledColumn.Kind;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The baseline profile of one column; {@link BaselineProfile} defines every field.
 *
 * @param name the column's name
 * @param kind numeric or categorical
 * @param dataType the column's Spark type, as {@code DataType.simpleString()}
 * @param rowCount all rows, nulls included
 * @param nullCount rows where the column is null
 * @param nanCount rows where a numeric column is NaN (0 for a categorical column)
 * @param stats mean, sample stddev, min and max of a numeric column's non-null, non-NaN values;
 *     empty for a categorical column and for a numeric column without such a value
 * @param distinctCount the number of distinct non-null values of a categorical column; empty for a
 *     numeric column
 * @param bins the bins, by index
 */
public record ColumnProfile(
    String name,
    Kind kind,
    String dataType,
    long rowCount,
    long nullCount,
    long nanCount,
    Optional<NumericStats> stats,
    OptionalLong distinctCount,
    List<Bin> bins) {
  /** The name of the bin that counts the categories outside the top K. */
  public static final String OTHER = "__other__";

  public ColumnProfile {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(dataType, "dataType is null");
    requireNonNull(stats, "stats is null");
    requireNonNull(distinctCount, "distinctCount is null");
    bins = List.copyOf(requireNonNull(bins, "bins is null"));
  }

  /**
   * A numeric column's inner edges, ascending: every bin's lower bound but the first's. They split
   * new data the same way with {@link BaselineProfile#binIndex(double[], double)}.
   *
   * @throws IllegalStateException for a categorical column
   */
  public double[] innerEdges() {
    if (kind != Kind.NUMERIC) {
      throw new IllegalStateException("Column " + name + " is categorical: it has no edges");
    }
    return bins.stream().skip(1).mapToDouble(Bin::lower).toArray();
  }

  /** {@code nullCount / rowCount}. */
  public double nullRate() {
    return (double) nullCount / rowCount;
  }

  /**
   * Moments and range of a numeric column's non-null, non-NaN values.
   *
   * @param stddev the sample standard deviation; NaN for a single value
   */
  public record NumericStats(double mean, double stddev, double min, double max) {
    /**
     * The stats as an aggregation or a table row holds them: none when {@code mean} is null (no
     * values); a null {@code stddev} (a single value) is NaN.
     */
    public static Optional<NumericStats> of(Double mean, Double stddev, Double min, Double max) {
      return mean == null
          ? Optional.empty()
          : Optional.of(new NumericStats(mean, stddev == null ? Double.NaN : stddev, min, max));
    }
  }

  /**
   * One bin: a range {@code [lower, upper)} of a numeric column, or one category (or {@link
   * #OTHER}) of a categorical column.
   *
   * @param index the bin's position, from 0
   * @param lower a numeric bin's inclusive lower bound ({@code -Infinity} for the first); NaN for a
   *     category
   * @param upper a numeric bin's exclusive upper bound ({@code +Infinity}, inclusive, for the
   *     last); NaN for a category
   * @param category the category; empty for a numeric bin
   * @param count the rows in the bin
   * @param share {@code count} over the non-null (and non-NaN) rows; 0 when there are none
   */
  public record Bin(
      int index, double lower, double upper, Optional<String> category, long count, double share) {
    public Bin {
      requireNonNull(category, "category is null");
    }

    static Bin range(int index, double lower, double upper, long count, double share) {
      return new Bin(index, lower, upper, Optional.empty(), count, share);
    }

    static Bin category(int index, String category, long count, double share) {
      return new Bin(index, Double.NaN, Double.NaN, Optional.of(category), count, share);
    }
  }
}
