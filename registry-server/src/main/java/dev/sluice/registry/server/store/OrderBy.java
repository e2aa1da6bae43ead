/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import dev.sluice.registry.server.api.MlflowErrors;
import dev.sluice.registry.server.store.SearchDoc.Entity;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** MLflow order_by clauses ({@code <entity>.<key> [ASC|DESC]}) as a comparator; missing last. */
final class OrderBy {
  private OrderBy() {}

  /**
   * The comparator for {@code clauses}, followed by {@code tieBreak} (the search's default order).
   */
  static Comparator<SearchDoc> comparator(
      List<String> clauses, SearchSchema schema, Comparator<SearchDoc> tieBreak) {
    Comparator<SearchDoc> result = null;
    for (String clause : clauses) {
      Comparator<SearchDoc> next = one(clause, schema);
      result = result == null ? next : result.thenComparing(next);
    }
    return result == null ? tieBreak : result.thenComparing(tieBreak);
  }

  /** Sorts by one attribute; missing values last in both directions. */
  static Comparator<SearchDoc> by(Entity entity, String key, boolean ascending) {
    Comparator<Object> values = OrderBy::compareValues;
    Comparator<Object> directed = ascending ? values : values.reversed();
    return Comparator.comparing(doc -> doc.get(entity, key), Comparator.nullsLast(directed));
  }

  private static Comparator<SearchDoc> one(String clause, SearchSchema schema) {
    FilterParser parser = FilterParser.forOrderBy(clause, schema);
    FilterParser.Field field = parser.field();
    String direction = parser.rest().toUpperCase(Locale.ROOT);
    if (!direction.isEmpty() && !direction.equals("ASC") && !direction.equals("DESC")) {
      throw MlflowErrors.invalidParameter(
          "Invalid order_by clause '%s': expected ASC or DESC after the key", clause);
    }
    return by(field.entity(), field.key(), !direction.equals("DESC"));
  }

  private static int compareValues(Object left, Object right) {
    if (left instanceof Number a && right instanceof Number b) {
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    return left.toString().compareTo(right.toString());
  }
}
