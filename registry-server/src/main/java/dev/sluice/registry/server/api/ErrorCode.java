/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.api;

/** The MLflow error codes this server answers with, and the HTTP status MLflow gives each. */
public enum ErrorCode {
  BAD_REQUEST(400),
  INVALID_PARAMETER_VALUE(400),
  INVALID_STATE(400),
  RESOURCE_ALREADY_EXISTS(400),
  RESOURCE_DOES_NOT_EXIST(404),
  ENDPOINT_NOT_FOUND(404),
  UNAUTHENTICATED(401),
  INTERNAL_ERROR(500);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
