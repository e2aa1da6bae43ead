/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.cli;

import picocli.CommandLine;

/**
 * A command that only groups subcommands ({@code sluice features build}): called alone, it is a
 * usage error (exit 2) that points at its help.
 */
public abstract class CommandGroup implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        String.format("Missing a subcommand (see %s --help)", spec.qualifiedName()));
  }
}
