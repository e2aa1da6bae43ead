/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.mlflow.api.proto.Service.ViewType;

/** The search pipeline shared by every search endpoint: filter, sort, then page. */
final class Searches {
  private Searches() {}

  /** One candidate and what the filter and the order see of it. */
  private record Candidate<T>(T item, SearchDoc doc) {}

  /** A parsed request: checked before any row is read. */
  record Plan(SearchFilter filter, Comparator<SearchDoc> order, SearchRequest request) {
    Plan {
      requireNonNull(filter, "filter is null");
      requireNonNull(order, "order is null");
      requireNonNull(request, "request is null");
    }

    /** Filters, sorts and pages {@code items}, refusing pages larger than {@code limit}. */
    <T> Page<T> page(List<T> items, Function<T, SearchDoc> docOf, long limit) {
      List<T> sorted =
          items.stream()
              .map(item -> new Candidate<>(item, docOf.apply(item)))
              .filter(candidate -> filter.matches(candidate.doc()))
              .sorted(Comparator.comparing(Candidate::doc, order))
              .map(Candidate::item)
              .toList();
      return Page.of(sorted, request.pageToken(), request.maxResults(), limit);
    }
  }

  /** Parses the filter and order_by of {@code request}; {@code defaultOrder} breaks ties. */
  static Plan plan(SearchSchema schema, SearchRequest request, Comparator<SearchDoc> defaultOrder) {
    return new Plan(
        FilterParser.parse(request.filter(), schema),
        OrderBy.comparator(request.orderBy(), schema, defaultOrder),
        request);
  }

  /** A map of {@code key -> value} from a list of tag protos. */
  static <T> Map<String, String> tags(
      List<T> tags, Function<T, String> key, Function<T, String> value) {
    Map<String, String> map = new HashMap<>();
    tags.forEach(tag -> map.put(key.apply(tag), value.apply(tag)));
    return map;
  }

  /** Whether an entity in {@code lifecycleStage} is shown for {@code viewType}. */
  static boolean visible(String lifecycleStage, ViewType viewType) {
    return switch (viewType) {
      case ALL -> true;
      case DELETED_ONLY -> ExperimentStore.DELETED.equals(lifecycleStage);
      default -> ExperimentStore.ACTIVE.equals(lifecycleStage);
    };
  }

  static <T> Predicate<T> visible(Function<T, String> stage, ViewType viewType) {
    return item -> visible(stage.apply(item), viewType);
  }
}
