/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.apache.spark.sql.types.StructType;

/**
 * What a model artifact's {@code MLmodel} file says beyond the model itself: the run that trained
 * it, when, and its signature. None of it enters the model digest.
 *
 * @param runId the registry run that produced the model
 * @param createdAt when the artifact was written ({@code utc_time_created})
 * @param inputs the columns the model reads, in order, with their Spark types; a column is {@code
 *     required} in the signature when its field is not nullable
 * @param outputs the columns the model adds (e.g. {@code prediction})
 */
public record ArtifactInfo(String runId, Instant createdAt, StructType inputs, StructType outputs) {
  public ArtifactInfo {
    requireNonNull(runId, "runId is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(inputs, "inputs is null");
    requireNonNull(outputs, "outputs is null");
  }
}
