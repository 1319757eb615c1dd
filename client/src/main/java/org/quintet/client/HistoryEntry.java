package org.quintet.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One text of a conversation as this device saw it. {@code peer} is the other account of the
 * conversation; {@code outgoing} is true for texts the account sent (from this or another of its
 * devices), and {@code from} is the account that wrote it. {@code id} is the hex message id.
 * {@code quote} is the message a reply answers (null for a text that answers none); {@code body}
 * is the latest text its author gave it ({@code editedAt} the time of that edit, 0 for none), and
 * null once its author deleted it for everyone. {@code reactions}: one per account, the latest.
 * {@code attachment}: the file a message carries (its {@code body} the caption, "" for none), or
 * null for a text.
 */
public record HistoryEntry(String id, String peer, boolean outgoing, String from, long fromDevice, long timestamp,
    String body, Quote quote, MessageStatus status, long editedAt, List<MessageReaction> reactions,
    AttachmentPointer attachment) {

  public HistoryEntry {
    reactions = List.copyOf(reactions);
  }

  /** A text: no attachment. */
  public HistoryEntry(String id, String peer, boolean outgoing, String from, long fromDevice, long timestamp,
      String body, Quote quote, MessageStatus status, long editedAt, List<MessageReaction> reactions) {
    this(id, peer, outgoing, from, fromDevice, timestamp, body, quote, status, editedAt, reactions, null);
  }

  /**
   * A plain text: no reply, never edited, no reactions; sent, or, received, read.
   */
  public HistoryEntry(String id, String peer, boolean outgoing, String from, long fromDevice, long timestamp,
      String body) {
    this(id, peer, outgoing, from, fromDevice, timestamp, body, null,
        outgoing ? MessageStatus.SENT : MessageStatus.READ, 0, List.of());
  }

  public boolean deleted() {
    return body == null;
  }

  public boolean edited() {
    return editedAt != 0;
  }

  /** The reactions to show: those not taken back. */
  public List<MessageReaction> shownReactions() {
    return reactions.stream().filter(r -> !r.emoji().isEmpty()).toList();
  }

  /** The account's reaction (or the one it took back). */
  Optional<MessageReaction> reactionOf(String number) {
    return reactions.stream().filter(r -> r.from().equals(number)).findFirst();
  }

  HistoryEntry withStatus(MessageStatus next) {
    return new HistoryEntry(id, peer, outgoing, from, fromDevice, timestamp, body, quote, status.advancedTo(next),
        editedAt, reactions, attachment);
  }

  HistoryEntry withEdit(String newBody, long at) {
    return new HistoryEntry(id, peer, outgoing, from, fromDevice, timestamp, newBody, quote, status, at, reactions,
        attachment);
  }

  /** The text gone, and with it what it quoted, the file it carried and what it got. */
  HistoryEntry withDeletion() {
    return new HistoryEntry(id, peer, outgoing, from, fromDevice, timestamp, null, null, status, editedAt, List.of(),
        null);
  }

  /** With the account's reaction in place of its earlier one. */
  HistoryEntry withReaction(MessageReaction reaction) {
    List<MessageReaction> next = new ArrayList<>(reactions);
    next.removeIf(r -> r.from().equals(reaction.from()));
    next.add(reaction);
    return new HistoryEntry(id, peer, outgoing, from, fromDevice, timestamp, body, quote, status, editedAt, next,
        attachment);
  }
}
