/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.lineage;

import dev.sluice.config.OpenLineageConfig;
import java.io.IOException;
import java.util.Optional;

/** Delivers one serialized OpenLineage event. */
interface EventTransport {
  /** Sends {@code json} (one event, no line breaks); throws when it was not delivered. */
  void send(String json) throws IOException, InterruptedException;

  /** Where events go, for messages. */
  String target();

  /** The configured transport; empty when events are off. */
  static Optional<EventTransport> of(OpenLineageConfig config) {
    return switch (config.transport()) {
      case NONE -> Optional.empty();
      case FILE -> Optional.of(new FileTransport(config.file().orElseThrow()));
      case HTTP -> Optional.of(new HttpTransport(config.url().orElseThrow(), config.timeoutMs()));
    };
  }
}
