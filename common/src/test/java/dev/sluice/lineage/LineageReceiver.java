/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenLineage HTTP endpoint on 127.0.0.1 and a free port for tests: it answers every POST with
 * {@code status} and keeps each request's content type and JSON body.
 */
public final class LineageReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/api/v1/lineage";

  /** One request as received. */
  public record Received(String method, String contentType, JsonNode event) {}

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();

  private LineageReceiver(int status) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(PATH, exchange -> handle(exchange, status));
    server.start();
  }

  /** A receiver answering 200. */
  public static LineageReceiver start() {
    return start(200);
  }

  /** A receiver answering {@code status} (e.g. 500, to test a refusing endpoint). */
  public static LineageReceiver start(int status) {
    try {
      return new LineageReceiver(status);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the lineage receiver", e);
    }
  }

  /** The URL of an endpoint where nothing listens: a loopback port that was free a moment ago. */
  public static String downUrl() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort() + PATH;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port", e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  /** The events received, in order. */
  public List<JsonNode> events() {
    return received().stream().map(Received::event).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange, int status) throws IOException {
    try (exchange) {
      JsonNode event = JSON.readTree(exchange.getRequestBody());
      synchronized (this) {
        received.add(
            new Received(
                exchange.getRequestMethod(),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                event));
      }
      exchange.sendResponseHeaders(status, -1);
    }
  }
}
