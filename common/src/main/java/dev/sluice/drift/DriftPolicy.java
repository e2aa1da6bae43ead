/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a column has drifted (docs/drift.md, "Alert policy"): PSI at or above {@code psiWarn} warns
 * and at or above {@code psiAlert} alerts; a JS distance at or above {@code jsAlert} alerts; a KS
 * p-value below {@code ksAlpha} alerts when the KS statistic is at least {@code ksMinStatistic} (an
 * effect size, so that a huge window does not alert on a negligible shift). A window (or slice)
 * with fewer than {@code minCount} values is never judged. {@code driftedShare}: the share of a
 * version's feature columns that must drift for one more, dataset-level alert.
 */
public record DriftPolicy(
    double psiWarn,
    double psiAlert,
    double jsAlert,
    double ksAlpha,
    double ksMinStatistic,
    long minCount,
    double driftedShare) {
  public static final DriftPolicy DEFAULTS = new DriftPolicy(0.1, 0.2, 0.1, 0.05, 0.1, 100, 0.5);

  /** How far a column drifted. */
  public enum Severity {
    NONE,
    WARN,
    ALERT;

    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One threshold crossed: its level, the statistic ({@code psi}, {@code js}, {@code ks}), its
   * value, and the reason in words, e.g. {@code psi 0.3100 >= 0.2}.
   */
  public record Breach(Severity level, String metric, double value, String reason) {}

  /**
   * A severity, the thresholds that set it, and {@code reasons}: the breaches' reasons, or why the
   * window was not judged.
   */
  public record Verdict(Severity severity, List<Breach> breaches, List<String> reasons) {
    public Verdict {
      breaches = List.copyOf(breaches);
      reasons = List.copyOf(reasons);
    }

    private static Verdict of(Severity severity, List<Breach> breaches) {
      return new Verdict(severity, breaches, breaches.stream().map(Breach::reason).toList());
    }
  }

  public DriftPolicy {
    checkArgument(psiWarn <= psiAlert, "psi warn %s above psi alert %s", psiWarn, psiAlert);
    checkArgument(ksAlpha > 0 && ksAlpha < 1, "ks alpha %s outside (0, 1)", ksAlpha);
    checkArgument(minCount >= 0, "min count %s is negative", minCount);
    checkArgument(
        driftedShare > 0 && driftedShare <= 1, "drifted share %s outside (0, 1]", driftedShare);
  }

  /** The verdict on statistics over {@code values} binned values; NaN statistics never breach. */
  public Verdict judge(long values, double psi, double js, double ksStatistic, double ksPValue) {
    if (values < minCount) {
      return new Verdict(
          Severity.NONE, List.of(), List.of(String.format("n %d < %d", values, minCount)));
    }
    List<Breach> breaches = new ArrayList<>();
    Severity severity = Severity.NONE;
    if (psi >= psiAlert) {
      severity = Severity.ALERT;
      breaches.add(breach(Severity.ALERT, "psi", psi, psiAlert));
    } else if (psi >= psiWarn) {
      severity = Severity.WARN;
      breaches.add(breach(Severity.WARN, "psi", psi, psiWarn));
    }
    if (js >= jsAlert) {
      severity = Severity.ALERT;
      breaches.add(breach(Severity.ALERT, "js", js, jsAlert));
    }
    if (ksPValue < ksAlpha && ksStatistic >= ksMinStatistic) {
      severity = Severity.ALERT;
      breaches.add(
          new Breach(
              Severity.ALERT,
              "ks",
              ksStatistic,
              String.format(
                  Locale.ROOT,
                  "ks p %.3g < %s, D %.4f >= %s",
                  ksPValue,
                  ksAlpha,
                  ksStatistic,
                  ksMinStatistic)));
    }
    return Verdict.of(severity, breaches);
  }

  private static Breach breach(Severity level, String metric, double value, double threshold) {
    return new Breach(
        level,
        metric,
        value,
        String.format(Locale.ROOT, "%s %.4f >= %s", metric, value, threshold));
  }
}
