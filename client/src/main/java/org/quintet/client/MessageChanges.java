package org.quintet.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.quintet.client.ChangeRefusedException.Reason;

/**
 * The rules a change to a text is held to (docs/protocol.md, "Contents"), and the change itself:
 * the same for a change this device makes, refused before it is sent, and for one it receives,
 * dropped without a trace. Every change names its text by id, in one conversation.
 */
final class MessageChanges {
  private final LocalStore store;

  MessageChanges(LocalStore store) {
    this.store = store;
  }

  /** Why a reply to the text, or a reaction to it, is refused; empty when it is not. */
  Optional<ChangeRefusedException> refusalToAnswer(String peer, String target) {
    return held(peer, target).map(MessageChanges::refusedIfDeleted).orElseGet(() -> Optional.of(unknown(peer, target)));
  }

  /** Why forgetting the text here and on this account's other devices is refused: only a text not held is. */
  Optional<ChangeRefusedException> refusalToForget(String peer, String target) {
    return held(peer, target).isPresent() ? Optional.empty() : Optional.of(unknown(peer, target));
  }

  /** Why {@code from}'s edit is refused; empty when it is not. */
  Optional<ChangeRefusedException> refusalToEdit(String peer, String from, Edit edit) {
    return refusalToChange(peer, from, edit.target(), edit.timestamp(), ContentLimits.EDIT_WINDOW_MS, "edit");
  }

  /** Why {@code from}'s deletion for everyone is refused; empty when it is not. */
  Optional<ChangeRefusedException> refusalToDelete(String peer, String from, Delete delete) {
    return refusalToChange(peer, from, delete.target(), delete.timestamp(), ContentLimits.DELETE_WINDOW_MS,
        "delete for everyone");
  }

  /**
   * Only the text's author changes it, and only within {@code window} of the text's time. Both
   * times are the author's own clock, so a device that receives the change late still judges it
   * as the author's device did when it sent it.
   */
  private Optional<ChangeRefusedException> refusalToChange(String peer, String from, String target, long at,
      long window, String verb) {
    Optional<HistoryEntry> held = held(peer, target);
    if (held.isEmpty()) {
      return Optional.of(unknown(peer, target));
    }
    HistoryEntry entry = held.get();
    if (!entry.from().equals(from)) {
      return Optional.of(new ChangeRefusedException(Reason.NOT_AUTHOR,
          "only its author, " + entry.from() + ", may " + verb + " message " + target));
    }
    if (at - entry.timestamp() > window) {
      return Optional.of(new ChangeRefusedException(Reason.TOO_LATE, "message " + target + " is older than "
          + words(window) + ", the most after which its author may " + verb + " it"));
    }
    return refusedIfDeleted(entry);
  }

  private Optional<HistoryEntry> held(String peer, String target) {
    return store.historyEntry(target).filter(entry -> entry.peer().equals(peer));
  }

  private static Optional<ChangeRefusedException> refusedIfDeleted(HistoryEntry entry) {
    return entry.deleted()
        ? Optional.of(new ChangeRefusedException(Reason.DELETED, "message " + entry.id() + " was deleted for everyone"))
        : Optional.empty();
  }

  private static ChangeRefusedException unknown(String peer, String target) {
    return new ChangeRefusedException(Reason.UNKNOWN_MESSAGE,
        "this device holds no message " + target + " in the conversation with " + peer);
  }

  private static String words(long window) {
    Duration duration = Duration.ofMillis(window);
    return duration.toDaysPart() > 0 ? duration.toDays() + " days" : duration.toMinutes() + " minutes";
  }

  /** Takes {@code from}'s reaction unless a later one of theirs is held; answers whether it took it. */
  boolean react(String from, Reaction reaction) {
    HistoryEntry entry = store.historyEntry(reaction.target()).orElseThrow();
    if (entry.reactionOf(from).filter(held -> held.timestamp() >= reaction.timestamp()).isPresent()) {
      return false;
    }
    store.replaceHistory(entry.withReaction(new MessageReaction(from, reaction.emoji(), reaction.timestamp())));
    return true;
  }

  /** Takes the edit unless a later one is held; answers whether it took it. */
  boolean edit(Edit edit) {
    HistoryEntry entry = store.historyEntry(edit.target()).orElseThrow();
    if (entry.editedAt() >= edit.timestamp()) {
      return false;
    }
    store.replaceHistory(entry.withEdit(edit.body(), edit.timestamp()));
    return true;
  }

  void delete(Delete delete) {
    store.replaceHistory(store.historyEntry(delete.target()).orElseThrow().withDeletion());
  }

  /** The texts of the conversation with {@code peer} this account received and has not read, oldest first. */
  List<String> unread(String peer) {
    return store.history(peer).stream().filter(entry -> entry.status() == MessageStatus.UNREAD)
        .map(HistoryEntry::id).toList();
  }

  /**
   * Marks read those of the targets that are texts of the conversation with {@code peer} this
   * account received ({@code outgoing} false: read here or on another of its devices) or sent
   * ({@code outgoing} true: a read receipt of the peer's); answers the ids of those it changed.
   */
  List<String> markRead(String peer, Collection<String> targets, boolean outgoing) {
    List<String> changed = new ArrayList<>();
    for (String target : targets) {
      held(peer, target).filter(entry -> entry.outgoing() == outgoing && entry.status() != MessageStatus.READ)
          .ifPresent(entry -> {
            store.replaceHistory(entry.withStatus(MessageStatus.READ));
            changed.add(target);
          });
    }
    return changed;
  }
}
