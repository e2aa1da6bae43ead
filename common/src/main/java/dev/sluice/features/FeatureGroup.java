/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.features;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A group of features over one source table, stored as {@code features_<name>}.
 *
 * @param name the group's name
 * @param source the source table (a configured source, read at its snapshot pin)
 * @param entityKeys the entity key columns
 * @param eventTimeColumn the source's event time (timestamp or date)
 * @param filter an optional SQL predicate on source rows
 * @param ttlDays how long a feature row stays valid for point-in-time retrieval
 * @param owner who owns the group
 * @param features the features, sorted by name
 */
public record FeatureGroup(
    String name,
    String source,
    List<String> entityKeys,
    String eventTimeColumn,
    Optional<String> filter,
    int ttlDays,
    String owner,
    List<FeatureDefinition> features) {
  public FeatureGroup {
    requireNonNull(name, "name is null");
    requireNonNull(source, "source is null");
    entityKeys = List.copyOf(requireNonNull(entityKeys, "entityKeys is null"));
    requireNonNull(eventTimeColumn, "eventTimeColumn is null");
    requireNonNull(filter, "filter is null");
    requireNonNull(owner, "owner is null");
    features = List.copyOf(requireNonNull(features, "features is null"));
  }

  /** The feature table's name. */
  public String tableName() {
    return "features_" + name;
  }

  /** The definition hash of one feature: its normalized definition and the group's source. */
  public String definitionHash(FeatureDefinition feature) {
    return sha256(sourceIdentity() + "|" + feature.normalized());
  }

  /** The group's hash (of its features' hashes in order), stamped on every row it builds. */
  public String groupHash() {
    StringBuilder all = new StringBuilder(sourceIdentity());
    features.forEach(f -> all.append('|').append(definitionHash(f)));
    return sha256(all.toString());
  }

  /** The longest window of any windowed feature (0 when none). */
  public int maxWindowDays() {
    return features.stream().mapToInt(f -> f.windowDays().orElse(0)).max().orElse(0);
  }

  private String sourceIdentity() {
    return String.join(
        "|", source, String.join(",", entityKeys), eventTimeColumn, filter.orElse("").trim());
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
