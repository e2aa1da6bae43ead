/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.release;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice promote}: the challenger (or a named version) becomes champion, by hand. */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description = {
      "Make the challenger (or --to-version V) champion, through the same checks as the canary's",
      "promotion: validated digest, verified artifact, a successful latest canary window.",
      "A refusal exits 5 with the reason."
    })
public final class PromoteCommand implements Callable<Integer> {
  @Mixin AliasMoveOptions move;

  @Option(
      names = "--to-version",
      paramLabel = "V",
      description = "Version to promote (default: the challenger).")
  Long version;

  @Override
  public Integer call() {
    return move.run(
        "promote",
        (releases, model, reason, evidence, result) ->
            releases.promote(model, Optional.ofNullable(version), reason, evidence, result));
  }
}
