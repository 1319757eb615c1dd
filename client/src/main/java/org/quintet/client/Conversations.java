package org.quintet.client;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a person does in a conversation, as a messenger user expects it: texts and replies,
 * reactions, edits and deletions, marking it read, typing; and the account's name and settings.
 * A change to a text is held to the rules the receivers apply ({@link MessageChanges}) before
 * anything is sent, and kept here once the relay took it. The account's name goes to each account
 * before the first text it gets after the name changed.
 */
final class Conversations {
  private final LocalStore store;
  private final StoreWriter writer;
  private final Sender sender;
  private final MessageChanges changes;
  private final Clock clock;

  Conversations(LocalStore store, StoreWriter writer, Sender sender, Clock clock) {
    this.store = store;
    this.writer = writer;
    this.sender = sender;
    this.changes = new MessageChanges(store);
    this.clock = clock;
  }

  Future<SentMessage> sendText(String to, String body) {
    return text(to, body, null);
  }

  /** A text that quotes the start of the text {@code target} of the conversation. */
  Future<SentMessage> sendReply(String to, String target, String body) {
    refuse(changes.refusalToAnswer(to, target));
    HistoryEntry answered = store.historyEntry(target).orElseThrow();
    return text(to, body, Quote.of(target, answered.from(), answered.body()));
  }

  private Future<SentMessage> text(String to, String body, Quote quote) {
    if (body == null) {
      throw new IllegalArgumentException("a text needs a body");
    }
    Text text = new Text(body, clock.millis(), null, quote);
    return shareProfile(to).compose(v -> sender.send(to, text, false)).compose(sent -> {
      store.addHistory(new HistoryEntry(sent.id(), to, true, store.number(), store.deviceId(), text.timestamp(), body,
          quote, MessageStatus.SENT, 0, List.of()));
      return writer.save().map(saved -> sent);
    });
  }

  /** A file already uploaded ({@code pointer}), with its caption (null for none). */
  Future<SentMessage> sendAttachment(String to, AttachmentPointer pointer, String caption) {
    Attachment attachment = new Attachment(pointer, caption, clock.millis(), null, null);
    return shareProfile(to).compose(v -> sender.send(to, attachment, false)).compose(sent -> {
      store.addHistory(new HistoryEntry(sent.id(), to, true, store.number(), store.deviceId(), attachment.timestamp(),
          caption == null ? "" : caption, null, MessageStatus.SENT, 0, List.of(), pointer));
      return writer.save().map(saved -> sent);
    });
  }

  /** {@code emoji} for the text {@code target}; "" takes this account's reaction back. */
  Future<SentMessage> react(String to, String target, String emoji) {
    Reaction reaction = new Reaction(target, emoji, clock.millis(), null);
    refuse(changes.refusalToAnswer(to, target));
    return sender.send(to, reaction, false).compose(sent -> {
      changes.react(store.number(), reaction);
      return writer.save().map(saved -> sent);
    });
  }

  Future<SentMessage> edit(String to, String target, String body) {
    Edit edit = new Edit(target, body, clock.millis(), null);
    refuse(changes.refusalToEdit(to, store.number(), edit));
    return sender.send(to, edit, false).compose(sent -> {
      changes.edit(edit);
      return writer.save().map(saved -> sent);
    });
  }

  Future<SentMessage> deleteForEveryone(String to, String target) {
    Delete delete = new Delete(target, clock.millis(), null);
    refuse(changes.refusalToDelete(to, store.number(), delete));
    return sender.send(to, delete, false).compose(sent -> {
      changes.delete(delete);
      return writer.save().map(saved -> sent);
    });
  }

