/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Renders query results: an aligned table for people, JSON lines or CSV for scripts. */
public enum ResultFormat {
  TABLE,
  JSON,
  CSV;

  /** Renders at most {@code maxRows} rows of a query's result, running the query once. */
  public String render(Dataset<Row> result, int maxRows) {
    Dataset<Row> limited = result.limit(maxRows);
    return switch (this) {
      case TABLE -> table(result.schema(), limited.collectAsList());
      case JSON ->
          limited.toJSON().collectAsList().stream()
              .map(r -> r + "\n")
              .collect(Collectors.joining());
      case CSV -> csv(result.schema(), limited.collectAsList());
    };
  }

  static String table(StructType schema, List<Row> rows) {
    String[] names = schema.fieldNames();
    int[] widths = new int[names.length];
    List<String[]> cells = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      widths[i] = names[i].length();
    }
    for (Row row : rows) {
      String[] line = new String[names.length];
      for (int i = 0; i < names.length; i++) {
        line[i] = cell(row, i);
        widths[i] = Math.max(widths[i], line[i].length());
      }
      cells.add(line);
    }
    StringBuilder out = new StringBuilder();
    appendLine(out, names, widths, schema);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
    }
    out.append(rule).append('\n');
    cells.forEach(line -> appendLine(out, line, widths, schema));
    out.append(String.format("(%s row%s)%n", rows.size(), rows.size() == 1 ? "" : "s"));
    return out.toString();
  }

  private static void appendLine(
      StringBuilder out, String[] line, int[] widths, StructType schema) {
    for (int i = 0; i < line.length; i++) {
      if (i > 0) {
        out.append(" | ");
      }
      boolean numeric =
          schema.fields()[i].dataType() instanceof org.apache.spark.sql.types.NumericType;
      String format = numeric ? "%" + widths[i] + "s" : "%-" + widths[i] + "s";
      out.append(String.format(format, line[i]));
    }
    out.append('\n');
  }

  static String csv(StructType schema, List<Row> rows) {
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>();
    for (StructField field : schema.fields()) {
      header.add(quote(field.name()));
    }
    out.append(String.join(",", header)).append('\n');
    for (Row row : rows) {
      List<String> line = new ArrayList<>();
      for (int i = 0; i < row.length(); i++) {
        line.add(row.isNullAt(i) ? "" : quote(cell(row, i)));
      }
      out.append(String.join(",", line)).append('\n');
    }
    return out.toString();
  }

  /** A cell as text; arrays as {@code [a, b]} and maps as {@code {k -> v}}, not Scala's names. */
  private static String cell(Row row, int i) {
    if (row.isNullAt(i)) {
      return "NULL";
    }
    Object value = row.get(i);
    if (value instanceof scala.collection.Seq<?> seq) {
      return seq.mkString("[", ", ", "]");
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      return map.mkString("{", ", ", "}");
    }
    return String.valueOf(value);
  }

  /** RFC 4180: quote fields holding a comma, quote or line break; double inner quotes. */
  private static String quote(String value) {
    if (value.contains(",")
        || value.contains("\"")
        || value.contains("\n")
        || value.contains("\r")) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }
}
