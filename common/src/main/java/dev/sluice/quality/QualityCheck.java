/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.quality;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One declared data-quality check of a table (sluice.quality.tables.&lt;table&gt;.checks).
 *
 * @param type what is checked
 * @param columns the column(s) checked (none for size and sql)
 * @param level warning (recorded) or error (stops the job with exit 3)
 * @param minFraction for row-level checks: the share of rows that must pass
 * @param values allowed values (contained-in)
 * @param min lower bound (range: column minimum; size: row count)
 * @param max upper bound (range: column maximum; size: row count)
 * @param pattern a regular expression (pattern)
 * @param predicate a SQL predicate every row should satisfy (sql)
 */
public record QualityCheck(
    CheckType type,
    List<String> columns,
    Level level,
    double minFraction,
    List<String> values,
    Optional<Double> min,
    Optional<Double> max,
    Optional<String> pattern,
    Optional<String> predicate) {
  public QualityCheck {
    requireNonNull(type, "type is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    requireNonNull(level, "level is null");
    values = List.copyOf(requireNonNull(values, "values is null"));
    requireNonNull(min, "min is null");
    requireNonNull(max, "max is null");
    requireNonNull(pattern, "pattern is null");
    requireNonNull(predicate, "predicate is null");
  }

  /** The kinds of checks. */
  public enum CheckType {
    COMPLETENESS,
    UNIQUENESS,
    NON_NEGATIVE,
    CONTAINED_IN,
    RANGE,
    SIZE,
    PATTERN,
    SQL;

    public String configName() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** Check levels. */
  public enum Level {
    WARNING,
    ERROR;

    public String configName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public String column() {
    return columns.isEmpty() ? "" : columns.get(0);
  }

  /**
   * The SQL predicate a passing row satisfies, for checks that judge single rows (quarantine uses
   * it); empty for uniqueness and size. As in Deequ, nulls pass non-negative, contained-in and
   * range, and fail completeness and pattern.
   */
  public Optional<String> rowPredicate() {
    String c = columns.isEmpty() ? "" : quote(column());
    return switch (type) {
      case COMPLETENESS -> Optional.of(c + " IS NOT NULL");
      case NON_NEGATIVE -> Optional.of("(" + c + " IS NULL OR " + c + " >= 0)");
      case CONTAINED_IN ->
          Optional.of(
              "("
                  + c
                  + " IS NULL OR "
                  + c
                  + " IN ("
                  + values.stream().map(QualityCheck::literal).collect(Collectors.joining(", "))
                  + "))");
      case RANGE ->
          Optional.of(
              "("
                  + c
                  + " IS NULL OR ("
                  + min.map(v -> c + " >= " + v).orElse("true")
                  + " AND "
                  + max.map(v -> c + " <= " + v).orElse("true")
                  + "))");
      case PATTERN ->
          Optional.of(
              "(" + c + " IS NULL OR " + c + " RLIKE " + literal(pattern.orElseThrow()) + ")");
      case SQL -> Optional.of("coalesce((" + predicate.orElseThrow() + "), false)");
      case UNIQUENESS, SIZE -> Optional.empty();
    };
  }

  /** A readable name: {@code completeness(customer_id) >= 0.99}. */
  public String describe() {
    String target =
        switch (type) {
          case SIZE -> "rows";
          case SQL -> predicate.orElseThrow();
          default -> String.join(",", columns);
        };
    String bound =
        switch (type) {
          case SIZE, RANGE ->
              min.map(v -> " >= " + v).orElse("") + max.map(v -> " <= " + v).orElse("");
          case CONTAINED_IN -> " in " + values + fraction();
          case PATTERN -> " ~ " + pattern.orElseThrow() + fraction();
          default -> fraction();
        };
    return type.configName() + "(" + target + ")" + bound;
  }

  private String fraction() {
    return minFraction >= 1.0 ? "" : " >= " + minFraction;
  }

  private static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  private static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
