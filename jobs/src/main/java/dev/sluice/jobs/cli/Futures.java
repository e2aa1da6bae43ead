/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Work a job runs on a second driver thread. */
public final class Futures {
  private Futures() {}

  /** The value of {@code future}; its failure is rethrown as it was thrown (e.g. exit codes). */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }
}
