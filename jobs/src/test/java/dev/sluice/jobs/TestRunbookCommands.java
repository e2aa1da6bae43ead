/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.jobs.RunbookCommands.Command;
import dev.sluice.jobs.cli.SluiceCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runbook reader, and every runbook's {@code bash} commands accepted by the CLI's parser (the
 * drift and rollback runbooks are also executed, in {@code TestScoringAndRelease}).
 */
class TestRunbookCommands {
  private static final String BOOK =
      String.join(
          "\n",
          "# A runbook",
          "```bash",
          "MODEL=churn",
          "REASON=\"it broke\"",
          "```",
          "Text with ./sluice not in a block.",
          "```",
          "curl http://example.invalid  # illustrative, not run",
          "```",
          "```bash",
          "# a comment",
          "./sluice sql \"SELECT * FROM t WHERE m = '$MODEL'\" --format json",
          "./sluice rollback --model ${MODEL} \\",
          "    --reason \"$REASON\"   # exit 5",
          "./sluice sql 'SELECT \"$MODEL\"' # exit 0|4",
          "```");

  @Test
  void readsTheBashBlocksCommandsWithTheirVariablesAndExitCodes() {
    List<Command> commands = RunbookCommands.parse(BOOK, Map.of());

    assertThat(commands)
        .extracting(Command::args)
        .containsExactly(
            List.of("sql", "SELECT * FROM t WHERE m = 'churn'", "--format", "json"),
            List.of("rollback", "--model", "churn", "--reason", "it broke"),
            List.of("sql", "SELECT \"$MODEL\""));
    assertThat(commands)
        .extracting(Command::exitCodes)
        .containsExactly(Set.of(0), Set.of(5), Set.of(0, 4));
  }

  @Test
  void overridesReplaceTheRunbooksValues() {
    List<Command> commands = RunbookCommands.parse(BOOK, Map.of("MODEL", "fraud"));

    assertThat(commands.get(1).args()).containsSubsequence("--model", "fraud");
    assertThatThrownBy(() -> RunbookCommands.parse(BOOK, Map.of("DATE", "2026-01-01")))
        .hasMessageContaining("DATE");
  }

  @Test
  void aLineTheTestCannotRunOrAnUnassignedVariableIsRefused() {
    assertThatThrownBy(() -> RunbookCommands.parse("```bash\ncurl http://x\n```", Map.of()))
        .hasMessageContaining("curl http://x");
    assertThatThrownBy(() -> RunbookCommands.parse("```bash\n./sluice x $NOPE\n```", Map.of()))
        .hasMessageContaining("$NOPE");
    assertThatThrownBy(() -> RunbookCommands.parse("```bash\n./sluice sql \"x\n```", Map.of()))
        .hasMessageContaining("Unclosed");
  }

  static Stream<String> runbooks() throws IOException {
    try (Stream<Path> files = Files.list(RunbookCommands.DIRECTORY)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".md"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("runbooks")
  void everyRunbookCommandIsOneTheCliAccepts(String runbook) {
    for (Command command : RunbookCommands.of(runbook, Map.of())) {
      // Parsing checks subcommands, options and their types (dates, numbers) without running.
      SluiceCli.commandLine().parseArgs(command.args().toArray(String[]::new));
    }
  }

  @Test
  void theExecutedRunbooksHaveCommands() {
    assertThat(RunbookCommands.of("drift-incident.md", Map.of())).hasSizeGreaterThan(5);
    assertThat(RunbookCommands.of("manual-rollback.md", Map.of())).hasSizeGreaterThan(4);
  }
}
