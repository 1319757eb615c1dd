package org.quintet.client;

import org.quintet.protocol.Bytes;
import org.quintet.protocol.KeySource;

/**
 * A registration id is a random 1..2^31-1 a device draws when it registers or links; senders
 * name it with every envelope, so one encrypted for an earlier device under the same id is stale.
 */
final class RegistrationIds {
  private RegistrationIds() {}

  static int draw(KeySource source) {
    int id;
    do {
      id = (int) (Bytes.readU32(source.bytes(4), 0) & Integer.MAX_VALUE);
    } while (id == 0);
    return id;
  }
}
