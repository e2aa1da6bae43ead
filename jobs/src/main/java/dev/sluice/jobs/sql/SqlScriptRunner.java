/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.sql;

import dev.sluice.error.PipelineErrors;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a script's statements in order. Parameters are session settings, so Spark's variable
 * substitution ({@code ${key}}) reads them: the {@code --set} values are set first, and a {@code
 * SET key=value} of the script whose key {@code --set} gave is replaced by a read of that key, so
 * the command line wins over the script's defaults. Every key set is put back afterwards: a session
 * shared with other work (the demo, tests, a notebook) keeps its settings.
 */
final class SqlScriptRunner {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private final SparkSession spark;
  private final Map<String, String> parameters;
  private final Optional<Path> file;
  private final Map<String, Optional<String>> saved = new LinkedHashMap<>();

  SqlScriptRunner(SparkSession spark, Map<String, String> parameters, Optional<Path> file) {
    this.spark = spark;
    this.parameters = parameters;
    this.file = file;
  }

  /** The {@code --set key=value} flags, in order; a malformed one is a usage error (exit 2). */
  static Map<String, String> parameters(List<String> flags) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String flag : flags) {
      int eq = flag.indexOf('=');
      String key = eq < 0 ? "" : flag.substring(0, eq).strip();
      if (!KEY.matcher(key).matches()) {
        throw PipelineErrors.invalidArgument(
            "--set",
            flag,
            "expected key=value, the key made of letters, digits, '.', '_' and '-'"
                + " (e.g. --set sluice.model=churn)");
      }
      parameters.put(key, flag.substring(eq + 1).strip());
    }
    return Collections.unmodifiableMap(parameters);
  }

  /** Runs every statement and hands the last one's result to {@code last}, settings still set. */
  <T> T run(List<SqlScript.Statement> statements, Function<Dataset<Row>, T> last) {
    try {
      parameters.forEach(this::set);
      Dataset<Row> result = null;
      for (SqlScript.Statement statement : statements) {
        result = execute(statement);
      }
      return last.apply(result);
    } finally {
      saved.forEach(
          (key, value) -> {
            if (value.isPresent()) {
              spark.conf().set(key, value.get());
            } else {
              spark.conf().unset(key);
            }
          });
    }
  }

  private void set(String key, String value) {
    Optional<String> before = current(key);
    spark.conf().set(key, value);
    saved.putIfAbsent(key, before);
  }

  private Dataset<Row> execute(SqlScript.Statement statement) {
    Optional<String> key = statement.setKey();
    boolean overridden = key.isPresent() && parameters.containsKey(key.get());
    String sql = overridden ? "SET " + key.get() : statement.sql();
    checkVariables(statement, sql);
    Optional<String> before = key.flatMap(this::current);
    try {
      Dataset<Row> result = spark.sql(sql);
      if (key.isPresent() && !overridden) {
        saved.putIfAbsent(key.get(), before);
      }
      return result;
    } catch (Exception e) {
      if (e instanceof AnalysisException && file.isPresent()) {
        throw PipelineErrors.sqlStatementFailed(
            file.get(),
            statement.number(),
            statement.line(),
            e.getMessage(),
            "fix the statement; the tables and their columns are in docs/tables.md");
      }
      throw e;
    }
  }

  /** A {@code ${key}} that nothing set would reach Spark as text: name it instead. */
  private void checkVariables(SqlScript.Statement statement, String sql) {
    if (!Boolean.parseBoolean(spark.conf().get("spark.sql.variable.substitute", "true"))) {
      return;
    }
    Matcher m = VARIABLE.matcher(sql);
    while (m.find()) {
      String name = m.group(1);
      if (name.contains(":") || current(name).isPresent()) {
        continue; // ${env:X}, ${system:X} and the like, or a defined parameter
      }
      String fix = "pass --set " + name + "=<value>";
      if (file.isEmpty()) {
        throw PipelineErrors.invalidArgument(
            "QUERY", m.group(), "nothing defines it (" + fix + ")");
      }
      throw PipelineErrors.sqlStatementFailed(
          file.get(),
          statement.number(),
          statement.line(),
          "uses " + m.group() + ", which no SET statement before it nor --set defines",
          "add SET " + name + "=<value>; before it or " + fix);
    }
  }

  private Optional<String> current(String key) {
    scala.Option<String> value = spark.conf().getOption(key);
    return value.isDefined() ? Optional.of(value.get()) : Optional.empty();
  }
}
