/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs;

import dev.sluice.jobs.cli.SluiceCli;

/**
 * The entry point of {@code ./sluice} and of {@code spark-submit --class
 * dev.sluice.jobs.SluiceMain}.
 */
public final class SluiceMain {
  private SluiceMain() {}

  public static void main(String[] args) {
    System.exit(SluiceCli.commandLine().execute(args));
  }
}
