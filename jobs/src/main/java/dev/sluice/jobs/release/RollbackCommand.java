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

/** {@code sluice rollback}: the champion moves back, by hand. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Move the champion back to --to-version V, or to the last known good version (the newest",
      "earlier champion not itself ended by a rollback). The version must carry a validated",
      "digest that its artifact verifies against; a refusal exits 5 with the reason."
    })
public final class RollbackCommand implements Callable<Integer> {
  @Mixin AliasMoveOptions move;

  @Option(names = "--to-version", paramLabel = "V", description = "Version to roll back to.")
  Long version;

  @Override
  public Integer call() {
    return move.run(
        "rollback",
        (releases, model, reason, evidence, result) ->
            releases.rollback(model, Optional.ofNullable(version), reason, evidence, result));
  }
}
