/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.registry;

import dev.sluice.jobs.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code sluice registry <subcommand>}: the MLflow-compatible registry. */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = "The MLflow-compatible tracking server and model registry.",
    subcommands = {ServeCommand.class})
public final class RegistryCommand extends CommandGroup {}
