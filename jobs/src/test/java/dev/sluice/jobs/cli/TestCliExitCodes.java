/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.jobs.CliRun;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestCliExitCodes {
  @Test
  void missingConfFileExitsTwoNamingTheFile() {
    CliRun run = CliRun.execute("snapshot", "--conf", "does-not-exist.conf");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr()).contains("Config file not found: does-not-exist.conf");
    assertThat(run.summary().path("exit_code").asInt()).isEqualTo(2);
    assertThat(run.summary().path("status").asText()).isEqualTo("failed");
    assertThat(run.summary().path("run_key").asText()).startsWith("snapshot/");
  }

  @Test
  void emptyLakeRootExitsTwoNamingTheKey() {
    CliRun run = CliRun.execute("snapshot", "--date", "2026-10-30", "-Dsluice.lake.root=");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr()).contains("sluice.lake.root").contains("must not be empty");
    assertThat(run.summary().path("run_key").asText()).isEqualTo("snapshot/2026-10-30");
  }

  @Test
  void invalidValueExitsTwoNamingKeyAndValue() {
    CliRun run = CliRun.execute("snapshot", "-Dsluice.jobs.lock-lease-ms=soon");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("sluice.jobs.lock-lease-ms").contains("soon");
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliRun run = CliRun.execute("snapshot", "--no-such-flag");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("Unknown option: '--no-such-flag'");
  }

  @Test
  void malformedDateIsAUsageError() {
    CliRun run = CliRun.execute("snapshot", "--date", "30/10/2026");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("--date").contains("30/10/2026");
  }

  @ParameterizedTest
  @ValueSource(strings = {"drift", "drift report"})
  void driftAndItsReportRequireAModel(String command) {
    CliRun run = CliRun.execute(List.of(command.split(" ")));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr())
        .startsWith("Missing required option: '--model=M'")
        .contains("Usage: sluice " + command);
    assertThat(run.stdout()).as("a usage error, no job: no summary line").isEmpty();
  }

  @Test
  void driftHelpListsItsReport() {
    CliRun run = CliRun.execute("drift", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("--model=M", "Commands:", "report");
    CliRun report = CliRun.execute("drift", "report", "--help");
    assertThat(report.exitCode()).isZero();
    assertThat(report.stdout()).contains("Usage: sluice drift report", "--out=FILE", "-h, --help");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sample-data", "snapshot", "sql", "demo"})
  void everyCommandHasHelp(String command) {
    CliRun run = CliRun.execute(command, "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("Usage: sluice " + command).contains("--conf");
  }

  @Test
  void topLevelHelpListsTheCommandsAndExitCodes() {
    CliRun run = CliRun.execute(List.of("--help"));

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout())
        .contains("snapshot", "sample-data", "sql", "demo", "registry", "Exit codes");
  }
}
