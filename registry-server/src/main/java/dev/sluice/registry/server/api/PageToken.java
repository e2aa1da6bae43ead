/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.mlflow_project.google.gson.JsonObject;
import org.mlflow_project.google.gson.JsonParser;

/** Opaque page tokens: URL-safe base64 of {@code {"offset": n}}. */
public final class PageToken {
  private PageToken() {}

  public static String encode(int offset) {
    JsonObject json = new JsonObject();
    json.addProperty("offset", offset);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The offset a token stands for; 0 for an absent or empty token. */
  public static int decode(String token) {
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      String json = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      int offset = JsonParser.parseString(json).getAsJsonObject().get("offset").getAsInt();
      if (offset < 0) {
        throw MlflowErrors.invalidParameter("Invalid page token: %s", token);
      }
      return offset;
    } catch (RuntimeException e) {
      if (e instanceof MlflowException mlflow) {
        throw mlflow;
      }
      throw MlflowErrors.invalidParameter("Invalid page token: %s", token);
    }
  }
}
