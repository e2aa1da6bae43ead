/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.jobs.cli.SluiceCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the sluice CLI in this JVM (on the shared test SparkSession) and captures its output. */
public record CliRun(int exitCode, String stdout, String stderr) {
  public static CliRun execute(List<String> args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      int code = SluiceCli.commandLine().execute(args.toArray(new String[0]));
      return new CliRun(
          code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  public static CliRun execute(String... args) {
    return execute(Arrays.asList(args));
  }

  /** The JSON summary: the last stdout line. */
  public JsonNode summary() {
    List<String> lines = new ArrayList<>(stdout.lines().toList());
    try {
      return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    } catch (Exception e) {
      throw new AssertionError(
          "The last stdout line is not JSON: " + stdout + "\nstderr:\n" + stderr, e);
    }
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
  }
}
