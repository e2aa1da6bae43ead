/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.mlflow.tracking.MlflowClient;

/** A server on a fresh store in a temporary directory, bound to 127.0.0.1 on an ephemeral port. */
final class RegistryFixture implements AutoCloseable {
  final Path directory;
  final RegistryServer server;
  final MlflowClient client;
  final RestClient rest;

  RegistryFixture(Path directory) {
    this(directory, UnaryOperator.identity());
  }

  RegistryFixture(Path directory, UnaryOperator<RegistryServerOptions> customize) {
    this.directory = directory;
    this.server = RegistryServer.start(customize.apply(RegistryServerOptions.local(directory)));
    this.client = new MlflowClient("http://127.0.0.1:" + server.port());
    this.rest = new RestClient(server.uri());
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
