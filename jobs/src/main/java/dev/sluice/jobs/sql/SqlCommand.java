/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.sql;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.error.ErrorCode;
import dev.sluice.error.SluiceException;
import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.spark.SparkSessions;
import dev.sluice.table.LakeCatalog;
import dev.sluice.table.Lakehouse;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice sql "QUERY"} or {@code sluice sql -f FILE}: Spark SQL over the lakehouse. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run Spark SQL over the lakehouse: every table is registered in database sluice",
      "(SELECT * FROM sluice.snapshots). A file holds statements separated by ';' and prints the",
      "result of its last one; its SET key=value statements define parameters, used as ${key},",
      "which --set overrides (docs/sql/README.md)."
    })
public final class SqlCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @ArgGroup(multiplicity = "1")
  Source source;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ResultFormat format;

  @Option(
      names = "--max-rows",
      defaultValue = "1000",
      description = "Print at most this many rows (default: ${DEFAULT-VALUE}).")
  int maxRows;

  @Option(
      names = "--set",
      paramLabel = "key=value",
      description =
          "A parameter, used as $${key} in the SQL; overrides the file's SET key=... Repeatable.")
  List<String> parameters = new ArrayList<>();

  static final class Source {
    @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL statement.")
    String query;

    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        description = "A .sql file of ';'-separated statements (e.g. docs/sql/*.sql).")
    Path file;
  }

  @Override
  public Integer call() {
    return run(System.out, System.err);
  }

  int run(PrintStream out, PrintStream err) {
    try {
      Map<String, String> parameters = SqlScriptRunner.parameters(this.parameters);
      Optional<Path> file = Optional.ofNullable(source.file);
      List<SqlScript.Statement> statements =
          file.isPresent()
              ? SqlScript.read(file.get())
              : List.of(new SqlScript.Statement(1, 1, source.query));
      SluiceConfig config = ConfigLoader.load(common.confFile(), common.overrides());
      SparkSession spark = SparkSessions.getOrCreate("sluice sql", config.spark(), config.lake());
      new LakeCatalog(new Lakehouse(spark, config.lake(), config.sources())).registerAll();
      String printed =
          new SqlScriptRunner(spark, parameters, file)
              .run(statements, result -> format.render(result, maxRows));
      out.print(printed);
      out.flush();
      return 0;
    } catch (SluiceException e) {
      err.println("sluice sql: " + e.getMessage());
      return e.exitCode();
    } catch (Exception e) {
      if (e instanceof AnalysisException) {
        // A query that does not parse or names an unknown table or column: the user's to fix.
        err.println("sluice sql: " + e.getMessage());
        return ErrorCode.CONFIG.exitCode();
      }
      throw e;
    }
  }
}
