/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

/**
 * An MLflow experiment.
 *
 * @param experimentId the registry's id of the experiment
 * @param name its unique name
 * @param artifactLocation where its runs' artifacts go by default (may be empty)
 */
public record Experiment(String experimentId, String name, String artifactLocation) {
  public Experiment {
    requireNonNull(experimentId, "experimentId is null");
    requireNonNull(name, "name is null");
    requireNonNull(artifactLocation, "artifactLocation is null");
  }
}
