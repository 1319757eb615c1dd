package org.quintet.client;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

/**
 * What a received envelope does: a delivery receipt is reported once (and marks the text
 * delivered); a message is opened and its content taken in (a text into the history, a change to
 * a text applied to it, a history part from the account's primary merged into it, a name or the
 * account's settings kept), and everything it changed (session, used prekey, message id, text) is
 * saved in one transaction before the envelope may be acknowledged, so an acknowledged message is
 * never lost and one the relay delivers again is recognised by its id.
 */
final class Inbox {
  /** Nothing to report: an envelope seen before, or a content dropped. */
  private static final Runnable NOTHING = () -> { };
  private final LocalStore store;
  private final MessageChanges changes;
  private final StoreWriter writer;
  private final EnvelopeOpener opener;
  private final MessageListener listener;

  Inbox(LocalStore store, StoreWriter writer, EnvelopeOpener opener, MessageListener listener) {
    this.store = store;
    this.changes = new MessageChanges(store);
    this.writer = writer;
    this.opener = opener;
    this.listener = listener;
  }

  /**
   * Takes the envelope in and saves what it changed. Succeeds, once the envelope may be
   * acknowledged, with what to report to the listener after the acknowledgement; fails when it
   * must stay on the relay, which sends it again on the next connection.
   */
  Future<Runnable> receive(Envelope envelope) {
    return take(envelope).compose(report -> writer.save().map(saved -> report));
  }

  private Future<Runnable> take(Envelope envelope) {
    if (envelope.kind() == Envelope.KIND_DELIVERY_RECEIPT) {
      return Future.succeededFuture(receipt(envelope));
    }
    String id = Bytes.hex(envelope.messageId());
    if (store.hasSeen(id)) {
      return Future.succeededFuture(NOTHING);
    }
    Future<Content> read = opener.open(envelope).compose(plaintext -> Futures.value(() -> Content.decode(plaintext)));
    return read.transform(opened -> {
      if (opened.succeeded()) {
        store.markSeen(id);
        return Future.succeededFuture(content(envelope, opened.result()));
      }
      Throwable error = opened.cause();
      if (!isPermanent(error)) {
        return Future.failedFuture(error);
      }
      // Saved with whatever opening changed: a session that decrypted a message it could not use
      // must still not decrypt it again.
      store.markSeen(id);
      if (error instanceof ProtocolException refused && refused.error() == ProtocolError.DUPLICATE) {
        return Future.succeededFuture(NOTHING);
      }
      return Future.succeededFuture(unreadable(envelope, error.getMessage()));
    });
  }

  /**
   * A refusal that would be the same next time: the message can never be read. A sender whose
   * account key changed is not one: its messages stay on the relay until the user trusts the new
   * key ({@link QuintetClient#trust}) or they expire.
   */
  private static boolean isPermanent(Throwable error) {
    if (error instanceof ProtocolException refused) {
      return refused.error() != ProtocolError.ACCOUNT_MISMATCH;
    }
    return error instanceof RelayException refused && refused.status() == 404;
  }

  /**
   * The one place that says what each content type does. A change to a text that its rules do not
   * allow (docs/protocol.md, "Contents": a target this device does not hold, a sender who may not
   * make it, a window that is past), or a content only this account's own devices may send that
   * came from another, is dropped without a trace: acknowledged, nothing shown.
   */
  private Runnable content(Envelope envelope, Content content) {
    if (content instanceof HistoryPart part) {
      return history(envelope, part);
    }
    boolean outgoing = envelope.source().equals(store.number());
    if (content instanceof UnknownContent unknown) {
      UnsupportedMessage message = new UnsupportedMessage(Bytes.hex(envelope.messageId()), envelope.source(),
          envelope.sourceDevice(), envelope.serverTimestamp(), unknown.type(),
          conversation(envelope, unknown.peer(), outgoing), outgoing);
      return () -> listener.onUnsupported(message);
    }
    WritableContent written = (WritableContent) content;
    String peer = conversation(envelope, written.peer(), outgoing);
    if (content instanceof Text text) {
      return text(envelope, text.body(), text.timestamp(), text.quote(), null, peer, outgoing);
    }
    if (content instanceof Attachment attachment) {
      String caption = attachment.caption() == null ? "" : attachment.caption();
      return text(envelope, caption, attachment.timestamp(), attachment.quote(), attachment.pointer(), peer, outgoing);
    }
    if (content instanceof Reaction reaction) {
      Received<Reaction> received = received(envelope, peer, outgoing, reaction);
      return changes.refusalToAnswer(peer, reaction.target()).isEmpty() && changes.react(envelope.source(), reaction)
          ? () -> listener.onReaction(received) : NOTHING;
    }
    if (content instanceof Edit edit) {
      Received<Edit> received = received(envelope, peer, outgoing, edit);
      return changes.refusalToEdit(peer, envelope.source(), edit).isEmpty() && changes.edit(edit)
          ? () -> listener.onEdit(received) : NOTHING;
    }
    if (content instanceof Delete delete) {
      if (changes.refusalToDelete(peer, envelope.source(), delete).isPresent()) {
        return NOTHING;
      }
      changes.delete(delete);
      Received<Delete> received = received(envelope, peer, outgoing, delete);
      return () -> listener.onDelete(received);
    }
    if (content instanceof Read read) {
      return read(received(envelope, peer, outgoing, read));
    }
    if (content instanceof Typing typing) {
      Received<Typing> received = received(envelope, peer, outgoing, typing);
      return outgoing ? NOTHING : () -> listener.onTyping(received);
    }
    if (content instanceof Profile profile) {
      return profile(received(envelope, peer, outgoing, profile));
    }
    if (!outgoing) {
      return NOTHING;
    }
    if (content instanceof DeleteForMe deleted) {
      store.removeHistory(deleted.targets());
      Received<DeleteForMe> received = received(envelope, peer, true, deleted);
      return () -> listener.onDeleteForMe(received);
    }
    Settings settings = (Settings) content;
    Received<Settings> received = received(envelope, peer, true, settings);
    return store.putSettings(settings.readReceipts(), settings.timestamp()) ? () -> listener.onSettings(received)
        : NOTHING;
  }

