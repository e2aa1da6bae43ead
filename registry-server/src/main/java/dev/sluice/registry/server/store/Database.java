/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.api.MlflowErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's JDBC store: a SQLite file (WAL mode, busy timeout, immediate write transactions,
 * so other processes can use the same file) or any PostgreSQL database by JDBC URL. The schema is
 * migrated with Flyway on open.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final int BUSY_TIMEOUT_MS = 30_000;
  private static final int MAX_IDLE_CONNECTIONS = 16;
  private static final int MAX_ATTEMPTS = 3;

  private final String url;
  private final Properties properties;
  private final BlockingDeque<Connection> idle = new LinkedBlockingDeque<>(MAX_IDLE_CONNECTIONS);

  private Database(String url, Properties properties) {
    this.url = url;
    this.properties = properties;
  }

  /**
   * Opens and migrates the store at {@code location}: a JDBC URL ({@code jdbc:sqlite:...}, {@code
   * jdbc:postgresql://...}) or the path of a SQLite file, created with its parent directory.
   */
  public static Database open(String location) {
    requireNonNull(location, "location is null");
    String url = location.startsWith("jdbc:") ? location : sqliteUrl(Path.of(location));
    Properties properties = new Properties();
    if (url.startsWith("jdbc:sqlite:")) {
      properties.setProperty("journal_mode", "WAL");
      properties.setProperty("busy_timeout", String.valueOf(BUSY_TIMEOUT_MS));
      properties.setProperty("transaction_mode", "IMMEDIATE");
      properties.setProperty("synchronous", "FULL");
    }
    Database database = new Database(url, properties);
    database.migrate();
    return database;
  }

  /**
   * Runs {@code work} in one write transaction and commits it; retries a transaction that lost a
   * race on a unique key or a serialization check, and answers MLflow errors unchanged.
   */
  public <T> T transaction(SqlWork<T> work) {
    return run(work, true);
  }

  /**
   * Runs read-only {@code work} without a write transaction, so readers never wait for writers
   * (each statement sees the latest committed state).
   */
  public <T> T read(SqlWork<T> work) {
    return run(work, false);
  }

  private <T> T run(SqlWork<T> work, boolean write) {
    for (int attempt = 1; ; attempt++) {
      Connection connection = borrow();
      boolean healthy = true;
      try {
        // sqlite-jdbc begins the (immediate) transaction as soon as auto-commit is turned off,
        // and pooled connections stay in auto-commit so that an idle one holds no lock.
        connection.setAutoCommit(!write);
        T result = work.apply(connection);
        if (write) {
          connection.commit();
        }
        return result;
      } catch (SQLException e) {
        healthy = !write || rollback(connection);
        if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) {
          throw MlflowErrors.internal("Registry store failed: " + e.getMessage(), e);
        }
        LOG.debug("Retrying a transaction after {}", e.getMessage());
      } catch (RuntimeException e) {
        healthy = !write || rollback(connection);
        throw e;
      } finally {
        giveBack(connection, healthy);
      }
    }
  }

  /** A unit of work in a transaction. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  @Override
  public void close() {
    Connection connection;
    while ((connection = idle.poll()) != null) {
      closeQuietly(connection);
    }
  }

  private void migrate() {
    // The first connection turns WAL on for the file before Flyway connects.
    transaction(connection -> null);
    close();
    Flyway flyway =
        Flyway.configure()
            .dataSource(url, null, null) // credentials, if any, are in the JDBC URL
            .locations("classpath:db/migration")
            .load();
    int applied = flyway.migrate().migrationsExecuted;
    LOG.info("Registry store ready ({} migrations applied)", applied);
  }

  private Connection borrow() {
    Connection connection = idle.poll();
    if (connection != null) {
      return connection;
    }
    try {
      return DriverManager.getConnection(url, properties);
    } catch (SQLException e) {
      throw MlflowErrors.internal("Cannot open the registry store: " + e.getMessage(), e);
    }
  }

  private void giveBack(Connection connection, boolean healthy) {
    boolean reusable = healthy;
    if (reusable) {
      try {
        connection.setAutoCommit(true);
      } catch (SQLException e) {
        LOG.warn("Resetting a registry store connection failed; discarding it", e);
        reusable = false;
      }
    }
    if (!reusable || !idle.offerFirst(connection)) {
      closeQuietly(connection);
    }
  }

  private static boolean rollback(Connection connection) {
    try {
      connection.rollback();
      return true;
    } catch (SQLException e) {
      LOG.warn("Rollback failed; discarding the connection", e);
      return false;
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("Closing a registry store connection failed", e);
    }
  }

  private static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("23") || state.equals("40001"))
        || e.getMessage() != null && e.getMessage().contains("SQLITE_BUSY");
  }

  private static String sqliteUrl(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the directory of " + file, e);
    }
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }
}
