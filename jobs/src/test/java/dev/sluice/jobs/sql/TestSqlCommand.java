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

    assertThat(csv.stdout()).isEqualTo("s,n\n\"a,b\",1\n");
    assertThat(json.stdout()).isEqualTo("{\"s\":\"x\",\"n\":2}\n");
  }

  @Test
  void runsEveryStatementOfAFile() throws Exception {
    Path file = Files.createTempFile("queries", ".sql");
    Files.writeString(
        file, "-- two queries\nSELECT 1 AS one;\nSELECT count(*) AS runs FROM sluice.job_runs;\n");

    CliRun run = CliRun.execute(TinyLake.args(TinyLake.shared(), "sql", "-f", file.toString()));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.stdout()).contains("one").contains("runs");
  }

  @Test
  void aBadQueryExitsTwo() {
    CliRun run = sql("SELECT * FROM sluice.no_such_table");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("no_such_table");
  }

  private static CliRun sql(String query, String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(TinyLake.args(TinyLake.shared(), "sql", query));
    args.addAll(java.util.List.of(extra));
    return CliRun.execute(args);
  }
}
