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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands of a runbook (docs/runbooks/*.md), read from its {@code ```bash} blocks so that a
 * test runs exactly what the runbook tells people to type.
 *
 * <p>A bash block may hold only blank lines, comments, variable assignments ({@code NAME=value},
 * quoted or not) and {@code ./sluice ...} commands (continued with a trailing backslash); anything
 * else fails the parse, so a runbook cannot hold a tested-looking step the test skips. Variables
 * are expanded as the shell would ({@code $NAME}, {@code ${NAME}}, not inside single quotes); a
 * trailing {@code # exit N} (or {@code # exit N|M}) comment states the exit codes a command may end
 * with, otherwise 0.
 */
public final class RunbookCommands {
  /** The documented runbooks, from the jobs module's working directory. */
  public static final Path DIRECTORY = Path.of("..", "docs", "runbooks");

  private static final Pattern FENCE = Pattern.compile("^\\s*```(\\S*)\\s*$");
  private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Z_][A-Z0-9_]*)=(.*)$");
  private static final Pattern EXIT = Pattern.compile("#\\s*exit\\s+([0-9|\\s]+)$");
  private static final Pattern VARIABLE =
      Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)\\}|([A-Za-z_][A-Za-z0-9_]*))");

  /** One command: the arguments after {@code ./sluice}, and the exit codes it may end with. */
  public record Command(String line, List<String> args, Set<Integer> exitCodes) {}

  private RunbookCommands() {}

  /** The commands of the runbook {@code name} (e.g. {@code manual-rollback.md}). */
  public static List<Command> of(String name, Map<String, String> overrides) {
    try {
      return parse(Files.readString(DIRECTORY.resolve(name)), overrides);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read runbook " + name, e);
    }
  }

  /**
   * The commands of a runbook's markdown, with the variables it assigns replaced by {@code
   * overrides} where given (an override of a variable the runbook never assigns is an error).
   */
  public static List<Command> parse(String markdown, Map<String, String> overrides) {
    Map<String, String> variables = new LinkedHashMap<>();
    List<Command> commands = new ArrayList<>();
    boolean inBash = false;
    boolean inOther = false;
    StringBuilder pending = new StringBuilder();
    for (String raw : markdown.split("\n", -1)) {
      Matcher fence = FENCE.matcher(raw);
      if (fence.matches()) {
        if (inBash || inOther) {
          if (pending.length() > 0) {
            throw new IllegalArgumentException("Unfinished continued line: " + pending);
          }
          inBash = false;
          inOther = false;
        } else if (fence.group(1).equals("bash")) {
          inBash = true;
        } else {
          inOther = true;
        }
        continue;
      }
      if (!inBash) {
        continue;
      }
      String line = raw.strip();
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      line = pending + line;
      pending.setLength(0);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher assignment = ASSIGNMENT.matcher(line);
      if (assignment.matches()) {
        List<String> value = words(assignment.group(2), variables);
        if (value.size() > 1) {
          throw new IllegalArgumentException("An assignment of more than one word: " + line);
        }
        variables.put(assignment.group(1), value.isEmpty() ? "" : value.get(0));
        continue;
      }
      if (!line.startsWith("./sluice ")) {
        throw new IllegalArgumentException(
            "A bash block of a runbook holds a line that is neither a variable nor a ./sluice"
                + " command: "
                + line
                + " (put illustrative commands in a plain ``` block)");
      }
      Map<String, String> effective = new LinkedHashMap<>(variables);
      for (Map.Entry<String, String> override : overrides.entrySet()) {
        if (!variables.containsKey(override.getKey())) {
          throw new IllegalArgumentException(
              "Override of " + override.getKey() + ", which the runbook does not assign");
        }
        effective.put(override.getKey(), override.getValue());
      }
      List<String> words = words(line.substring("./sluice ".length()), effective);
      commands.add(new Command(line, words, exitCodes(line)));
    }
    return commands;
  }

  private static Set<Integer> exitCodes(String line) {
    Matcher exit = EXIT.matcher(line);
    Set<Integer> codes = new TreeSet<>();
    if (exit.find()) {
      for (String code : exit.group(1).split("\\|")) {
        codes.add(Integer.parseInt(code.strip()));
      }
    } else {
      codes.add(0);
    }
    return codes;
  }

  /** Splits a shell line into words: quotes, backslash escapes, expansion, comments. */
  static List<String> words(String line, Map<String, String> variables) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '#' && !inWord) {
        break;
      } else if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("Unclosed ' in: " + line);
        }
        word.append(line, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i = doubleQuoted(line, i + 1, word, variables);
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(i + 1));
        inWord = true;
        i += 2;
      } else if (c == '$') {
        i = expand(line, i, word, variables);
        inWord = true;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** Appends a double-quoted string starting after its quote; returns the index after it. */
  private static int doubleQuoted(
      String line, int start, StringBuilder word, Map<String, String> variables) {
    int i = start;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '"') {
        return i + 1;
      } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
        word.append(line.charAt(i + 1));
        i += 2;
      } else if (c == '$') {
        i = expand(line, i, word, variables);
      } else {
        word.append(c);
        i++;
      }
    }
    throw new IllegalArgumentException("Unclosed \" in: " + line);
  }

  private static int expand(String line, int at, StringBuilder word, Map<String, String> vars) {
    Matcher variable = VARIABLE.matcher(line);
    if (!variable.find(at) || variable.start() != at) {
      word.append('$');
      return at + 1;
    }
    String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
    String value = vars.get(name);
    if (value == null) {
      throw new IllegalArgumentException("$" + name + " is not assigned before: " + line);
    }
    word.append(value);
    return variable.end();
  }
}
