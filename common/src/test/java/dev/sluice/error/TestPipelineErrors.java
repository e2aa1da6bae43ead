/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestPipelineErrors {
  @Test
  void rendersVersionRangesCompactly() {
    assertThat(PipelineErrors.ranges(List.of(9L, 0L, 1L, 2L, 7L, 10L, 11L)))
        .isEqualTo("[0..2, 7, 9..11]");
    assertThat(PipelineErrors.ranges(List.of())).isEqualTo("[]");
  }

  @Test
  void versionErrorsAreUpstreamMissingAndListVersions() {
    SluiceException e = PipelineErrors.versionNotFound("raw_activity", "42", List.of(3L, 4L, 5L));

    assertThat(e.exitCode()).isEqualTo(4);
    assertThat(e)
        .hasMessageContaining("Version 42 of raw_activity does not exist")
        .hasMessageContaining("[3..5]");
  }
}
