/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.lineage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.OpenLineageConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sends OpenLineage events through the configured transport. Delivery is best effort: an event that
 * cannot be sent is reported as a warning and counted, and never fails the job.
 */
public final class OpenLineageEmitter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<EventTransport> transport;
  private final PrintStream warnings;
  private int errors;

  private OpenLineageEmitter(Optional<EventTransport> transport, PrintStream warnings) {
    this.transport = transport;
    this.warnings = requireNonNull(warnings, "warnings is null");
  }

  /** An emitter for {@code config}; undelivered events are reported on {@code warnings}. */
  public static OpenLineageEmitter of(OpenLineageConfig config, PrintStream warnings) {
    return new OpenLineageEmitter(EventTransport.of(config), warnings);
  }

  /** Whether events are sent at all (transport other than none). */
  public boolean enabled() {
    return transport.isPresent();
  }

  /**
   * Builds and sends one event of type {@code eventType}; returns whether it was delivered. A
   * failure to build, render or deliver it is reported and counted, never thrown.
   */
  public boolean emit(String eventType, Supplier<ObjectNode> event) {
    if (transport.isEmpty()) {
      return false;
    }
    try {
      transport.get().send(JSON.writeValueAsString(event.get()));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return undelivered(eventType, e);
    } catch (IOException | RuntimeException e) {
      return undelivered(eventType, e);
    }
  }

  /** How many events could not be delivered. */
  public int errors() {
    return errors;
  }

  private boolean undelivered(String eventType, Exception e) {
    errors++;
    warnings.printf(
        "[sluice] warning: OpenLineage %s event not delivered to %s: %s%n",
        eventType, transport.orElseThrow().target(), describe(e));
    return false;
  }

  private static String describe(Exception e) {
    if (e instanceof JsonProcessingException || e instanceof RuntimeException) {
      return "cannot build the event: " + e;
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.toString();
  }
}
