/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.error;

/**
 * A second attempt of a run key that is running: refused before it does anything, so it is not
 * recorded as an attempt of that run.
 */
public final class RunKeyLockedException extends SluiceException {
  private static final long serialVersionUID = 1L;

  RunKeyLockedException(String message) {
    super(ErrorCode.INTERNAL, message, null);
  }
}
