/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Small JDBC helpers: positional arguments, row mappers, immutable results. */
final class Sql {
  private Sql() {}

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  static int update(Connection connection, String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, args)) {
      return statement.executeUpdate();
    }
  }

  static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, args);
        ResultSet rows = statement.executeQuery()) {
      List<T> result = new ArrayList<>();
      while (rows.next()) {
        result.add(mapper.map(rows));
      }
      return List.copyOf(result);
    }
  }

  static <T> Optional<T> queryOne(
      Connection connection, String sql, RowMapper<T> mapper, Object... args) throws SQLException {
    List<T> rows = query(connection, sql, mapper, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Runs {@code sql} once per argument row in one JDBC batch. */
  static void batch(Connection connection, String sql, List<Object[]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (Object[] args : rows) {
        for (int i = 0; i < args.length; i++) {
          statement.setObject(i + 1, args[i]);
        }
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** {@code (?, ?, ?)} for {@code count} placeholders. */
  static String placeholders(int count) {
    return "(" + String.join(", ", Collections.nCopies(count, "?")) + ")";
  }

  static String placeholders(Collection<?> values) {
    return placeholders(values.size());
  }

  /** A nullable BIGINT column. */
  static Long nullableLong(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... args)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      statement.setObject(i + 1, args[i]);
    }
    return statement;
  }
}
