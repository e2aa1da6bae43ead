/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.sql;

import dev.sluice.error.PipelineErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statements of a SQL script: split on {@code ;} outside string literals, quoted identifiers
 * and comments ({@code --} to the end of the line, and {@code /* *}{@code /}, nested as Spark nests
 * them). Comments are blanked out of each statement (line breaks kept, so Spark's line numbers stay
 * those of the statement); optimizer hints ({@code /*+ ... *}{@code /}) are kept.
 */
final class SqlScript {
  private static final Pattern SET = Pattern.compile("(?is)SET\\s+([^\\s=]+)\\s*=\\s*(.*)");

  private SqlScript() {}

  /** One statement: its position in the script, the line it starts on and its text. */
  record Statement(int number, int line, String sql) {
    /** The key of a {@code SET key=value} statement. */
    Optional<String> setKey() {
      Matcher m = SET.matcher(sql);
      return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
  }

  /** Thrown for a quote or comment left open at the end of the script. */
  static final class UnterminatedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    final int statement;
    final int line;

    UnterminatedException(String what, int statement, int line) {
      super(what + " opened on line " + line + " is never closed");
      this.statement = statement;
      this.line = line;
    }
  }

  /** The statements of a file; a missing, unreadable or empty file is a usage error (exit 2). */
  static List<Statement> read(Path file) {
    String script;
    try {
      script = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw PipelineErrors.sqlFileUnusable(
          file, "does not exist", "pass an existing .sql file to -f, e.g. docs/sql/*.sql");
    } catch (IOException e) {
      throw PipelineErrors.sqlFileUnusable(
          file, "cannot be read: " + e, "pass a readable UTF-8 .sql file to -f");
    }
    List<Statement> statements;
    try {
      statements = split(script);
    } catch (UnterminatedException e) {
      throw PipelineErrors.sqlStatementFailed(
          file, e.statement, e.line, e.getMessage(), "close it; statements end with ';'");
    }
    if (statements.isEmpty()) {
      throw PipelineErrors.sqlFileUnusable(
          file, "holds no SQL statement", "write at least one statement, e.g. SELECT 1;");
    }
    return statements;
  }

  /** Splits a script; statements holding only comments and blanks are dropped. */
  static List<Statement> split(String script) {
    return new Splitter(script).run();
  }

  private static final class Splitter {
    private final String s;
    private final List<Statement> statements = new ArrayList<>();
    private final StringBuilder current = new StringBuilder();
    private int pos;
    private int line = 1;
    private int startLine;
    private boolean blank = true;

    Splitter(String script) {
      this.s = script;
    }

    List<Statement> run() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ';') {
          pos++;
          flush();
        } else if (startsWith("--")) {
          skipLineComment();
        } else if (startsWith("/*") && !startsWith("/*+")) {
          skipBlockComment();
        } else if (c == '\'' || c == '"' || c == '`') {
          copyQuoted(c);
        } else {
          copy(c);
        }
      }
      flush();
      return List.copyOf(statements);
    }

    private boolean startsWith(String token) {
      return s.startsWith(token, pos);
    }

    private void copy(char c) {
      if (blank && !Character.isWhitespace(c)) {
        startLine = line;
        blank = false;
      }
      if (c == '\n') {
        line++;
      }
      current.append(c);
      pos++;
    }

    private void skipLineComment() {
      while (pos < s.length() && s.charAt(pos) != '\n') {
        pos++;
      }
      current.append(' ');
    }

    private void skipBlockComment() {
      int opened = line;
      int depth = 0;
      while (pos < s.length()) {
        if (startsWith("/*")) {
          depth++;
          pos += 2;
        } else if (startsWith("*/")) {
          depth--;
          pos += 2;
          if (depth == 0) {
            current.append(' ');
            return;
          }
        } else {
          if (s.charAt(pos) == '\n') {
            line++;
            current.append('\n');
          }
          pos++;
        }
      }
      throw new UnterminatedException("The /* comment", statements.size() + 1, opened);
    }

    /** A string literal ('...' or "...", backslash escapes) or a `quoted identifier`. */
    private void copyQuoted(char quote) {
      int opened = line;
      copy(quote);
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '\\' && quote != '`' && pos + 1 < s.length()) {
          copy(c);
          copy(s.charAt(pos));
        } else if (c == quote) {
          copy(c);
          return;
        } else {
          copy(c);
        }
      }
      throw new UnterminatedException("The " + quote + " quote", statements.size() + 1, opened);
    }

    private void flush() {
      String sql = current.toString().strip();
      if (!sql.isEmpty()) {
        statements.add(new Statement(statements.size() + 1, startLine, sql));
      }
      current.setLength(0);
      blank = true;
    }
  }
}
