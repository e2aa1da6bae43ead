/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.registry.server.api.MlflowException;
import dev.sluice.registry.server.store.SearchDoc.Entity;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MLflow filter strings and order_by clauses, parsed and evaluated. */
class TestFilterParser {
  private static final SearchDoc RUN =
      new SearchDoc(
          Map.of("run_name", "bold-otter-1", "status", "FINISHED", "start_time", 1000L),
          Map.of("acc", 0.9, "loss", 0.1),
          Map.of("model", "gbt", "max depth", "5"),
          Map.of("mlflow.runName", "bold-otter-1", "team", "Growth"));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "metrics.acc > 0.5 | true",
        "metric.acc >= 0.9 | true",
        "metrics.acc < 0.9 | false",
        "metrics.loss <= 1e-1 | true",
        "metrics.acc != 0.9 | false",
        "params.model = 'gbt' | true",
        "params.`max depth` = '5' | true",
        "parameters.\"max depth\" != '5' | false",
        "tags.team LIKE 'Gro%' | true",
        "tags.team LIKE 'gro%' | false",
        "tags.team ILIKE 'gro_th' | true",
        "tags.\"mlflow.runName\" IN ('a', 'bold-otter-1') | true",
        "tags.team NOT IN ('Growth') | false",
        "attributes.status = 'FINISHED' AND attribute.start_time > 999 | true",
        "run_name = 'bold-otter-1' and metrics.acc > 0.95 | false",
        "created >= 1000 | true",
        "metrics.missing > 0 | false",
        "tags.missing = 'x' | false"
      })
  void evaluatesClauses(String filter, boolean expected) {
    assertThat(FilterParser.parse(filter, SearchSchema.RUNS).matches(RUN))
        .as(filter)
        .isEqualTo(expected);
  }

  @Test
  void emptyFilterMatchesEverything() {
    assertThat(FilterParser.parse("  ", SearchSchema.RUNS).matches(RUN)).isTrue();
    assertThat(FilterParser.parse(null, SearchSchema.RUNS)).isEqualTo(SearchFilter.ALL);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "metrics.acc > 'high' | expected a numeric value for metrics.acc but got high",
        "params.model = 3 | expected a quoted string value for params.model",
        "metrics.acc LIKE 1 | operator LIKE is not allowed on numeric metrics.acc",
        "foo.bar = 'x' | invalid entity type 'foo'",
        "params.model ~ 'x' | invalid comparator '~'",
        "params.model = 'x' OR params.model = 'y' | expected AND but found 'OR'",
        "tags.team IN 'a' | expected '(' at position 13"
      })
  void refusesMalformedFilters(String filter, String reason) {
    assertThatThrownBy(() -> FilterParser.parse(filter, SearchSchema.RUNS))
        .isInstanceOf(MlflowException.class)
        .hasMessage("Invalid filter '%s': %s", filter, reason);
  }

  @Test
  void refusesUnknownAttributesAndEntitiesOfOtherSearches() {
    assertThatThrownBy(() -> FilterParser.parse("attributes.color = 'red'", SearchSchema.RUNS))
        .isInstanceOf(MlflowException.class)
        .hasMessageStartingWith("Invalid attribute key 'color' for runs: expected one of [");
    assertThatThrownBy(() -> FilterParser.parse("metrics.acc > 1", SearchSchema.REGISTERED_MODELS))
        .isInstanceOf(MlflowException.class)
        .hasMessage(
            "Invalid identifier 'metrics.acc' for registered models: metrics are not searchable"
                + " here");
  }

  @Test
  void ordersByClausesWithMissingValuesLast() {
    SearchDoc low = doc("low", 0.1);
    SearchDoc high = doc("high", 0.9);
    SearchDoc none = new SearchDoc(Map.of("run_id", "none"), Map.of(), Map.of(), Map.of());
    Comparator<SearchDoc> tieBreak = OrderBy.by(Entity.ATTRIBUTE, "run_id", true);
    List<SearchDoc> descending =
        List.of(low, none, high).stream()
            .sorted(OrderBy.comparator(List.of("metrics.acc DESC"), SearchSchema.RUNS, tieBreak))
            .toList();
    assertThat(descending).containsExactly(high, low, none);
    List<SearchDoc> ascending =
        List.of(high, none, low).stream()
            .sorted(OrderBy.comparator(List.of("metrics.`acc`"), SearchSchema.RUNS, tieBreak))
            .toList();
    assertThat(ascending).containsExactly(low, high, none);
    assertThatThrownBy(
            () -> OrderBy.comparator(List.of("metrics.acc SIDEWAYS"), SearchSchema.RUNS, tieBreak))
        .isInstanceOf(MlflowException.class)
        .hasMessage(
            "Invalid order_by clause 'metrics.acc SIDEWAYS': expected ASC or DESC after the key");
  }

  private static SearchDoc doc(String runId, double acc) {
    return new SearchDoc(Map.of("run_id", runId), Map.of("acc", acc), Map.of(), Map.of());
  }
}
