/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A run's artifacts under a file system URI ({@code s3a://}, {@code file:}, {@code hdfs://}, ...),
 * read and written directly through the Hadoop FileSystem API, as the Spark jobs write the lake.
 * MLflow's {@code s3://} and {@code s3n://} are read as {@code s3a://}.
 */
final class HadoopArtifactStore implements ArtifactStore {
  private final Configuration hadoop;
  private final org.apache.hadoop.fs.Path root;

  HadoopArtifactStore(Configuration hadoop, String artifactUri) {
    this.hadoop = requireNonNull(hadoop, "hadoop is null");
    this.root = new org.apache.hadoop.fs.Path(hadoopUri(artifactUri));
  }

  /** The Hadoop URI of an MLflow artifact URI: s3/s3n become s3a, bare paths become file:. */
  static URI hadoopUri(String artifactUri) {
    String uri = artifactUri.replaceFirst("^s3n?://", "s3a://");
    if (uri.startsWith("/")) {
      return java.nio.file.Path.of(uri).toUri();
    }
    return URI.create(uri);
  }

  @Override
  public void upload(Path localDirectory, String artifactPath) {
    org.apache.hadoop.fs.Path base = child(root, artifactPath);
    FileSystem fs = fileSystem(base);
    for (String relative : ArtifactStore.relativeFiles(localDirectory)) {
      org.apache.hadoop.fs.Path source =
          new org.apache.hadoop.fs.Path(localDirectory.resolve(relative).toUri());
      org.apache.hadoop.fs.Path target = child(base, relative);
      try {
        fs.copyFromLocalFile(false, true, source, target);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot upload " + source + " to " + target, e);
      }
    }
  }

  @Override
  public int download(String artifactPath, Path localDirectory) {
    org.apache.hadoop.fs.Path base = child(root, artifactPath);
    FileSystem fs = fileSystem(base);
    try {
      if (!fs.exists(base)) {
        return 0;
      }
      FileStatus status = fs.getFileStatus(base);
      if (status.isFile()) {
        copy(fs, base, ArtifactStore.target(localDirectory, base.getName()));
        return 1;
      }
      String prefix = status.getPath().toUri().getPath().replaceAll("/+$", "") + "/";
      int count = 0;
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(base, true);
      while (files.hasNext()) {
        org.apache.hadoop.fs.Path file = files.next().getPath();
        String path = file.toUri().getPath();
        String relative =
            path.startsWith(prefix) ? path.substring(prefix.length()) : file.getName();
        copy(fs, file, ArtifactStore.target(localDirectory, relative));
        count++;
      }
      return count;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot download artifacts from " + base, e);
    }
  }

  private static void copy(FileSystem fs, org.apache.hadoop.fs.Path source, Path target)
      throws IOException {
    fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(target.toUri()), true);
  }

  private FileSystem fileSystem(org.apache.hadoop.fs.Path path) {
    try {
      return path.getFileSystem(hadoop);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the file system of " + path, e);
    }
  }

  private static org.apache.hadoop.fs.Path child(
      org.apache.hadoop.fs.Path parent, String relative) {
    String joined = ArtifactStore.join(relative);
    return joined.isEmpty() ? parent : new org.apache.hadoop.fs.Path(parent, joined);
  }
}