  /** Forgets the texts here and on this account's other devices; answers how many there were. */
  Future<Integer> deleteForMe(String peer, List<String> targets) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("name at least one message to delete");
    }
    targets.forEach(target -> refuse(changes.refusalToForget(peer, target)));
    long now = clock.millis();
    Future<Void> sent = Future.succeededFuture();
    for (List<String> batch : batches(targets)) {
      sent = sent.compose(v -> sender.sendToOwnDevices(new DeleteForMe(batch, now, peer)).mapEmpty());
    }
    return sent.compose(v -> {
      int removed = store.removeHistory(targets);
      return writer.save().map(saved -> removed);
    });
  }

  /**
   * Marks the conversation read: its texts this account received and had not read. The peer gets
   * a read receipt for them unless this account turned read receipts off, and this account's other
   * devices learn that it was read. Answers how many texts it marked.
   */
  Future<Integer> markRead(String peer) {
    List<String> unread = changes.unread(peer);
    long now = clock.millis();
    Future<Void> sent = Future.succeededFuture();
    for (List<String> batch : batches(unread)) {
      Read read = new Read(batch, now, null);
      // A receipt to the peer goes to this account's other devices as well, naming the peer.
      sent = sent.compose(v -> (store.readReceipts() ? sender.send(peer, read, false)
          : sender.sendToOwnDevices(read.withPeer(peer))).mapEmpty());
    }
    return sent.compose(v -> {
      changes.markRead(peer, unread, false);
      return writer.save().map(saved -> unread.size());
    });
  }

  /** Tells the peer's devices that are online now that this account is typing, or stopped. */
  Future<Void> typing(String peer, boolean typing) {
    return sender.send(peer, new Typing(typing, clock.millis(), null), true).mapEmpty();
  }

  /** The name this account shows: kept, sent to its other devices and to every account it has a conversation with. */
  Future<Void> setProfileName(String name) {
    Profile profile = new Profile(name, clock.millis(), null);
    // Refused as its receivers would refuse it, before it is kept.
    profile.encode();
    store.putProfile(store.number(), new ProfileName(name, profile.timestamp()));
    List<String> peers = store.peers().stream().filter(peer -> !peer.equals(store.number())).toList();
    Future<Void> sent = writer.save();
    // Every copy to a peer goes to this account's other devices too; with no peer, to them alone.
    if (peers.isEmpty()) {
      sent = sent.compose(v -> sender.sendToOwnDevices(profile).mapEmpty());
    }
    List<Throwable> failures = new ArrayList<>();
    for (String peer : peers) {
      sent = sent.compose(v -> shareProfile(peer).otherwise(error -> {
        // One account out of reach does not keep the others from the name; it gets it before the next text.
        failures.add(error);
        return null;
      }));
    }
    return sent.compose(v -> failures.isEmpty() ? Future.succeededFuture() : Future.failedFuture(failures.get(0)));
  }

  /** Sends the peer this account's name, unless it was sent that name already. */
  private Future<Void> shareProfile(String peer) {
    Optional<ProfileName> own = store.profile(store.number());
    if (own.isEmpty() || peer.equals(store.number()) || store.profileSharedAt(peer) >= own.get().timestamp()) {
      return Future.succeededFuture();
    }
    Profile profile = new Profile(own.get().name(), own.get().timestamp(), null);
    return sender.send(peer, profile, false).compose(sent -> {
      store.markProfileShared(peer, profile.timestamp());
      return writer.save();
    });
  }

  /** Whether this account sends read receipts and takes those of others: kept, and sent to its other devices. */
  Future<Void> setReadReceipts(boolean on) {
    Settings settings = new Settings(on, clock.millis(), null);
    store.putSettings(on, settings.timestamp());
    return writer.save().compose(v -> sender.sendToOwnDevices(settings)).mapEmpty();
  }

  /** A change the rules refuse is not sent. */
  private static void refuse(Optional<ChangeRefusedException> refusal) {
    if (refusal.isPresent()) {
      throw refusal.get();
    }
  }

  private static List<List<String>> batches(List<String> ids) {
    List<List<String>> batches = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += ContentLimits.MAX_TARGETS) {
      batches.add(ids.subList(from, Math.min(ids.size(), from + ContentLimits.MAX_TARGETS)));
    }
    return batches;
  }
}
