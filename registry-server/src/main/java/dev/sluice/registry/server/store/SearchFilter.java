/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.store.SearchDoc.Entity;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** A parsed MLflow filter: every clause must hold; an entity lacking the field never matches. */
record SearchFilter(List<Clause> clauses) {
  static final SearchFilter ALL = new SearchFilter(List.of());

  SearchFilter {
    clauses = List.copyOf(clauses);
  }

  boolean matches(SearchDoc doc) {
    return clauses.stream().allMatch(clause -> clause.matches(doc));
  }

  /** The comparison operators of MLflow filters. */
  enum Op {
    EQ("="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    LIKE("LIKE"),
    ILIKE("ILIKE"),
    IN("IN"),
    NOT_IN("NOT IN");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    String symbol() {
      return symbol;
    }

    boolean stringOnly() {
      return this == LIKE || this == ILIKE || this == IN || this == NOT_IN;
    }

    static Op fromSymbol(String symbol) {
      if (symbol.equals("<>")) {
        return NE;
      }
      for (Op op : values()) {
        if (op.symbol.equals(symbol)) {
          return op;
        }
      }
      return null;
    }
  }

  /** One comparison; values are Doubles for numeric fields and Strings otherwise. */
  record Clause(Entity entity, String key, Op op, List<Object> values) {
    Clause {
      requireNonNull(entity, "entity is null");
      requireNonNull(key, "key is null");
      requireNonNull(op, "op is null");
      values = List.copyOf(values);
    }

    boolean matches(SearchDoc doc) {
      Object actual = doc.get(entity, key);
      if (actual == null) {
        return false;
      }
      Object expected = values.get(0);
      if (expected instanceof Double number) {
        return compare(Double.compare(((Number) actual).doubleValue(), number));
      }
      String text = actual.toString();
      return switch (op) {
        case LIKE -> like(expected.toString(), 0).matcher(text).matches();
        case ILIKE ->
            like(expected.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                .matcher(text)
                .matches();
        case IN -> values.contains(text);
        case NOT_IN -> !values.contains(text);
        default -> compare(text.compareTo(expected.toString()));
      };
    }

    private boolean compare(int sign) {
      return switch (op) {
        case EQ -> sign == 0;
        case NE -> sign != 0;
        case LT -> sign < 0;
        case LE -> sign <= 0;
        case GT -> sign > 0;
        case GE -> sign >= 0;
        default -> throw new IllegalStateException("Not a comparison: " + op);
      };
    }

    private static Pattern like(String pattern, int flags) {
      StringBuilder regex = new StringBuilder();
      for (char c : pattern.toCharArray()) {
        switch (c) {
          case '%' -> regex.append(".*");
          case '_' -> regex.append('.');
          default -> regex.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return Pattern.compile(regex.toString(), flags | Pattern.DOTALL);
    }

    @Override
    public String toString() {
      return entity.name().toLowerCase(Locale.ROOT) + "." + key + " " + op.symbol() + " " + values;
    }
  }
}
