package org.quintet.cli;

import org.quintet.client.ConnectionClosed;
import org.quintet.client.Delete;
import org.quintet.client.DeleteForMe;
import org.quintet.client.DeviceChanges;
import org.quintet.client.Edit;
import org.quintet.client.HistoryProgress;
import org.quintet.client.IncomingMessage;
import org.quintet.client.LinkListener;
import org.quintet.client.Profile;
import org.quintet.client.Reaction;
import org.quintet.client.Read;
import org.quintet.client.Receipt;
import org.quintet.client.Received;
import org.quintet.client.Settings;
import org.quintet.client.Typing;
import org.quintet.client.UnreadableMessage;
import org.quintet.client.UnsupportedMessage;

/**
 * Prints everything a connected device reports, so that nothing a verb receives on the way goes
 * unseen. A verb that must know when it is done extends it. Runs on the client's event loop.
 */
class PrintingListener implements LinkListener {
  final MessagePrinter printer;

  PrintingListener(MessagePrinter printer) {
    this.printer = printer;
  }

  /** Something was printed; a verb that waits for quiet starts waiting again. */
  void activity() {}

  @Override
  public void onMessage(IncomingMessage message) {
    printer.message(message);
    activity();
  }

  private void received(Received<?> received) {
    printer.received(received);
    activity();
  }

  @Override
  public void onReaction(Received<Reaction> reaction) {
    received(reaction);
  }

  @Override
  public void onEdit(Received<Edit> edit) {
    received(edit);
  }

  @Override
  public void onDelete(Received<Delete> delete) {
    received(delete);
  }

  @Override
  public void onDeleteForMe(Received<DeleteForMe> deleted) {
    received(deleted);
  }

  @Override
  public void onRead(Received<Read> read) {
    received(read);
  }

  @Override
  public void onTyping(Received<Typing> typing) {
    received(typing);
  }

  @Override
  public void onProfile(Received<Profile> profile) {
    received(profile);
  }

  @Override
  public void onSettings(Received<Settings> settings) {
    received(settings);
  }

  @Override
  public void onReceipt(Receipt receipt) {
    printer.receipt(receipt);
    activity();
  }

  @Override
  public void onUnreadable(UnreadableMessage message) {
    printer.unreadable(message);
    activity();
  }

  @Override
  public void onUnsupported(UnsupportedMessage message) {
    printer.unsupported(message);
    activity();
  }

  @Override
  public void onDeviceLinked(long deviceId) {
    printer.deviceLinked(deviceId);
    activity();
  }

  @Override
  public void onDevicesChanged(DeviceChanges changes) {
    printer.devicesChanged(changes);
    activity();
  }

  @Override
  public void onHistory(HistoryProgress progress) {
    printer.history(progress);
    activity();
  }

  @Override
  public void onError(Throwable error) {
    printer.warning(Failures.describe(Failures.unwrap(error)));
  }

  @Override
  public void onClosed(ConnectionClosed closed) {
    printer.closed(closed);
  }

  @Override
  public void onReconnecting(ConnectionClosed closed, long delayMillis) {
    printer.warning(closed.description() + "; connecting again in " + Math.max(1, delayMillis / 1000) + " s");
  }

  @Override
  public void onReconnected() {
    printer.warning("connected to the relay again");
  }
}
