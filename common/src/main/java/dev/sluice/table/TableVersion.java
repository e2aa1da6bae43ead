/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.table;

import static java.util.Objects.requireNonNull;

/** A table at one Delta version: what a job read or wrote. */
public record TableVersion(String table, long version) {
  public TableVersion {
    requireNonNull(table, "table is null");
  }

  @Override
  public String toString() {
    return table + "@" + version;
  }
}
