/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.notebooks;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * Runs the code cells of a Jupyter notebook written for a Java kernel (JJava) in order with JShell,
 * in this JVM ({@code executionEngine("local")}), so the cells share its classpath and its
 * SparkSession. Cells tagged {@value #KERNEL_SETUP} (the kernel's classpath magic) are skipped: the
 * test JVM already has the project's classpath.
 */
public final class NotebookRunner {
  /** The tag of cells that only set up the Jupyter kernel. */
  public static final String KERNEL_SETUP = "kernel-setup";

  /** The notebooks of the checkout (tests run in jobs/). */
  public static final Path NOTEBOOKS = Path.of("..", "notebooks-java").toAbsolutePath().normalize();

  private static final ObjectMapper JSON = new ObjectMapper();

  private NotebookRunner() {}

  /** The values of a run: per code cell, the value of its last snippet (empty for a statement). */
  public record Run(Path notebook, List<String> cellValues) {
    public String lastValue() {
      return cellValues.get(cellValues.size() - 1);
    }
  }

  /** The {@code .ipynb} files of {@link #NOTEBOOKS}, sorted by name. */
  public static List<Path> notebooks() {
    try (Stream<Path> files = Files.list(NOTEBOOKS)) {
      return files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs every code cell of {@code notebook} with the system property {@code sluice.lake.root}
   * (which the notebooks' first cell reads) set to {@code lakeRoot} for the run.
   *
   * @throws AssertionError on a rejected snippet, a compile error or an exception in a cell
   */
  public static Run run(Path notebook, Path lakeRoot) {
    String previous = System.setProperty("sluice.lake.root", lakeRoot.toString());
    try (JShell shell =
        JShell.builder()
            .executionEngine("local")
            .out(unclosable(System.out))
            .err(unclosable(System.err))
            .build()) {
      shell.addToClasspath(System.getProperty("java.class.path"));
      List<String> values = new ArrayList<>();
      int index = 0;
      for (JsonNode cell : codeCells(notebook)) {
        index++;
        values.add(runCell(shell, notebook.getFileName() + " code cell " + index, source(cell)));
      }
      if (values.isEmpty()) {
        throw new AssertionError(notebook + " has no code cell to run");
      }
      return new Run(notebook, List.copyOf(values));
    } finally {
      if (previous == null) {
        System.clearProperty("sluice.lake.root");
      } else {
        System.setProperty("sluice.lake.root", previous);
      }
      ConfigFactory.invalidateCaches(); // the config loader's view of system properties
    }
  }

  /** JShell closes its streams when it closes; the JVM's must stay open. */
  private static PrintStream unclosable(PrintStream stream) {
    return new PrintStream(stream, true, UTF_8) {
      @Override
      public void close() {
        flush();
      }
    };
  }

  private static List<JsonNode> codeCells(Path notebook) {
    JsonNode root;
    try {
      root = JSON.readTree(notebook.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read notebook " + notebook, e);
    }
    if (root.path("nbformat").asInt() != 4
        || !"java".equals(root.at("/metadata/kernelspec/name").asText())) {
      throw new AssertionError(notebook + " must be nbformat 4 with the kernelspec 'java'");
    }
    return StreamSupport.stream(root.path("cells").spliterator(), false)
        .filter(cell -> "code".equals(cell.path("cell_type").asText()))
        .filter(cell -> !tags(cell).contains(KERNEL_SETUP))
        .toList();
  }

  private static List<String> tags(JsonNode cell) {
    return StreamSupport.stream(cell.at("/metadata/tags").spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }

  private static String source(JsonNode cell) {
    JsonNode source = cell.path("source");
    if (source.isTextual()) {
      return source.asText();
    }
    return StreamSupport.stream(source.spliterator(), false)
        .map(JsonNode::asText)
        .collect(Collectors.joining());
  }

  /** Splits a cell into snippets as JShell reads them and evaluates each; the last one's value. */
  private static String runCell(JShell shell, String where, String cell) {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = cell;
    String value = "";
    while (true) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      if (info.completeness() == Completeness.EMPTY) {
        return value;
      }
      if (!info.completeness().isComplete()) {
        throw new AssertionError(where + " ends inside a statement: " + remaining.strip());
      }
      value = eval(shell, where, info.source());
      remaining = info.remaining();
    }
  }

  private static String eval(JShell shell, String where, String snippet) {
    String value = "";
    for (SnippetEvent event : shell.eval(snippet)) {
      if (event.exception() != null) {
        throw new AssertionError(
            where + " threw " + describe(event.exception()) + " in:\n" + snippet,
            event.exception());
      }
      if (event.causeSnippet() != null) {
        continue; // an earlier snippet overwritten or updated by this one
      }
      Snippet s = event.snippet();
      List<String> errors =
          shell.diagnostics(s).filter(Diag::isError).map(d -> d.getMessage(null)).toList();
      if (event.status() != Snippet.Status.VALID || !errors.isEmpty()) {
        throw new AssertionError(
            where
                + " was "
                + event.status()
                + " "
                + errors
                + unresolved(shell, s)
                + " in:\n"
                + snippet);
      }
      value = event.value() == null ? "" : event.value();
    }
    return value;
  }

  private static String unresolved(JShell shell, Snippet snippet) {
    if (snippet instanceof jdk.jshell.DeclarationSnippet declaration) {
      List<String> names = shell.unresolvedDependencies(declaration).toList();
      return names.isEmpty() ? "" : " unresolved " + names;
    }
    return "";
  }

  private static String describe(Exception e) {
    return e instanceof EvalException eval
        ? eval.getExceptionClassName() + ": " + eval.getMessage()
        : e.toString();
  }
}
