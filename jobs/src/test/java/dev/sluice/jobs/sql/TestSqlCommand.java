/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.TinyLake;
import dev.sluice.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TestSqlCommand extends SparkTestBase {
  @Test
  void printsAnAlignedTable() {
    CliRun run = sql("SELECT source_table, row_count FROM sluice.snapshots ORDER BY source_table");
    long customers =
        spark
            .read()
            .format("delta")
            .load(TinyLake.shared().resolve("raw_customers").toString())
            .count();

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.stdout().lines().toList())
        .first()
        .satisfies(header -> assertThat(header).matches("source_table\\s+\\| row_count"));
    assertThat(run.stdout())
        .containsPattern("raw_customers\\s+\\|\\s+" + customers)
        .contains("(3 rows)");
  }

  @Test
  void printsCsvAndJsonForScripts() {
    CliRun csv = sql("SELECT 'a,b' AS s, 1 AS n", "--format", "csv");
    CliRun json = sql("SELECT 'x' AS s, 2 AS n", "--format", "json");
    CliRun arrays = sql("SELECT array('a', 'b') AS xs, map('k', 1) AS m", "--format", "csv");

    assertThat(csv.stdout()).isEqualTo("s,n\n\"a,b\",1\n");
    assertThat(json.stdout()).isEqualTo("{\"s\":\"x\",\"n\":2}\n");
    assertThat(arrays.stdout()).isEqualTo("xs,m\n\"[a, b]\",{k -> 1}\n");
  }

  @Test
  void runsEveryStatementOfAFileAndPrintsTheLastOnesResult() throws Exception {
    long runs =
        spark.read().format("delta").load(TinyLake.shared().resolve("job_runs").toString()).count();
    Path file =
        sqlFile(
            "-- two queries; the first only runs",
            "CREATE OR REPLACE TEMPORARY VIEW cookbook_one AS SELECT 1 AS one;",
            "SELECT count(*) AS runs, max(one) AS one FROM sluice.job_runs, cookbook_one;");

    CliRun run = file(file, "--format", "csv");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.stdout()).isEqualTo("runs,one\n" + runs + ",1\n");
  }

  @Test
  void setStatementsAreDefaultsThatSetFlagsOverride() throws Exception {
    String query = "SELECT '${cookbook.table}' AS t, ${cookbook.n} * 10 AS n, ';' AS semi";
    Path file = sqlFile("SET cookbook.table = snapshots; -- a default", "SET cookbook.n=2;", query);

    CliRun defaults = file(file, "--format", "csv");
    CliRun overridden = file(file, "--format", "csv", "--set", "cookbook.n=5");

    assertThat(defaults.stdout()).as(defaults.toString()).isEqualTo("t,n,semi\nsnapshots,20,;\n");
    assertThat(overridden.stdout())
        .as(overridden.toString())
        .isEqualTo("t,n,semi\nsnapshots,50,;\n");
    assertThat(spark.conf().getOption("cookbook.n").isDefined())
        .as("the session's settings are put back")
        .isFalse();
  }

  @Test
  void aFileWithASyntaxErrorExitsTwoNamingTheFileAndTheStatement() throws Exception {
    Path file =
        sqlFile("SELECT 1;\n\n-- the second statement\nSELEC source_table FROM sluice.snapshots;");

    CliRun run = file(file);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr())
        .contains("SQL file " + file + ", statement 2 (line 4)")
        .contains("SELEC");
  }

  @Test
  void unusableFilesAndFlagsExitTwoNamingTheProblem() throws Exception {
    Path missing = Path.of("no-such-dir", "missing.sql");
    Path comments = sqlFile("-- nothing but a comment;\n/* and ; another */\n");
    Path undefined = sqlFile("SELECT '${cookbook.nowhere}' AS x");

    CliRun noFile = file(missing);
    CliRun empty = file(comments);
    CliRun badSet = file(comments, "--set", "cookbook.n");
    CliRun unset = file(undefined);
    CliRun both =
        CliRun.execute(
            TinyLake.args(TinyLake.shared(), "sql", "SELECT 1", "-f", undefined.toString()));

    assertThat(noFile.exitCode()).isEqualTo(2);
    assertThat(noFile.stderr()).contains("SQL file " + missing + " does not exist");
    assertThat(empty.exitCode()).isEqualTo(2);
    assertThat(empty.stderr()).contains(comments + " holds no SQL statement");
    assertThat(badSet.exitCode()).isEqualTo(2);
    assertThat(badSet.stderr()).contains("--set 'cookbook.n'").contains("--set sluice.model=churn");
    assertThat(unset.exitCode()).isEqualTo(2);
    assertThat(unset.stderr())
        .contains("${cookbook.nowhere}")
        .contains("--set cookbook.nowhere=<value>");
    assertThat(both.exitCode()).as(both.toString()).isEqualTo(2);
    assertThat(both.stderr()).contains("mutually exclusive");
  }

  @Test
  void aBadQueryExitsTwo() {
    CliRun run = sql("SELECT * FROM sluice.no_such_table");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("no_such_table");
  }

  private static Path sqlFile(String... lines) throws java.io.IOException {
    Path file = Files.createTempFile("queries", ".sql");
    Files.writeString(file, String.join("\n", lines));
    return file;
  }

  private static CliRun file(Path file, String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(TinyLake.args(TinyLake.shared(), "sql", "-f", file.toString()));
    args.addAll(java.util.List.of(extra));
    return CliRun.execute(args);
  }

  private static CliRun sql(String query, String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(TinyLake.args(TinyLake.shared(), "sql", query));
    args.addAll(java.util.List.of(extra));
    return CliRun.execute(args);
  }
}
