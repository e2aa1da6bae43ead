/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What a search filter or order-by sees of one entity: attributes (String or Long values), the
 * latest metric values, params and tags.
 */
record SearchDoc(
    Map<String, Object> attributes,
    Map<String, Double> metrics,
    Map<String, String> params,
    Map<String, String> tags) {
  SearchDoc {
    requireNonNull(attributes, "attributes is null");
    requireNonNull(metrics, "metrics is null");
    requireNonNull(params, "params is null");
    requireNonNull(tags, "tags is null");
  }

  static SearchDoc of(Map<String, Object> attributes, Map<String, String> tags) {
    return new SearchDoc(attributes, Map.of(), Map.of(), tags);
  }

  /** The value of {@code key} in {@code entity}, or null when the entity lacks it. */
  Object get(Entity entity, String key) {
    return switch (entity) {
      case ATTRIBUTE -> attributes.get(key);
      case METRIC -> metrics.get(key);
      case PARAM -> params.get(key);
      case TAG -> tags.get(key);
    };
  }

  /** The kinds of searchable fields, as MLflow's filter prefixes name them. */
  enum Entity {
    ATTRIBUTE,
    METRIC,
    PARAM,
    TAG;

    static Entity fromPrefix(String prefix) {
      return switch (prefix.toLowerCase(java.util.Locale.ROOT)) {
        case "attribute", "attributes", "attr", "run" -> ATTRIBUTE;
        case "metric", "metrics" -> METRIC;
        case "param", "params", "parameter", "parameters" -> PARAM;
        case "tag", "tags" -> TAG;
        default -> null;
      };
    }
  }
}
