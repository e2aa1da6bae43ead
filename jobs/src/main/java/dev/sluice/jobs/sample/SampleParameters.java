/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.sample;

import dev.sluice.config.SampleConfig;
import dev.sluice.error.PipelineErrors;

/** Checks the flag-overridden sample parameters the way the config checks its own. */
final class SampleParameters {
  private SampleParameters() {}

  static void validate(SampleConfig p) {
    if (p.customers() <= 0) {
      throw PipelineErrors.invalidArgument("--customers", p.customers(), "must be positive");
    }
    if (p.days() <= 1) {
      throw PipelineErrors.invalidArgument("--days", p.days(), "must be at least 2");
    }
    if (p.driftDay() >= p.days()) {
      throw PipelineErrors.invalidArgument(
          "--days",
          p.days(),
          "must be greater than sluice.sample.drift-day (" + p.driftDay() + ")");
    }
  }
}
