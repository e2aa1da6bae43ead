/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.job;

import static java.util.Objects.requireNonNull;

import dev.sluice.table.TableVersion;

/**
 * One end of a lineage edge: a Delta table at a version ({@code table}) or a registered model
 * version ({@code model}, named by the registered model's name).
 */
public record LineageNode(String kind, String name, long version) {
  /** The kind of a node that is a Delta table. */
  public static final String TABLE = "table";

  /** The kind of a node that is a version of a registered model. */
  public static final String MODEL = "model";

  public LineageNode {
    requireNonNull(kind, "kind is null");
    requireNonNull(name, "name is null");
  }

  public static LineageNode of(TableVersion table) {
    return new LineageNode(TABLE, table.table(), table.version());
  }

  public static LineageNode model(String name, long version) {
    return new LineageNode(MODEL, name, version);
  }
}
