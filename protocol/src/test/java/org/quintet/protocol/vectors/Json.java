package org.quintet.protocol.vectors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quintet.protocol.Bytes;

/** Small builders so the generator reads like the files it writes. */
final class Json {
  private Json() {}

  static Map<String, Object> obj(Object... keysAndValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      Object value = keysAndValues[i + 1];
      out.put((String) keysAndValues[i], value instanceof byte[] bytes ? Bytes.hex(bytes) : value);
    }
    return out;
  }

  static List<Object> list() {
    return new ArrayList<>();
  }
}
