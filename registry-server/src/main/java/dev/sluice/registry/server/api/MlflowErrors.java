/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.api;

import java.util.Locale;

/** The one factory of the errors this server answers with; messages follow MLflow's wording. */
public final class MlflowErrors {
  private MlflowErrors() {}

  public static MlflowException notFound(String format, Object... args) {
    return of(ErrorCode.RESOURCE_DOES_NOT_EXIST, format, args);
  }

  public static MlflowException experimentNotFound(String experimentId) {
    return notFound("No Experiment with id=%s exists", experimentId);
  }

  public static MlflowException experimentNameNotFound(String name) {
    return notFound("Could not find experiment with name '%s'", name);
  }

  public static MlflowException runNotFound(String runId) {
    return notFound("Run with id=%s not found", runId);
  }

  public static MlflowException registeredModelNotFound(String name) {
    return notFound("Registered Model with name=%s not found", name);
  }

  public static MlflowException modelVersionNotFound(String name, String version) {
    return notFound("Model Version (name=%s, version=%s) not found", name, version);
  }

  public static MlflowException aliasNotFound(String alias) {
    return notFound("Registered model alias %s not found.", alias);
  }

  public static MlflowException alreadyExists(String format, Object... args) {
    return of(ErrorCode.RESOURCE_ALREADY_EXISTS, format, args);
  }

  public static MlflowException invalidParameter(String format, Object... args) {
    return of(ErrorCode.INVALID_PARAMETER_VALUE, format, args);
  }

  public static MlflowException missingParameter(String name) {
    return invalidParameter("Missing value for required parameter '%s'.", name);
  }

  public static MlflowException invalidState(String format, Object... args) {
    return of(ErrorCode.INVALID_STATE, format, args);
  }

  public static MlflowException badRequest(String format, Object... args) {
    return of(ErrorCode.BAD_REQUEST, format, args);
  }

  public static MlflowException tooLarge(long limitBytes) {
    return new MlflowException(
        ErrorCode.BAD_REQUEST,
        413,
        String.format(Locale.ROOT, "Request body exceeds the limit of %s bytes", limitBytes),
        null);
  }

  public static MlflowException endpointNotFound(String method, String path) {
    return of(ErrorCode.ENDPOINT_NOT_FOUND, "No endpoint %s %s", method, path);
  }

  public static MlflowException unauthenticated() {
    return of(
        ErrorCode.UNAUTHENTICATED,
        "Authentication required: send a valid bearer token or basic credentials");
  }

  /** An error the HTTP layer raised itself (such as a body over the size limit), by status. */
  public static MlflowException fromHttpStatus(int status, String message) {
    ErrorCode code =
        switch (status) {
          case 401 -> ErrorCode.UNAUTHENTICATED;
          case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
          default -> status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_ERROR;
        };
    return new MlflowException(code, status, message, null);
  }

  public static MlflowException internal(String message, Throwable cause) {
    return new MlflowException(
        ErrorCode.INTERNAL_ERROR, ErrorCode.INTERNAL_ERROR.httpStatus(), message, cause);
  }

  private static MlflowException of(ErrorCode code, String format, Object... args) {
    return new MlflowException(
        code, code.httpStatus(), String.format(Locale.ROOT, format, args), null);
  }
}
