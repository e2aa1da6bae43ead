/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.table;

import static java.util.Objects.requireNonNull;

/**
 * A table of the lakehouse: its name in the catalog database, which is also its folder under the
 * lake root unless a source configures another location.
 */
public record TableId(String name) {
  public TableId {
    requireNonNull(name, "name is null");
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          String.format("Invalid table name: %s (must be lower snake_case)", name));
    }
  }

  public static TableId of(String name) {
    return new TableId(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
