package org.quintet.bench.relay;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.MessageType;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.Session;
import org.quintet.protocol.X3dh;

/**
 * One sender's fan-out: sessions from a primary to every device of the recipient and to its own
 * companions, set up and answered once (X3DH, then a reply so that later copies are ordinary
 * ratchet messages), so each send is just the ratchet encryptions and the request body.
 */
final class Conversation {
  /** About the size of a short text with its content framing. */
  private static final byte[] TEXT = new byte[160];
  private final Device sender;
  private final String recipient;
  private final List<Target> toRecipient = new ArrayList<>();
  private final List<Target> toOwn = new ArrayList<>();
  private long counter;

  private record Target(Device device, Session session) {}

  Conversation(KeySource source, Account from, Account to) throws ProtocolException {
    this.sender = from.primary();
    this.recipient = to.number;
    for (Device device : to.devices) {
      toRecipient.add(new Target(device, establish(source, sender, device)));
    }
    for (Device device : from.companions()) {
      toOwn.add(new Target(device, establish(source, sender, device)));
    }
  }

  Device sender() {
    return sender;
  }

  /** Envelopes one send makes. */
  int fanOut() {
    return toRecipient.size() + toOwn.size();
  }

  /** Envelopes of one send for devices on another node than the sender's. */
  int crossNodeFanOut() {
    return (int) Stream.concat(toRecipient.stream(), toOwn.stream())
        .filter(target -> target.device().node != sender.node).count();
  }

  /**
   * Without the one-time prekey: a device takes part in more than one conversation here, and X3DH
   * without it is the protocol's fallback when a device ran out of them.
   */
  private static Session establish(KeySource source, Device from, Device to) throws ProtocolException {
    Session session = X3dh.initiate(source, from.identity,
        new PreKeyBundle(to.identity.publicKey(), to.signedPreKey, Optional.empty()));
    X3dh.Accepted accepted = X3dh.accept(source, to.identity, to.preKeys, session.encrypt(TEXT));
    session.decrypt(accepted.session().encrypt(TEXT));
    return session;
  }

  /**
   * The request body of one send, stamped with {@code nowNanos} in the message id and, in the top
   * byte of the counter after it, the sender's node: a receiving device tells a cross-node delivery
   * by it without parsing the envelope.
   */
  Buffer message(long nowNanos) throws ProtocolException {
    long tagged = (long) sender.node << 56 | ++counter;
    byte[] messageId = Arrays.copyOf(Bytes.concat(Bytes.u64(nowNanos), Bytes.u64(tagged)), Envelope.MESSAGE_ID_LENGTH);
    JsonArray recipients = new JsonArray().add(group(recipient, toRecipient));
    if (!toOwn.isEmpty()) {
      recipients.add(group(sender.number, toOwn));
    }
    return new JsonObject()
        .put("messageId", Device.base64(messageId))
        .put("timestamp", System.currentTimeMillis())
        .put("recipients", recipients)
        .toBuffer();
  }

  private static JsonObject group(String number, List<Target> targets) throws ProtocolException {
    JsonArray copies = new JsonArray();
    for (Target target : targets) {
      byte[] wire = target.session().encrypt(TEXT);
      int kind = MessageType.ofSessionMessage(wire) == MessageType.PREKEY
          ? Envelope.KIND_PREKEY_MESSAGE : Envelope.KIND_RATCHET_MESSAGE;
      copies.add(new JsonObject().put("deviceId", target.device().id).put("registrationId",
          target.device().registrationId).put("kind", kind).put("content", Device.base64(wire)));
    }
    return new JsonObject().put("number", number).put("messages", copies);
  }
}
