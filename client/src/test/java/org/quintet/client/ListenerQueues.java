package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.quintet.protocol.Delivery;

/**
 * A listener that keeps what a receiving client reports, and what a companion being linked
 * shows, for a test thread to take.
 */
final class ListenerQueues implements LinkListener {
  final BlockingQueue<IncomingMessage> messages = new LinkedBlockingQueue<>();
  final BlockingQueue<Receipt> receipts = new LinkedBlockingQueue<>();
  /** Every content but a text that was taken in: reactions, edits, deletions, reads, typing, names, settings. */
  final BlockingQueue<Received<?>> received = new LinkedBlockingQueue<>();
  final BlockingQueue<HistoryProgress> history = new LinkedBlockingQueue<>();
  final BlockingQueue<Long> linked = new LinkedBlockingQueue<>();
  final BlockingQueue<DeviceChanges> deviceChanges = new LinkedBlockingQueue<>();
  final BlockingQueue<String> uris = new LinkedBlockingQueue<>();
  final BlockingQueue<String> codes = new LinkedBlockingQueue<>();
  /** Connections lost, each opened again after a pause. */
  final BlockingQueue<ConnectionClosed> lost = new LinkedBlockingQueue<>();
  volatile int reconnected;
  /** Anything else that went wrong: unreadable messages, errors, closes. */
  final BlockingQueue<Object> trouble = new LinkedBlockingQueue<>();
  volatile int queueEmpty;
  volatile int wrongCodes;

  @Override
  public void onMessage(IncomingMessage message) {
    messages.add(message);
  }

  @Override
  public void onReceipt(Receipt receipt) {
    receipts.add(receipt);
  }

  @Override
  public void onReaction(Received<Reaction> reaction) {
    received.add(reaction);
  }

  @Override
  public void onEdit(Received<Edit> edit) {
    received.add(edit);
  }

  @Override
  public void onDelete(Received<Delete> delete) {
    received.add(delete);
  }

  @Override
  public void onDeleteForMe(Received<DeleteForMe> deleted) {
    received.add(deleted);
  }

  @Override
  public void onRead(Received<Read> read) {
    received.add(read);
  }

  @Override
  public void onTyping(Received<Typing> typing) {
    received.add(typing);
  }

  @Override
  public void onProfile(Received<Profile> profile) {
    received.add(profile);
  }

  @Override
  public void onSettings(Received<Settings> settings) {
    received.add(settings);
  }

  /** The next content taken in, which must be a {@code type}. */
  @SuppressWarnings("unchecked")
  <T extends WritableContent> Received<T> next(Class<T> type) throws InterruptedException {
    Received<?> next = next(received, type.getSimpleName());
    if (!type.isInstance(next.content())) {
      throw new AssertionError("expected a " + type.getSimpleName() + ", got " + next);
    }
    return (Received<T>) next;
  }

  @Override
  public void onQueueEmpty() {
    queueEmpty++;
  }

  @Override
  public void onDeviceLinked(long deviceId) {
    linked.add(deviceId);
  }

  @Override
  public void onDevicesChanged(DeviceChanges changes) {
    deviceChanges.add(changes);
  }

  @Override
  public void onHistory(HistoryProgress progress) {
    history.add(progress);
  }

  @Override
  public void onLinkUri(String uri) {
    uris.add(uri);
  }

  @Override
  public void onLinkCode(String code) {
    codes.add(code);
  }

  @Override
  public void onWrongCode() {
    wrongCodes++;
  }

  @Override
  public void onUnreadable(UnreadableMessage message) {
    trouble.add(message);
  }

  @Override
  public void onError(Throwable error) {
    trouble.add(error);
  }

  @Override
  public void onClosed(ConnectionClosed closed) {
    trouble.add(closed);
  }

  /** The waits before each new attempt, as the client announced them. */
  final BlockingQueue<Long> reconnectDelays = new LinkedBlockingQueue<>();

  @Override
  public void onReconnecting(ConnectionClosed closed, long delayMillis) {
    lost.add(closed);
    reconnectDelays.add(delayMillis);
  }

  @Override
  public void onReconnected() {
    reconnected++;
  }

  /**
   * The next lost connection. A lost connection the device saw end (a close frame, a reset) comes
   * at once; one whose end never reached it (a machine that lost power sends nothing) is noticed by
   * the keepalive, within {@link Delivery.Keepalive#IDLE_TIMEOUT}: the wait allows for both.
   */
  ConnectionClosed nextLost() throws InterruptedException {
    ConnectionClosed item = lost.poll(Delivery.Keepalive.IDLE_TIMEOUT.toSeconds() + 20, TimeUnit.SECONDS);
    assertNotNull(item, "no lost connection arrived; trouble: " + trouble);
    return item;
  }

  IncomingMessage nextMessage() throws InterruptedException {
    return next(messages, "message");
  }

  Receipt nextReceipt() throws InterruptedException {
    return next(receipts, "receipt");
  }

  HistoryProgress nextHistory() throws InterruptedException {
    return next(history, "history part");
  }

  ConnectionClosed nextClose() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      Object item = trouble.poll(100, TimeUnit.MILLISECONDS);
      if (item instanceof ConnectionClosed closed) {
        return closed;
      }
    }
    throw new AssertionError("the connection did not close");
  }

  <T> T next(BlockingQueue<T> queue, String what) throws InterruptedException {
    T item = queue.poll(10, TimeUnit.SECONDS);
    assertNotNull(item, "no " + what + " arrived; trouble: " + trouble);
    return item;
  }
}
