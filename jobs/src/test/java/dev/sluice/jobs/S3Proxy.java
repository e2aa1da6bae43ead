/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server for tests: S3Proxy with its filesystem backend, in its own JVM ({@code java
 * -jar}), on 127.0.0.1 and a free port. Every bucket is a folder under {@link #dataDir()}.
 */
public final class S3Proxy implements AutoCloseable {
  public static final String ACCESS_KEY = "sluice-test-access";
  public static final String SECRET_KEY = "sluice-test-secret";

  private final Process process;
  private final int port;
  private final Path dataDir;

  private S3Proxy(Process process, int port, Path dataDir) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
  }

  /** Starts S3Proxy with the given buckets created. */
  public static S3Proxy start(Path work, List<String> buckets) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path data = Files.createDirectories(work.resolve("s3-data"));
    for (String bucket : buckets) {
      Files.createDirectories(data.resolve(bucket));
    }
    Path properties = work.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + data,
            ""));
    Path jar = Path.of(System.getProperty("sluice.test.s3proxyJar"));
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar.toString(),
                "--properties",
                properties.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("s3proxy.log").toFile())
            .start();
    S3Proxy proxy = new S3Proxy(process, port, data);
    proxy.awaitListening(work.resolve("s3proxy.log"));
    return proxy;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * The -D overrides of conf/s3.conf for this server (credentials as the environment would give).
   */
  public List<String> sluiceOverrides() {
    return List.of(
        "-Dsluice.hadoop.\"fs.s3a.endpoint\"=" + endpoint(),
        "-Dsluice.hadoop.\"fs.s3a.endpoint.region\"=us-east-1",
        "-Dsluice.hadoop.\"fs.s3a.path.style.access\"=true",
        "-Dsluice.hadoop.\"fs.s3a.connection.ssl.enabled\"=false",
        "-Dsluice.hadoop.\"fs.s3a.aws.credentials.provider\"=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        "-Dsluice.hadoop.\"fs.s3a.access.key\"=" + ACCESS_KEY,
        "-Dsluice.hadoop.\"fs.s3a.secret.key\"=" + SECRET_KEY,
        "-Dsluice.hadoop.\"fs.s3a.change.detection.mode\"=none");
  }

  private void awaitListening(Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Proxy exited: " + Files.readString(log));
      }
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("S3Proxy did not listen within 60 s: " + Files.readString(log));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("Interrupted stopping S3Proxy", e));
    }
  }
}
