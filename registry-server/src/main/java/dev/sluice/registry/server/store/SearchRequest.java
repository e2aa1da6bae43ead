/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What every MLflow search request carries.
 *
 * @param filter an MLflow filter string; empty for everything
 * @param orderBy order_by clauses, e.g. {@code metrics.auc DESC}
 * @param pageToken the opaque token of the page to read; empty for the first
 * @param maxResults the page size
 */
public record SearchRequest(
    String filter, List<String> orderBy, String pageToken, long maxResults) {
  public SearchRequest {
    requireNonNull(filter, "filter is null");
    orderBy = List.copyOf(orderBy);
    requireNonNull(pageToken, "pageToken is null");
  }
}
