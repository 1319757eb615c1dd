package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A listener that keeps what a receiving client reports, for a test thread to take. */
final class Inbox implements MessageListener {
  final BlockingQueue<IncomingMessage> messages = new LinkedBlockingQueue<>();
  final BlockingQueue<Receipt> receipts = new LinkedBlockingQueue<>();
  /** Anything else that went wrong: unreadable messages, errors, closes. */
  final BlockingQueue<Object> trouble = new LinkedBlockingQueue<>();
  volatile int queueEmpty;

  @Override
  public void onMessage(IncomingMessage message) {
    messages.add(message);
  }

  @Override
  public void onReceipt(Receipt receipt) {
    receipts.add(receipt);
  }

  @Override
  public void onQueueEmpty() {
    queueEmpty++;
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

  IncomingMessage nextMessage() throws InterruptedException {
    IncomingMessage message = messages.poll(10, TimeUnit.SECONDS);
    assertNotNull(message, "no message arrived; trouble: " + trouble);
    return message;
  }

  Receipt nextReceipt() throws InterruptedException {
    Receipt receipt = receipts.poll(10, TimeUnit.SECONDS);
    assertNotNull(receipt, "no receipt arrived; trouble: " + trouble);
    return receipt;
  }
}
