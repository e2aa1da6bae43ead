/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.api;

import static java.util.Objects.requireNonNull;

/**
 * An error answered to the client in MLflow's shape {@code {"error_code": ..., "message": ...}}.
 * Create instances through {@link MlflowErrors}.
 */
public final class MlflowException extends RuntimeException {
  private final ErrorCode errorCode;
  private final int httpStatus;

  MlflowException(ErrorCode errorCode, int httpStatus, String message, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    this.errorCode = requireNonNull(errorCode, "errorCode is null");
    this.httpStatus = httpStatus;
  }

  public ErrorCode errorCode() {
    return errorCode;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
