/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestGatePolicy {
  private final GatePolicy policy =
      new GatePolicy(
          Map.of("auc_roc", 0.7),
          Map.of("log_loss", 0.5),
          Map.of("auc_roc", 0.02, "log_loss", 0.01));

  @Test
  void passesWithinEveryThreshold() {
    GatePolicy.Verdict verdict =
        policy.judge(
            Map.of("auc_roc", 0.80, "log_loss", 0.40),
            Optional.of(Map.of("auc_roc", 0.81, "log_loss", 0.395)));
    assertThat(verdict.passed()).isTrue();
  }

  @Test
  void failsBelowAMinimumAndAboveAMaximum() {
    GatePolicy.Verdict verdict =
        policy.judge(Map.of("auc_roc", 0.65, "log_loss", 0.55), Optional.empty());
    assertThat(verdict.failures())
        .containsExactly(
            "auc_roc 0.6500 is below the minimum 0.7000",
            "log_loss 0.5500 is above the maximum 0.5000");
  }

  @Test
  void comparesToTheChampionInEachMetricsBadDirection() {
    // auc_roc: 0.03 lower than the champion (allowed 0.02); log_loss: 0.02 higher (allowed 0.01).
    GatePolicy.Verdict verdict =
        policy.judge(
            Map.of("auc_roc", 0.78, "log_loss", 0.42),
            Optional.of(Map.of("auc_roc", 0.81, "log_loss", 0.40)));
    assertThat(verdict.failures()).hasSize(2);
    assertThat(verdict.failures().get(0))
        .startsWith("auc_roc 0.7800 is worse than the champion's 0.8100");
    assertThat(verdict.failures().get(1))
        .startsWith("log_loss 0.4200 is worse than the champion's 0.4000");
    // Better than the champion by any amount passes.
    assertThat(
            policy
                .judge(
                    Map.of("auc_roc", 0.95, "log_loss", 0.1),
                    Optional.of(Map.of("auc_roc", 0.81, "log_loss", 0.40)))
                .passed())
        .isTrue();
  }

  @Test
  void withoutAChampionOnlyAbsoluteThresholdsApply() {
    assertThat(policy.judge(Map.of("auc_roc", 0.71, "log_loss", 0.49), Optional.empty()).passed())
        .isTrue();
  }

  @Test
  void aNanMetricFailsEveryThreshold() {
    assertThat(
            policy
                .judge(Map.of("auc_roc", Double.NaN, "log_loss", Double.NaN), Optional.empty())
                .failures())
        .hasSize(2);
  }
}
