/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestSqlScript {
  @Test
  void splitsOnSemicolonsOutsideQuotesAndComments() {
    String script =
        "-- header; with a semicolon\n"
            + "SET a.b = x;\n"
            + "SELECT 'it\\'s;' AS s, \"d;q\" AS d, `odd;name` /* c; /* nested; */ still; */\n"
            + "  FROM t;;\n"
            + "/* only a comment; */\n"
            + "SELECT /*+ BROADCAST(t) */ 1 -- trailing;\n";

    assertThat(SqlScript.split(script))
        .containsExactly(
            new SqlScript.Statement(1, 2, "SET a.b = x"),
            new SqlScript.Statement(
                2, 3, "SELECT 'it\\'s;' AS s, \"d;q\" AS d, `odd;name`  \n  FROM t"),
            new SqlScript.Statement(3, 6, "SELECT /*+ BROADCAST(t) */ 1"));
  }

  @Test
  void recognisesSetStatements() {
    assertThat(new SqlScript.Statement(1, 1, "set  sluice.model =churn").setKey())
        .contains("sluice.model");
    assertThat(new SqlScript.Statement(1, 1, "SET -v").setKey()).isEmpty();
    assertThat(new SqlScript.Statement(1, 1, "SELECT 1").setKey()).isEmpty();
  }

  @Test
  void anUnterminatedQuoteOrCommentIsReportedWithItsLine() {
    assertThatThrownBy(() -> SqlScript.split("SELECT 1;\nSELECT 'open"))
        .isInstanceOf(SqlScript.UnterminatedException.class)
        .hasMessage("The ' quote opened on line 2 is never closed");
    assertThatThrownBy(() -> SqlScript.split("SELECT 1 /* a /* b */"))
        .isInstanceOf(SqlScript.UnterminatedException.class)
        .hasMessage("The /* comment opened on line 1 is never closed");
  }
}
