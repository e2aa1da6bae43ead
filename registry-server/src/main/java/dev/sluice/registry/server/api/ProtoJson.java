/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.api;

import java.util.List;
import java.util.Map;
import org.mlflow_project.google.gson.JsonArray;
import org.mlflow_project.google.gson.JsonElement;
import org.mlflow_project.google.gson.JsonObject;
import org.mlflow_project.google.gson.JsonParseException;
import org.mlflow_project.google.gson.JsonParser;
import org.mlflow_project.google.gson.JsonPrimitive;
import org.mlflow_project.google.protobuf.Descriptors.Descriptor;
import org.mlflow_project.google.protobuf.Descriptors.FieldDescriptor;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.Message;
import org.mlflow_project.google.protobuf.MessageOrBuilder;
import org.mlflow_project.google.protobuf.util.JsonFormat;

/**
 * MLflow's JSON mapping of the protos shipped in mlflow-client: snake_case field names, int64
 * written as JSON numbers and accepted as numbers or strings, unknown request fields ignored.
 */
public final class ProtoJson {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private ProtoJson() {}

  /** Merges a JSON request body into {@code builder}; an empty body is an empty request. */
  public static <B extends Message.Builder> B parse(String json, B builder) {
    if (json == null || json.isBlank()) {
      return builder;
    }
    try {
      JsonElement element = JsonParser.parseString(json);
      if (!element.isJsonObject()) {
        throw MlflowErrors.badRequest("Request body must be a JSON object");
      }
      PARSER.merge(element.toString(), builder);
      return builder;
    } catch (JsonParseException | InvalidProtocolBufferException e) {
      throw MlflowErrors.badRequest("Malformed request body: %s", e.getMessage());
    }
  }

  /** Merges query parameters (repeated for repeated fields) into {@code builder}. */
  public static <B extends Message.Builder> B parseQuery(
      Map<String, List<String>> params, B builder) {
    JsonObject json = new JsonObject();
    Descriptor descriptor = builder.getDescriptorForType();
    params.forEach(
        (name, values) -> {
          FieldDescriptor field = descriptor.findFieldByName(name);
          if (field == null
              || values.isEmpty()
              || field.getType() == FieldDescriptor.Type.MESSAGE) {
            return;
          }
          if (field.isRepeated()) {
            JsonArray array = new JsonArray();
            values.forEach(v -> array.add(scalar(field, v)));
            json.add(name, array);
          } else {
            json.add(name, scalar(field, values.get(0)));
          }
        });
    try {
      PARSER.merge(json.toString(), builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw MlflowErrors.invalidParameter("Invalid query parameters: %s", e.getMessage());
    }
  }

  /** Prints a message as MLflow does: snake_case names, int64 as numbers. */
  public static String print(MessageOrBuilder message) {
    try {
      JsonObject json = JsonParser.parseString(PRINTER.print(message)).getAsJsonObject();
      int64AsNumbers(message.getDescriptorForType(), json);
      return json.toString();
    } catch (InvalidProtocolBufferException e) {
      throw MlflowErrors.internal("Cannot print " + message.getDescriptorForType().getName(), e);
    }
  }

  private static JsonPrimitive scalar(FieldDescriptor field, String value) {
    if (field.getJavaType() == FieldDescriptor.JavaType.BOOLEAN) {
      return new JsonPrimitive(Boolean.parseBoolean(value));
    }
    return new JsonPrimitive(value);
  }

  private static void int64AsNumbers(Descriptor descriptor, JsonObject json) {
    for (FieldDescriptor field : descriptor.getFields()) {
      JsonElement value = json.get(field.getName());
      if (value == null) {
        continue;
      }
      if (field.getJavaType() == FieldDescriptor.JavaType.LONG) {
        json.add(field.getName(), longs(value));
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        Descriptor child = field.getMessageType();
        if (value.isJsonArray()) {
          value.getAsJsonArray().forEach(e -> int64AsNumbers(child, e.getAsJsonObject()));
        } else if (value.isJsonObject()) {
          int64AsNumbers(child, value.getAsJsonObject());
        }
      }
    }
  }

  private static JsonElement longs(JsonElement value) {
    if (value.isJsonArray()) {
      JsonArray array = new JsonArray();
      value.getAsJsonArray().forEach(e -> array.add(new JsonPrimitive(e.getAsLong())));
      return array;
    }
    return new JsonPrimitive(value.getAsLong());
  }
}
