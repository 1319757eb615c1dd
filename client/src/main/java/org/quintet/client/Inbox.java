package org.quintet.client;

import io.vertx.core.Future;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

/**
 * What a received envelope does: a delivery receipt is reported once; a message is opened and its
 * content taken in (a text into the history, a history part from the account's primary merged
 * into it), and everything it changed (session, used prekey, message id, text) is saved in one
 * transaction before the envelope may be acknowledged, so an acknowledged message is never lost
 * and one the relay delivers again is recognised by its id.
 */
final class Inbox {
  /** Nothing to report: an envelope seen before. */
  private static final Runnable NOTHING = () -> { };
  private final LocalStore store;
  private final StoreWriter writer;
  private final EnvelopeOpener opener;
  private final MessageListener listener;

  Inbox(LocalStore store, StoreWriter writer, EnvelopeOpener opener, MessageListener listener) {
    this.store = store;
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

  /** The one place that says what each content type does. */
  private Runnable content(Envelope envelope, Content content) {
    if (content instanceof Text text) {
      return text(envelope, text);
    }
    if (content instanceof HistoryPart part) {
      return history(envelope, part);
    }
    if (!(content instanceof UnknownContent unknown)) {
      // A content this device reads but does not act on yet: acknowledged, so the queue goes on.
      return NOTHING;
    }
    boolean outgoing = envelope.source().equals(store.number());
    UnsupportedMessage message = new UnsupportedMessage(Bytes.hex(envelope.messageId()), envelope.source(),
        envelope.sourceDevice(), envelope.serverTimestamp(), unknown.type(),
        conversation(envelope, unknown.peer(), outgoing), outgoing);
    return () -> listener.onUnsupported(message);
  }

  /**
   * Only the account's own devices say which conversation a message belongs to; anyone else's
   * message belongs to the conversation with them.
   */
  private static String conversation(Envelope envelope, String peer, boolean outgoing) {
    return outgoing && peer != null ? peer : envelope.source();
  }

  private Runnable text(Envelope envelope, Text content) {
    String id = Bytes.hex(envelope.messageId());
    boolean outgoing = envelope.source().equals(store.number());
    String peer = conversation(envelope, content.peer(), outgoing);
    IncomingMessage message = new IncomingMessage(id, envelope.source(), envelope.sourceDevice(),
        content.timestamp(), envelope.serverTimestamp(), content.body(), peer, outgoing);
    store.addHistory(new HistoryEntry(id, peer, outgoing, envelope.source(), envelope.sourceDevice(),
        content.timestamp(), content.body()));
    return () -> listener.onMessage(message);
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
    Receipt receipt = new Receipt(id, envelope.source(), envelope.sourceDevice(), envelope.serverTimestamp(),
        store.historyEntry(id).map(HistoryEntry::body).orElse(null));
    return () -> listener.onReceipt(receipt);
  }

  private Runnable unreadable(Envelope envelope, String why) {
    UnreadableMessage message = new UnreadableMessage(Bytes.hex(envelope.messageId()), envelope.source(),
        envelope.sourceDevice(), why);
    return () -> listener.onUnreadable(message);
  }
}
