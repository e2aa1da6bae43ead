/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * A registered model.
 *
 * @param name its unique name
 * @param createdAt when it was registered
 * @param tags its tags
 * @param aliases alias → version number (e.g. {@code champion → 3})
 */
public record RegisteredModel(
    String name, Instant createdAt, Map<String, String> tags, Map<String, Long> aliases) {
  public RegisteredModel {
    requireNonNull(name, "name is null");
    requireNonNull(createdAt, "createdAt is null");
    tags = Map.copyOf(requireNonNull(tags, "tags is null"));
    aliases = Map.copyOf(requireNonNull(aliases, "aliases is null"));
  }
}
