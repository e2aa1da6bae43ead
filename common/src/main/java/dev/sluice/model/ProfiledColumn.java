/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A column to profile and how: binned by quantiles, or counted by category.
 *
 * @param name the column's exact name
 * @param kind numeric or categorical
 */
public record ProfiledColumn(String name, Kind kind) {
  /** How a column is profiled; the lower-case name is stored in {@code column_kind}. */
  public enum Kind {
    /** Any numeric type, read as double: quantile bins and moments. */
    NUMERIC,
    /** A string, boolean or integral type, read as string: top-K categories and the rest. */
    CATEGORICAL;

    /** {@code numeric} or {@code categorical}. */
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ProfiledColumn {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
  }

  public static ProfiledColumn numeric(String name) {
    return new ProfiledColumn(name, Kind.NUMERIC);
  }

  public static ProfiledColumn categorical(String name) {
    return new ProfiledColumn(name, Kind.CATEGORICAL);
  }
}
