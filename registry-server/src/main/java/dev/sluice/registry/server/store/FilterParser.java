/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.api.MlflowErrors;
import dev.sluice.registry.server.store.SearchDoc.Entity;
import dev.sluice.registry.server.store.SearchFilter.Clause;
import dev.sluice.registry.server.store.SearchFilter.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses MLflow search filter strings: comparisons joined by {@code AND}, each {@code
 * <entity>.<key> <op> <value>} where the key may be quoted with backticks or double quotes, op is
 * one of {@code = != <> < <= > >= LIKE ILIKE IN NOT IN}, and values are numbers, quoted strings or
 * parenthesized lists of quoted strings.
 */
final class FilterParser {
  private final String text;
  private final SearchSchema schema;
  private int pos;

  private FilterParser(String text, SearchSchema schema) {
    this.text = text;
    this.schema = schema;
  }

  static SearchFilter parse(String filter, SearchSchema schema) {
    if (filter == null || filter.isBlank()) {
      return SearchFilter.ALL;
    }
    return new FilterParser(filter, schema).clauses();
  }

  /** Parses one order-by identifier at the start of {@code text}; returns it and the rest. */
  static FilterParser forOrderBy(String text, SearchSchema schema) {
    return new FilterParser(text, schema);
  }

  private SearchFilter clauses() {
    List<Clause> clauses = new ArrayList<>();
    while (true) {
      clauses.add(clause());
      skipSpaces();
      if (atEnd()) {
        return new SearchFilter(clauses);
      }
      String word = word();
      if (!word.equalsIgnoreCase("AND")) {
        throw invalid("expected AND but found '%s'", word);
      }
    }
  }

  private Clause clause() {
    Field field = field();
    Op op = operator();
    boolean numeric = schema.isNumeric(field.entity(), field.key());
    List<Object> values = new ArrayList<>();
    skipSpaces();
    if (op == Op.IN || op == Op.NOT_IN) {
      expect('(');
      do {
        skipSpaces();
        values.add(quoted());
        skipSpaces();
      } while (consume(','));
      expect(')');
    } else {
      values.add(peekQuote() ? quoted() : number());
    }
    Object first = values.get(0);
    if (numeric && !(first instanceof Double)) {
      throw invalid("expected a numeric value for %s but got %s", field.identifier(), first);
    }
    if (!numeric && first instanceof Double) {
      throw invalid("expected a quoted string value for %s", field.identifier());
    }
    if (numeric && op.stringOnly()) {
      throw invalid("operator %s is not allowed on numeric %s", op.symbol(), field.identifier());
    }
    return new Clause(field.entity(), field.key(), op, values);
  }

  /** A parsed identifier: entity, canonical key and the text it came from. */
  record Field(Entity entity, String key, String identifier) {
    Field {
      requireNonNull(entity, "entity is null");
      requireNonNull(key, "key is null");
      requireNonNull(identifier, "identifier is null");
    }
  }

  Field field() {
    skipSpaces();
    int start = pos;
    String head = identifierPart();
    Entity entity;
    String key;
    if (consume('.')) {
      entity = Entity.fromPrefix(head);
      if (entity == null) {
        throw invalid("invalid entity type '%s'", head);
      }
      key = peekQuote() || peek() == '`' ? quoted() : keyPart();
    } else {
      entity = Entity.ATTRIBUTE;
      key = head;
    }
    String identifier = text.substring(start, pos);
    if (key.isEmpty()) {
      throw invalid("missing key in '%s'", identifier);
    }
    schema.checkEntity(entity, identifier);
    if (entity == Entity.ATTRIBUTE) {
      key = schema.attribute(key);
    }
    return new Field(entity, key, identifier);
  }

  /** The rest of the text after the parsed identifier, trimmed. */
  String rest() {
    return text.substring(pos).trim();
  }

  private Op operator() {
    skipSpaces();
    int start = pos;
    while (!atEnd() && "=!<>".indexOf(peek()) >= 0) {
      pos++;
    }
    String symbol = text.substring(start, pos);
    if (symbol.isEmpty()) {
      symbol = word().toUpperCase(Locale.ROOT);
      if (symbol.equals("NOT")) {
        symbol = "NOT " + word().toUpperCase(Locale.ROOT);
      } else if (symbol.isEmpty()) {
        symbol = keyPart();
      }
    }
    Op op = Op.fromSymbol(symbol);
    if (op == null) {
      throw invalid("invalid comparator '%s'", symbol);
    }
    return op;
  }

  private String identifierPart() {
    int start = pos;
    while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
      pos++;
    }
    if (start == pos) {
      throw invalid("expected an identifier at position %s", start);
    }
    return text.substring(start, pos);
  }

  private String keyPart() {
    int start = pos;
    while (!atEnd() && !Character.isWhitespace(peek()) && "=!<>(),".indexOf(peek()) < 0) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private String word() {
    skipSpaces();
    int start = pos;
    while (!atEnd() && Character.isLetter(peek())) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private String quoted() {
    if (atEnd() || (peek() != '\'' && peek() != '"' && peek() != '`')) {
      throw invalid("expected a quoted string at position %s", pos);
    }
    char quote = text.charAt(pos++);
    StringBuilder value = new StringBuilder();
    while (!atEnd() && peek() != quote) {
      char c = text.charAt(pos++);
      if (c == '\\' && !atEnd()) {
        c = text.charAt(pos++);
      }
      value.append(c);
    }
    expect(quote);
    return value.toString();
  }

  private Double number() {
    int start = pos;
    while (!atEnd() && "+-.0123456789eE".indexOf(peek()) >= 0) {
      pos++;
    }
    String token = text.substring(start, pos);
    try {
      return Double.valueOf(token);
    } catch (NumberFormatException e) {
      throw invalid("expected a number or a quoted string at position %s", start);
    }
  }

  private boolean peekQuote() {
    return !atEnd() && (peek() == '\'' || peek() == '"');
  }

  private void expect(char c) {
    skipSpaces();
    if (!consume(c)) {
      throw invalid("expected '%s' at position %s", c, pos);
    }
  }

  private boolean consume(char c) {
    if (!atEnd() && peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void skipSpaces() {
    while (!atEnd() && Character.isWhitespace(peek())) {
      pos++;
    }
  }

  private char peek() {
    return text.charAt(pos);
  }

  private boolean atEnd() {
    return pos >= text.length();
  }

  private RuntimeException invalid(String format, Object... args) {
    return MlflowErrors.invalidParameter(
        "Invalid filter '%s': %s", text, String.format(Locale.ROOT, format, args));
  }
}
