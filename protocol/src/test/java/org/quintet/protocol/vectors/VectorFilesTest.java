package org.quintet.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stored vectors are exactly what the generator makes from its seeds. Run with
 * {@code -Dquintet.vectors.write=true} to rewrite them after a deliberate protocol change.
 */
class VectorFilesTest {
  static Path vectorsDir() {
    return Path.of(System.getProperty("quintet.vectors.dir", "vectors"));
  }

  @Test
  void storedVectorsMatchTheGenerator() throws Exception {
    Map<String, String> generated = VectorGenerator.generate();
    boolean write = Boolean.getBoolean("quintet.vectors.write");
    for (Map.Entry<String, String> file : generated.entrySet()) {
      Path path = vectorsDir().resolve(file.getKey());
      if (write) {
        Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
      }
      assertEquals(file.getValue(), Files.readString(path, StandardCharsets.UTF_8),
          file.getKey() + " differs from the generator's output");
    }
  }
}
