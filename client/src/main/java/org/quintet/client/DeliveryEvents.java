package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import org.quintet.protocol.Delivery.Event;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

/**
 * What the relay's events on the delivery connection do (docs/relay-api.md, "Delivery"), and what
 * the end of the connection means for this device: logged out, ended for good, or merely lost.
 */
final class DeliveryEvents {
  private final RelayAuth auth;
  private final LocalStore store;
  private final StoreWriter writer;
  private final AccountDirectory directory;
  private final PreKeys preKeys;
  private final MessageListener listener;
  private final LinkEvents linkEvents;

  DeliveryEvents(RelayAuth auth, LocalStore store, StoreWriter writer, AccountDirectory directory, PreKeys preKeys,
      MessageListener listener, LinkEvents linkEvents) {
    this.auth = auth;
    this.store = store;
    this.writer = writer;
    this.directory = directory;
    this.preKeys = preKeys;
    this.listener = listener;
    this.linkEvents = linkEvents;
  }

  Future<Void> onEvent(String text) {
    JsonObject event;
    try {
      event = new JsonObject(text);
    } catch (DecodeException e) {
      return Future.failedFuture(new ProtocolException(ProtocolError.MALFORMED, "an event that is not JSON"));
    }
    switch (event.getString("type", "")) {
      case Event.QUEUE_EMPTY -> listener.onQueueEmpty();
      case Event.PREKEYS_LOW -> preKeys.topUp(auth, writer).onFailure(listener::onError);
      case Event.DEVICES_CHANGED -> {
        return devicesChanged();
      }
      case Event.DEVICE_LINKED -> {
        linkEvents.publish(event);
        listener.onDeviceLinked(event.getLong("deviceId", 0L));
      }
      case Event.PAIRING_REQUEST, Event.PAIRING_WRONG_CODE, Event.PAIRING_CONFIRM, Event.PAIRING_ENDED ->
          linkEvents.publish(event);
      case Event.ERROR -> listener.onError(new RelayException(0, event.getString("error", "ERROR"),
          event.getString("message", ""), event));
      default -> {
        // Events of later versions of the relay: nothing this client needs to do.
      }
    }
    return Future.succeededFuture();
  }

  /** Fetches the account's list again and says which devices joined or left since the last one accepted. */
  private Future<Void> devicesChanged() {
    String own = store.number();
    return directory.known(own).compose(before -> directory.refresh(own).onSuccess(after -> {
      Set<Long> added = new TreeSet<>(after.deviceIds());
      added.removeAll(before.deviceIds());
      Set<Long> removed = new TreeSet<>(before.deviceIds());
      removed.removeAll(after.deviceIds());
      listener.onDevicesChanged(new DeviceChanges(added, removed));
    })).mapEmpty();
  }

  /** The relay logged this device out; {@code reason} is its word for why. */
  Future<Void> onLoggedOut(int code, String reason) {
    store.markLoggedOut(reason);
    return writer.save().onComplete(saved -> onEnded(new ConnectionClosed(code, reason, true)));
  }

  /** The connection ended for good. */
  void onEnded(ConnectionClosed closed) {
    listener.onClosed(closed);
    linkEvents.connectionLost(closed);
  }

  /** The relay no longer knows this device (removed or replaced while it was away). */
  void onForgotten() {
    onEnded(new ConnectionClosed(-1, store.statusReason(), true));
  }

  /** Linking that waits for the relay's events hears of the loss; the connection is opened again. */
  void onLost(ConnectionClosed closed) {
    linkEvents.connectionLost(closed);
  }
}
