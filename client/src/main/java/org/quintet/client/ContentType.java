package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Optional;
import org.quintet.protocol.ProtocolException;

/**
 * Every content type this client reads, declared once with its decoder; the twin of
 * {@code CONTENT_TYPES} in static/js/client/content.js. To add a type: declare it here and there,
 * give it a decoder in both, and add its valid and invalid cases to protocol/vectors/contents.json.
 */
enum ContentType {
  TEXT(Text.TYPE, Text::decode),
  HISTORY(HistoryPart.TYPE, HistoryPart::decode),
  REACTION(Reaction.TYPE, Reaction::decode),
  EDIT(Edit.TYPE, Edit::decode),
  DELETE(Delete.TYPE, Delete::decode),
  DELETE_FOR_ME(DeleteForMe.TYPE, DeleteForMe::decode),
  READ(Read.TYPE, Read::decode),
  TYPING(Typing.TYPE, Typing::decode),
  PROFILE(Profile.TYPE, Profile::decode),
  SETTINGS(Settings.TYPE, Settings::decode),
  ATTACHMENT(Attachment.TYPE, Attachment::decode);

  /** Reads a type's own fields from a content whose version, type and peer were checked. */
  interface Decoder {
    Content decode(JsonNode node, String peer) throws ProtocolException;
  }

  private final String wireName;
  private final Decoder decoder;

  ContentType(String wireName, Decoder decoder) {
    this.wireName = wireName;
    this.decoder = decoder;
  }

  Decoder decoder() {
    return decoder;
  }

  static Optional<ContentType> of(String wireName) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
  }
}
