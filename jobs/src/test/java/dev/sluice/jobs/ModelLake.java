/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lakes for the model stages: the tiny sample with enough customers (400) that a holdout holds both
 * classes, and a validation gate any trained model passes unless a test overrides it.
 */
public final class ModelLake {
  public static final String DATE = TinyLake.END.toString();

  private ModelLake() {}

  private static Path template;

  /**
   * A new lake with a snapshot, feature tables and the churn training set of {@link #DATE}: a copy
   * of one such lake built once per test JVM (Delta tables hold relative paths, so a copied table
   * is the same table), so each test class starts from its own files without rebuilding them.
   */
  public static Path withTrainingSet(String name) {
    return withTrainingSet(TinyLake.newRoot(name));
  }

  /** {@link #withTrainingSet(String)} at a given (new or empty) root. */
  public static Path withTrainingSet(Path root) {
    copy(template(), root);
    return root;
  }

  /** The commands that built {@link #withTrainingSet}'s lake, in order. */
  public static List<List<String>> templateCommands() {
    return List.of(
        List.of("sample-data"),
        List.of("snapshot", "--date", DATE),
        List.of("features", "build", "--from", TinyLake.START.plusDays(6).toString(), "--to", DATE),
        List.of("training-set", "build", "--model", "churn", "--date", DATE));
  }

  private static synchronized Path template() {
    if (template == null) {
      Path root = TinyLake.newRoot("model-template");
      for (List<String> command : templateCommands()) {
        run(root, command.toArray(String[]::new));
      }
      template = root;
    }
    return template;
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy the template lake " + from + " to " + to, e);
    }
  }

  /**
   * Training without permutation importance (several holdout evaluations per feature), for tests
   * about what happens to a model after training; TestModelCard and TestImportances check it.
   */
  public static final String NO_PERMUTATION = "-Dsluice.models.churn.explain.permutation-repeats=0";

  /**
   * A lake of one's own with churn version 1 champion and version 2 challenger, trained without
   * permutation importance.
   */
  public static Path trained(String name) {
    Path root = withTrainingSet(name);
    for (CliRun run :
        List.of(
            train(root, NO_PERMUTATION),
            train(root, NO_PERMUTATION, "-Dsluice.models.churn.train.params.maxIter=10"))) {
      if (run.exitCode() != 0) {
        throw new AssertionError("sluice train failed: " + run);
      }
    }
    return root;
  }

  /** The embedded registry of a lake (its store under {@code _registry}), on any free port. */
  public static dev.sluice.config.RegistryConfig registryConfig(Path root) {
    Path registry = root.resolve("_registry");
    return new dev.sluice.config.RegistryConfig(
        "embedded",
        registry.resolve("registry.db").toString(),
        registry.resolve("artifacts").toString(),
        "127.0.0.1",
        0);
  }

  /** Runs a command; fails the test if it fails. */
  public static CliRun run(Path root, String... args) {
    CliRun result = execute(root, args);
    if (result.exitCode() != 0) {
      throw new AssertionError("sluice " + String.join(" ", args) + " failed: " + result);
    }
    return result;
  }

  /** Runs a command and returns whatever it did. */
  public static CliRun execute(Path root, String... args) {
    return CliRun.execute(args(root, args));
  }

  /** The tiny lake's command line with this lake's settings (the last -D of a key wins). */
  public static List<String> args(Path root, String... args) {
    List<String> all = new ArrayList<>(TinyLake.args(root, args));
    all.add("-Dsluice.sample.customers=400");
    return all;
  }

  /** Trains a version with these extra settings (a permissive gate unless overridden). */
  public static CliRun train(Path root, String... overrides) {
    List<String> args = new ArrayList<>(List.of("train", "--model", "churn", "--date", DATE));
    args.addAll(permissiveGate());
    args.addAll(List.of(overrides));
    return execute(root, args.toArray(String[]::new));
  }

  /** Gate overrides that let any model pass, for tests about something else. */
  public static List<String> permissiveGate() {
    return List.of(
        "-Dsluice.models.churn.gate.minimums.auc_roc=0",
        "-Dsluice.models.churn.gate.maximums.log_loss=100",
        "-Dsluice.models.churn.gate.max-regression.auc_roc=1");
  }
}
