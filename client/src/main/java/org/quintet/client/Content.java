package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

/**
 * The plaintext inside the ratchet: a small JSON object {@code {"v":1,"type":...}} whose type says
 * what else it holds ({@link ContentType} lists every type this client reads; docs/protocol.md,
 * "Contents"). Every content may carry {@code peer}: on the copies a sender makes for its own other
 * devices, the other account of the conversation. The browser's twin is
 * static/js/client/content.js; protocol/vectors/contents.json holds both to the same rules.
 */
public sealed interface Content permits WritableContent, HistoryPart, UnknownContent {
  int VERSION = 1;

  /** The wire name of this content's type. */
  String type();

  /**
   * Decodes a plaintext: {@code UNSUPPORTED_VERSION} unless {@code v} is 1, {@code MALFORMED} when
   * it is not a JSON object with a type, names a peer that is not a number, or its type's own
   * fields are wrong. A type this client does not know decodes to {@link UnknownContent}.
   */
  static Content decode(byte[] plaintext) throws ProtocolException {
    JsonNode node;
    try {
      node = ContentJson.MAPPER.readTree(plaintext);
    } catch (IOException e) {
      throw ContentJson.malformed("the message is not UTF-8 JSON");
    }
    if (node == null || !node.isObject()) {
      throw ContentJson.malformed("the message is not a JSON object");
    }
    JsonNode v = node.path("v");
    if (!ContentJson.isInteger(v, VERSION, VERSION)) {
      throw new ProtocolException(ProtocolError.UNSUPPORTED_VERSION, "message content version " + v);
    }
    JsonNode type = node.path("type");
    if (!type.isTextual() || type.textValue().isEmpty()) {
      throw ContentJson.malformed("the message has no type");
    }
    JsonNode peerNode = node.path("peer");
    if (!peerNode.isMissingNode() && !(peerNode.isTextual() && Envelope.isNumber(peerNode.textValue()))) {
      throw ContentJson.malformed("the message names a peer that is not a number");
    }
    String peer = peerNode.isMissingNode() ? null : peerNode.textValue();
    Optional<ContentType> known = ContentType.of(type.textValue());
    if (known.isEmpty()) {
      return new UnknownContent(type.textValue(), peer);
    }
    return known.get().decoder().decode(node, peer);
  }
}
