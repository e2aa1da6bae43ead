/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.api.MlflowErrors;
import dev.sluice.registry.server.api.PageToken;
import java.util.List;
import java.util.Optional;

/** One page of search results and the token of the next page, if any. */
public record Page<T>(List<T> items, Optional<String> nextPageToken) {
  public Page {
    items = List.copyOf(items);
    requireNonNull(nextPageToken, "nextPageToken is null");
  }

  /** The page of {@code sorted} that {@code pageToken} points at, at most {@code maxResults}. */
  static <T> Page<T> of(List<T> sorted, String pageToken, long maxResults, long limit) {
    if (maxResults <= 0 || maxResults > limit) {
      throw MlflowErrors.invalidParameter(
          "Invalid value %s for parameter 'max_results' supplied: it must be between 1 and %s",
          maxResults, limit);
    }
    int offset = Math.min(PageToken.decode(pageToken), sorted.size());
    int end = (int) Math.min(sorted.size(), offset + maxResults);
    Optional<String> next =
        end < sorted.size() ? Optional.of(PageToken.encode(end)) : Optional.empty();
    return new Page<>(sorted.subList(offset, end), next);
  }
}
