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

  /** A severity and the thresholds that set it, e.g. {@code psi 0.31 >= 0.2}. */
  public record Verdict(Severity severity, List<String> reasons) {
    public Verdict {
      reasons = List.copyOf(reasons);
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
    List<String> reasons = new ArrayList<>();
    if (values < minCount) {
      return new Verdict(Severity.NONE, List.of(String.format("n %d < %d", values, minCount)));
    }
    Severity severity = Severity.NONE;
    if (psi >= psiAlert) {
      severity = Severity.ALERT;
      reasons.add(String.format(Locale.ROOT, "psi %.4f >= %s", psi, psiAlert));
    } else if (psi >= psiWarn) {
      severity = Severity.WARN;
      reasons.add(String.format(Locale.ROOT, "psi %.4f >= %s", psi, psiWarn));
    }
    if (js >= jsAlert) {
      severity = Severity.ALERT;
      reasons.add(String.format(Locale.ROOT, "js %.4f >= %s", js, jsAlert));
    }
    if (ksPValue < ksAlpha && ksStatistic >= ksMinStatistic) {
      severity = Severity.ALERT;
      reasons.add(
          String.format(
              Locale.ROOT,
              "ks p %.3g < %s, D %.4f >= %s",
              ksPValue,
              ksAlpha,
              ksStatistic,
              ksMinStatistic));
    }
    return new Verdict(severity, reasons);
  }
}
