/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.jobs.ModelLake;
import dev.sluice.jobs.cluster.PipelineReference.Reference;
import dev.sluice.jobs.cluster.PipelineReference.Run;
import dev.sluice.testing.SparkTestBase;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The pipeline job by job in this JVM, left in {@code sluice.test.pipelineReference} for {@link
 * ITClusterPipeline} to compare the standalone cluster's run on S3 with (see {@link
 * PipelineReference}).
 */
class TestLocalPipeline extends SparkTestBase {
  @Test
  void runsThePipelineLocallyAsTheClusterTestsReference() {
    Reference reference =
        PipelineReference.run(PipelineReference.directory().orElseGet(PipelineReference::scratch));

    assertThat(PipelineReference.PIPELINE).containsAll(ModelLake.templateCommands());
    assertThat(reference.runs()).hasSize(PipelineReference.PIPELINE.size());
    assertThat(reference.runs().values()).extracting(Run::exitCode).containsOnly(0, 5);
    assertThat(reference.runs().get("4 training-set").exitCode()).isZero();
    assertThat(version(reference, "5 train")).isEqualTo(1);
    assertThat(version(reference, "6 train")).isEqualTo(2);
    assertThat(reference.runs().get("7 score").summary().orElseThrow().path("status").asText())
        .isEqualTo("succeeded");
    assertThat(reference.lake().resolve("drift_metrics/_delta_log")).isDirectory();
    assertThat(Files.exists(reference.lake().getParent().resolve("runs.json"))).isTrue();
  }

  private static long version(Reference reference, String job) {
    return reference
        .runs()
        .get(job)
        .summary()
        .orElseThrow()
        .path("metrics")
        .path("model_version")
        .asLong();
  }
}
