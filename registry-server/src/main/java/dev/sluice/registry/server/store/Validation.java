/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import dev.sluice.registry.server.api.MlflowErrors;

/** Request validation shared by the stores, with MLflow's error codes and wording. */
final class Validation {
  static final int MAX_KEY_LENGTH = 250;
  static final int MAX_PARAM_VALUE_LENGTH = 6000;
  static final int MAX_TAG_VALUE_LENGTH = 8000;

  private Validation() {}

  static void checkKey(String what, String key) {
    if (key == null || key.isEmpty()) {
      throw MlflowErrors.missingParameter(what);
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw MlflowErrors.invalidParameter(
          "'%s' exceeds the maximum length of %s characters", key, MAX_KEY_LENGTH);
    }
    if (key.contains("..") || key.startsWith("/")) {
      throw MlflowErrors.invalidParameter(
          "Invalid value \"%s\" for parameter '%s' supplied: names may not contain '..' or start"
              + " with '/'",
          key, what);
    }
  }

  static void checkLength(String what, String value, int max) {
    if (value != null && value.length() > max) {
      throw MlflowErrors.invalidParameter(
          "Value of %s is %s characters long, exceeding the limit of %s",
          what, value.length(), max);
    }
  }

  static String require(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw MlflowErrors.missingParameter(what);
    }
    return value;
  }
}
