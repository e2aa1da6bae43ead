/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import java.nio.file.Path;

class TestInMemoryModelRegistry extends ModelRegistryContract {
  @Override
  ModelRegistry newRegistry(Path directory) {
    return new InMemoryModelRegistry();
  }
}