  private static <T extends WritableContent> Received<T> received(Envelope envelope, String peer, boolean outgoing,
      T content) {
    return new Received<>(Bytes.hex(envelope.messageId()), envelope.source(), envelope.sourceDevice(),
        envelope.serverTimestamp(), peer, outgoing, content);
  }

  /**
   * Only the account's own devices say which conversation a message belongs to; anyone else's
   * message belongs to the conversation with them.
   */
  private static String conversation(Envelope envelope, String peer, boolean outgoing) {
    return outgoing && peer != null ? peer : envelope.source();
  }

  /** A text, or a file with its caption: kept in its conversation, unread until read. */
  private Runnable text(Envelope envelope, String body, long timestamp, Quote quote, AttachmentPointer attachment,
      String peer, boolean outgoing) {
    String id = Bytes.hex(envelope.messageId());
    IncomingMessage message = new IncomingMessage(id, envelope.source(), envelope.sourceDevice(), timestamp,
        envelope.serverTimestamp(), body, peer, outgoing, quote, attachment);
    store.addHistory(new HistoryEntry(id, peer, outgoing, envelope.source(), envelope.sourceDevice(), timestamp, body,
        quote, outgoing ? MessageStatus.SENT : MessageStatus.UNREAD, 0, List.of(), attachment));
    return () -> listener.onMessage(message);
  }

  /**
   * From another device of this account, with the peer: the conversation was read there. From the
   * peer: a read receipt for texts this account sent, taken only while this account takes them.
   */
  private Runnable read(Received<Read> received) {
    Read read = received.content();
    if (received.outgoing() ? read.peer() == null : !store.readReceipts()) {
      return NOTHING;
    }
    List<String> marked = changes.markRead(received.peer(), read.targets(), !received.outgoing());
    return marked.isEmpty() ? NOTHING : () -> listener.onRead(received);
  }

  /** An account's name: this account's own from its other devices, anyone else's from them. */
  private Runnable profile(Received<Profile> received) {
    Profile profile = received.content();
    if (received.outgoing() && profile.peer() != null) {
      // Another device of this account sent the peer its name: this one need not.
      store.markProfileShared(profile.peer(), profile.timestamp());
    }
    return store.putProfile(received.from(), new ProfileName(profile.name(), profile.timestamp()))
        ? () -> listener.onProfile(received) : NOTHING;
  }

  /**
   * A part of the history the primary sends after linking this device. Only the account's primary
   * speaks for the account's past: history from any other device is not taken.
   */
  private Runnable history(Envelope envelope, HistoryPart part) {
    if (!envelope.source().equals(store.number()) || envelope.sourceDevice() != DeviceCert.PRIMARY_DEVICE_ID) {
      return unreadable(envelope, "a history that does not come from this account's primary");
    }
    int added = store.mergeHistory(part.messages());
    part.profiles().forEach(store::putProfile);
    HistoryProgress progress = new HistoryProgress(part.part(), part.parts(), part.messages().size(), added,
        store.historyPartReceived(part.part(), part.parts()));
    return () -> listener.onHistory(progress);
  }

  private Runnable receipt(Envelope envelope) {
    String id = Bytes.hex(envelope.messageId());
    String key = "receipt/" + id + "/" + envelope.source() + "/" + envelope.sourceDevice();
    if (store.hasSeen(key)) {
      return NOTHING;
    }
    store.markSeen(key);
    Optional<HistoryEntry> text = store.historyEntry(id);
    if (!envelope.source().equals(store.number())) {
      text.filter(HistoryEntry::outgoing).ifPresent(sent -> store.replaceHistory(sent.withStatus(MessageStatus.DELIVERED)));
    }
    Receipt receipt = new Receipt(id, envelope.source(), envelope.sourceDevice(), envelope.serverTimestamp(),
        text.map(HistoryEntry::body).orElse(null));
    return () -> listener.onReceipt(receipt);
  }

  private Runnable unreadable(Envelope envelope, String why) {
    UnreadableMessage message = new UnreadableMessage(Bytes.hex(envelope.messageId()), envelope.source(),
        envelope.sourceDevice(), why);
    return () -> listener.onUnreadable(message);
  }
}
