/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.store;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Random run names in MLflow's style ({@code adjective-animal-number}) for unnamed runs. */
final class RunNames {
  private static final List<String> ADJECTIVES =
      List.of("bold", "calm", "brave", "bright", "clever", "gentle", "keen", "quiet", "swift");
  private static final List<String> ANIMALS =
      List.of("otter", "heron", "lynx", "fox", "owl", "seal", "wren", "hare", "trout");

  private RunNames() {}

  static String random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return ADJECTIVES.get(random.nextInt(ADJECTIVES.size()))
        + "-"
        + ANIMALS.get(random.nextInt(ANIMALS.size()))
        + "-"
        + random.nextInt(1000);
  }
}
