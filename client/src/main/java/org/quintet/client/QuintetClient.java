package org.quintet.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.quintet.protocol.CertificatePin;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.LinkCode;
import org.quintet.protocol.ProtocolException;

/**
 * One device of a Quintet account, with its home directory: registration, sending, receiving,
 * linking (as the primary or as a companion), the account's devices and leaving the account.
 * Every method may be called from any thread; the work runs on one Vert.x event loop, so
 * sessions and the store change one step at a time, and the futures complete there.
 */
public final class QuintetClient implements AutoCloseable {
  /** Longer than stopping the delivery connection may take (it is bounded), plus a last write. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

  /** The relay a home that remembers none talks to: the relay's default on this machine. */
  public static final String DEFAULT_RELAY_URL = "http://127.0.0.1:8080";
  private final Context context;
  private final LocalStore store;
  private final RelayApi api;
  private final StoreWriter writer;
  private final RelayAuth auth;
  private final AccountDirectory directory;
  private final PreKeys preKeys;
  private final Registration registration;
  private final Sender sender;
  private final Conversations conversations;
  private final Attachments attachments;
  private final Linking linking;
  private final EnvelopeOpener opener;
  private final LinkEvents linkEvents = new LinkEvents();
  private final QrLinking qrLinking;
  private final CodeLinking codeLinking;
  private final CompanionLinking companionLinking;
  private final DeviceListSigner signer;
  private final Lifecycle lifecycle;
  private DeliveryConnection delivery;

  private QuintetClient(Vertx vertx, LocalStore store, String relayUrl, KeySource source, Clock clock) {
    this.context = vertx.getOrCreateContext();
    this.store = store;
    this.api = new RelayApi(vertx, relayUrl, new RelayTrust(store.relayPins()));
    this.writer = new StoreWriter(vertx, store);
    this.auth = new RelayAuth(api, store, writer);
    this.directory = new AccountDirectory(auth, store, writer);
    this.preKeys = new PreKeys(store, source);
    this.registration = new Registration(api, store, writer, preKeys, source);
    this.sender = new Sender(auth, store, writer, directory, source, clock);
    this.conversations = new Conversations(store, writer, sender, clock);
    this.attachments = new Attachments(vertx, store, conversations, new BlobTransfer(vertx, api, auth), source);
    this.linking = new Linking(api, store, writer, preKeys, directory, source);
    this.opener = new EnvelopeOpener(store, directory, source);
    this.signer = new DeviceListSigner(auth, store, directory);
    LinkCompletion completion = new LinkCompletion(signer, new HistorySender(store, sender, clock));
    this.qrLinking = new QrLinking(vertx, auth, store, linking, linkEvents, completion, source);
    this.codeLinking = new CodeLinking(vertx, auth, store, linking, linkEvents, completion, source);
    this.companionLinking = new CompanionLinking(vertx, api, linking, source);
    this.lifecycle = new Lifecycle(auth, store, writer, directory, signer);
  }

  /**
   * Opens the device in {@code home} (locking it for this process). {@code relayUrl} null means
   * the URL the home remembers, else {@link #DEFAULT_RELAY_URL}.
   */
  public static QuintetClient open(Vertx vertx, Path home, String relayUrl) throws IOException {
    return open(vertx, home, relayUrl, null);
  }

  /**
   * As {@link #open(Vertx, Path, String)}, and trusts the relay's certificate by {@code relayPins}
   * from now on ({@link CertificatePin} forms; the home remembers them): the owner's explicit
   * acceptance of a certificate no authority signed. Null keeps the pins the home holds; an empty
   * list goes back to the system's certificate authorities.
   */
  public static QuintetClient open(Vertx vertx, Path home, String relayUrl, List<String> relayPins)
      throws IOException {
    return open(vertx, home, relayUrl, relayPins, Clock.systemUTC());
  }

  /**
   * As {@link #open(Vertx, Path, String, List)}, with the time taken from {@code clock}: the times
   * of what this device sends, and the windows of edits and deletions it makes.
   */
  static QuintetClient open(Vertx vertx, Path home, String relayUrl, List<String> relayPins, Clock clock)
      throws IOException {
    if (relayUrl != null && !relayUrl.matches("https?://[^/\\s]+/?")) {
      throw new IllegalArgumentException("the relay URL is http://HOST:PORT or https://HOST:PORT, not " + relayUrl);
    }
    List<String> pins = relayPins == null ? null : relayPins.stream().map(CertificatePin::normalize).toList();
    LocalStore store = LocalStore.open(home, KeySource.secure());
    if (pins != null && !pins.equals(store.relayPins())) {
      store.setRelayPins(pins);
      try {
        store.write(store.pendingChanges());
      } catch (IOException | RuntimeException e) {
        store.close();
        throw e;
      }
    }
    String url = relayUrl != null ? relayUrl : store.relayUrl() != null ? store.relayUrl() : DEFAULT_RELAY_URL;
    return new QuintetClient(vertx, store, url, KeySource.secure(), clock);
  }

  public LocalStore store() {
    return store;
  }

  public String relayUrl() {
    return api.baseUrl();
  }

  // --- registration -----------------------------------------------------------------------------

  /**
   * Asks the relay to send a registration code to {@code number}; answers the code's lifetime and
   * where the relay sent it. A registered device refuses: registering is for a new device (it logs
   * out the old).
   */
  public Future<CodeRequested> register(String number) {
    return onContext(() -> {
      requireNumber(number);
      if (store.status() == LocalStore.Status.REGISTERED) {
        throw new IllegalStateException("this home is registered as " + store.number() + " already; use another home");
      }
      return registration.requestCode(number);
    });
  }

  /** Completes registration with the code: this device becomes the account's primary (device 1). */
  public Future<Void> verify(String code, String name, String platform) {
    return onContext(() -> registration.verify(code, name, platform));
  }

  // --- messages ---------------------------------------------------------------------------------

  /**
   * Encrypts a text for every device of {@code number} and every other device of this account,
   * after this account's name ({@link #setProfileName}) if {@code number} was not sent it yet.
   */
  public Future<SentMessage> sendText(String number, String body) {
    return inConversation(number, () -> conversations.sendText(number, body));
  }

  /**
   * Sends a file (a photo gets its size in pixels and a thumbnail): encrypted on this device under
   * a key of its own, uploaded to the relay, and pointed to by a message that carries the key.
   * {@code caption} may be null; {@code progress} hears how much of the blob the relay has. Fails
   * with {@link IllegalArgumentException} for a path that is no file or a file over the
   * protocol's limit, and with {@link RelayException} {@code 413 TOO_LARGE} or
   * {@code 507 OVER_QUOTA} when the relay takes no file that large or no more files of this account.
   */
  public Future<SentMessage> sendFile(String number, Path file, String caption, TransferProgress progress) {
    return inConversation(number, () -> attachments.send(number, file, caption, progress));
  }

  /**
   * Downloads the file the message {@code messageId} (hex) carries into
   * {@code HOME/attachments/MESSAGE_ID/NAME}, going on where an earlier download stopped, and checks
   * it against the SHA-256 its message gave; a file saved before is answered at once. Fails with
   * {@link ChangeRefusedException} for a message this device holds no file of, with
   * {@link ProtocolException} {@code AUTH_FAILED} for a blob that is not the file described, and
   * with {@link RelayException} {@code 404 UNKNOWN_BLOB} once the relay deleted it (30 days).
   */
  public Future<SavedAttachment> downloadAttachment(String messageId, TransferProgress progress) {
    return onContext(() -> {
      requireRegistered();
      return attachments.download(messageId, progress);
    });
  }

  /**
   * A text that answers the message {@code messageId} (hex) of the conversation with {@code number}:
   * it carries the message's author and the first {@value ContentLimits#MAX_QUOTE_CHARS} characters
   * of its text. Fails with {@link ChangeRefusedException} when this device holds no such message
   * or it was deleted.
   */
  public Future<SentMessage> sendReply(String number, String messageId, String body) {
    return inConversation(number, () -> conversations.sendReply(number, messageId, body));
  }

  /**
   * Reacts to the message {@code messageId} with one emoji, in place of this account's earlier
   * reaction to it. Fails with {@link IllegalArgumentException} for what is not an emoji by the
   * protocol's rules (empty, a space, a control character, more than
   * {@value ContentLimits#MAX_EMOJI_CHARS} UTF-16 units) and with {@link ChangeRefusedException}
   * as {@link #sendReply} does.
   */
  public Future<SentMessage> react(String number, String messageId, String emoji) {
    if (emoji == null || emoji.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("a reaction is one emoji; removeReaction takes one back"));
    }
    return inConversation(number, () -> conversations.react(number, messageId, emoji));
  }

  /** Takes back this account's reaction to the message {@code messageId}. */
  public Future<SentMessage> removeReaction(String number, String messageId) {
    return inConversation(number, () -> conversations.react(number, messageId, ""));
  }

  /**
   * Gives the message {@code messageId}, which this account wrote, a new text, on every device of
   * the conversation. Fails with {@link ChangeRefusedException}: {@code NOT_AUTHOR}, {@code TOO_LATE}
   * (more than 15 minutes after it was sent), {@code UNKNOWN_MESSAGE}, {@code DELETED}.
   */
  public Future<SentMessage> edit(String number, String messageId, String body) {
    return inConversation(number, () -> conversations.edit(number, messageId, body));
  }

  /**
   * Deletes the message {@code messageId}, which this account wrote, on every device of the
   * conversation. Fails as {@link #edit} does, the window being 2 days.
   */
  public Future<SentMessage> deleteForEveryone(String number, String messageId) {
    return inConversation(number, () -> conversations.deleteForEveryone(number, messageId));
  }

  /**
   * Deletes the messages of the conversation with {@code number} from this device and this
   * account's other devices, not the peer's; answers how many there were. Fails with
   * {@link ChangeRefusedException} {@code UNKNOWN_MESSAGE} when this device does not hold one of them.
   */
  public Future<Integer> deleteForMe(String number, List<String> messageIds) {
    return inConversation(number, () -> conversations.deleteForMe(number, List.copyOf(messageIds)));
  }

  /**
   * Marks the conversation with {@code number} read: its texts that this account received and had
   * not read. The peer gets a read receipt for them (unless read receipts are off,
   * {@link #setReadReceipts}) and this account's other devices mark them read too. Answers how many.
   */
  public Future<Integer> markRead(String number) {
    return inConversation(number, () -> conversations.markRead(number));
  }

  /**
   * Tells the devices of {@code number} that are online now that this account is typing
   * ({@code false}: it stopped). Nothing is queued for a device that is not connected.
   */
  public Future<Void> typing(String number, boolean typing) {
    return inConversation(number, () -> conversations.typing(number, typing));
  }

  /**
   * The name this account shows (1 to {@value ContentLimits#MAX_PROFILE_NAME_CHARS} characters, no
   * control character): kept, sent to this account's other devices and to every account it has a
   * conversation with (one that cannot be reached now gets it before the next text to it; the
   * future then fails with what went wrong).
   */
  public Future<Void> setProfileName(String name) {
    return onContext(() -> {
      requireRegistered();
      return conversations.setProfileName(name);
    });
  }

  /**
   * Whether this account sends read receipts and takes those of others (off: neither); kept and
   * sent to this account's other devices.
   */
  public Future<Void> setReadReceipts(boolean on) {
    return onContext(() -> {
      requireRegistered();
      return conversations.setReadReceipts(on);
    });
  }

  /**
   * The texts this device holds (sent and received, in every conversation; not those deleted) that
   * have every word of {@code query} in them, each word as typed or as the start of a longer one
   * ("din" finds "dinner"), in any script; the best matches first, at most {@code limit}. The query
   * is a person's words, not a query language: quotes, stars, AND, minus signs and colons are
   * looked for as text. Fails with {@link IllegalArgumentException} for a query with no words, or
   * a limit below 1.
   */
  public Future<List<SearchHit>> search(String query, int limit) {
    return onContext(() -> {
      SearchQuery search = SearchQuery.of(query, limit);
      // The search reads the database: the writes asked for so far go first.
      return writer.idle().compose(v -> context.executeBlocking(() -> store.search(search), false));
    });
  }

  /**
   * Sends {@code content} as it is, held to none of the rules the methods above keep: what a
   * client that breaks them sends, for the receivers' own rules to refuse.
   */
  Future<SentMessage> sendAsIs(String number, WritableContent content) {
    return inConversation(number, () -> sender.send(number, content, false));
  }

  private <T> Future<T> inConversation(String number, Supplier<Future<T>> work) {
    return onContext(() -> {
      requireNumber(number);
      requireRegistered();
      return work.get();
    });
  }

  /**
   * Opens the delivery connection; the listener gets what arrives until {@link #stopReceiving}.
   * Linking as the primary needs it: the relay's linking events come over it.
   */
  public Future<Void> receive(MessageListener listener) {
    return onContext(() -> {
      requireRegistered();
      return startReceiving(listener);
    });
  }

  private Future<Void> startReceiving(MessageListener listener) {
    if (delivery != null) {
      throw new IllegalStateException("this client is receiving already");
    }
    DeliveryConnection started = new DeliveryConnection(context.owner(), api, auth,
        new Inbox(store, writer, opener, listener),
        new DeliveryEvents(auth, store, writer, directory, preKeys, listener, linkEvents), listener);
    delivery = started;
    return started.start()
        .onSuccess(connected -> preKeys.topUpIfLow(auth, writer).onFailure(listener::onError))
        .onFailure(e -> {
          if (delivery == started) {
            delivery = null;
          }
        });
  }

  /** Finishes what was received (saved and acknowledged) and closes the delivery connection. */
  public Future<Void> stopReceiving() {
    return onContext(() -> {
      DeliveryConnection running = delivery;
      delivery = null;
      if (running == null) {
        return Future.succeededFuture();
      }
      // A primary's linking that waits for the relay's events will hear none now.
      return running.stop().onComplete(stopped -> linkEvents.connectionLost(new ConnectionClosed(-1, null, false)));
    });
  }

  // --- the account ------------------------------------------------------------------------------

  /**
   * The account's devices, as the relay lists them (name, platform, when linked, when last
   * active), after verifying the account's signed list.
   */
  public Future<List<DeviceInfo>> devices() {
    return onContext(() -> {
      requireRegistered();
      return directory.fetch(store.number()).map(fetched -> devices(fetched.account(), fetched.answer()));
    });
  }

  private List<DeviceInfo> devices(TrustedAccount trusted, JsonObject answer) {
    Set<Long> listed = trusted.deviceIds();
    List<DeviceInfo> devices = new ArrayList<>();
    JsonArray entries = answer.getJsonArray("devices", new JsonArray());
    for (int i = 0; i < entries.size(); i++) {
      JsonObject entry = entries.getJsonObject(i);
      long id = entry.getLong("deviceId", 0L);
      // Only what the signed list vouches for is shown as a device of this account.
      if (listed.contains(id)) {
        devices.add(new DeviceInfo(id, entry.getString("name"), entry.getString("platform"),
            entry.getLong("createdAt", 0L), entry.getLong("lastSeenAt", 0L), id == store.deviceId()));
      }
    }
    return devices;
  }

  /**
   * Forgets what this device accepted for {@code number} (account key, device list, sessions), so
   * that the next contact trusts the account's current key: for a number that moved to a new
   * primary, once its safety number was checked.
   */
  public Future<Void> trust(String number) {
    return onContext(() -> {
      requireNumber(number);
      store.forgetAccount(number);
      return writer.save();
    });
  }

  /**
   * Renames this device: the name every device of the account lists for it (they hear of it from
   * the relay). Answers the name the relay now keeps.
   */
  public Future<String> renameDevice(String name) {
    return onContext(() -> {
      requireRegistered();
      return rename(store.deviceId(), name);
    });
  }

  /**
   * Renames device {@code deviceId} of the account, as {@link #renameDevice(String)} does this one:
   * the primary renames any of them, a companion only itself.
   */
  public Future<String> renameDevice(long deviceId, String name) {
    return onContext(() -> {
      requireRegistered();
      if (deviceId != store.deviceId()) {
        requirePrimary();
      }
      return rename(deviceId, name);
    });
  }

  private Future<String> rename(long deviceId, String name) {
    requireDeviceName(name);
    return auth.call(HttpMethod.PUT, "/v1/devices/" + deviceId + "/name", new JsonObject().put("name", name))
        .map(renamed -> renamed.getString("name"));
  }

  /**
   * Primary: removes a companion from the account (the relay closes its connection and drops its
   * queue), then signs a device list without it; answers that list's version.
   */
  public Future<Long> removeDevice(long deviceId) {
    return onContext(() -> {
      requirePrimary();
      return lifecycle.removeDevice(deviceId);
    });
  }

  /**
   * Companion: leaves the account (the relay forgets this device) and wipes the home: keys,
   * sessions and history. The primary cannot log out; registering the number on a new phone
   * replaces it.
   */
  public Future<Void> logout() {
    return onContext(() -> {
      if (store.status() != LocalStore.Status.LOGGED_OUT) {
        requireRegistered();
        if (store.isPrimary()) {
          throw new IllegalStateException("the primary cannot log out; register the number on a new phone instead");
        }
      }
      return stopReceiving().compose(v -> lifecycle.logout());
    });
  }

  // --- linking: the primary ---------------------------------------------------------------------

  /**
   * Primary: links the companion whose QR code shows {@code uri} ({@code quintet://link?...}),
   * with {@link LinkOptions#DEFAULT}. The client must be receiving ({@link #receive}).
   */
  public Future<LinkedDevice> linkDevice(String uri) {
    return linkDevice(uri, LinkOptions.DEFAULT);
  }

  /**
   * Primary: links the companion whose QR code shows {@code uri}: certifies its identity, sends it
   * the sealed provisioning message, waits until it linked itself with the certificate
   * counter-signed, signs it into the device list and sends it the history. The client must be
   * receiving ({@link #receive}): the relay's events come over the delivery connection.
   */
  public Future<LinkedDevice> linkDevice(String uri, LinkOptions options) {
    return onContext(() -> {
      LinkUri parsed = LinkUri.parse(uri);
      requireLinkingPrimary();
      return qrLinking.link(parsed, options);
    });
  }

  /** Primary: links the companion that shows {@code code}, with {@link LinkOptions#DEFAULT}. */
  public Future<LinkedDevice> linkDeviceWithCode(String code) {
    return linkDeviceWithCode(code, LinkOptions.DEFAULT);
  }

  /**
   * Primary: links the companion that asked to join this account by number and shows
   * {@code code} ({@code XXXX-XXXX}). A wrong code fails with {@link LinkingException} of reason
   * {@code WRONG_CODE} (the relay allows a few); the request stays open for another call with the
   * right code. The client must be receiving ({@link #receive}).
   */
  public Future<LinkedDevice> linkDeviceWithCode(String code, LinkOptions options) {
    return onContext(() -> {
      String normalised;
      try {
        normalised = LinkCode.normalise(code);
      } catch (ProtocolException e) {
        throw new IllegalArgumentException("a linking code is 8 letters and digits, shown as XXXX-XXXX: "
            + DeviceListVerifier.detail(e));
      }
      requireLinkingPrimary();
      return codeLinking.link(normalised, options);
    });
  }

  // --- linking: a companion ---------------------------------------------------------------------

  /**
   * Companion, by QR: shows the listener a URI to put in a QR code (a new one at every rotation)
   * until a primary provisions this device; then links, connects, and the listener receives (the
   * history comes first). The home must not be registered.
   */
  public Future<LinkedAccount> linkAsCompanion(String name, String platform, LinkListener listener) {
    return onContext(() -> {
      requireDeviceName(name);
      return linking.prepareCompanion()
          .compose(identity -> companionLinking.byQr(identity, name, platform, listener))
          .compose(linked -> startReceiving(listener).map(linked));
    });
  }

  /**
   * Companion, by number and code: shows the listener a code to type on the primary of
   * {@code number}; once the primary answered under that code, links, connects, and the listener
   * receives (the history comes first). The home must not be registered.
   */
  public Future<LinkedAccount> linkAsCompanionWithCode(String number, String name, String platform,
      LinkListener listener) {
    return onContext(() -> {
      requireNumber(number);
      requireDeviceName(name);
      return linking.prepareCompanion()
          .compose(identity -> companionLinking.byCode(identity, number, name, platform, listener))
          .compose(linked -> startReceiving(listener).map(linked));
    });
  }

  // --- linking primitives -----------------------------------------------------------------------

  /** Companion: makes (or returns) the identity this device will link with. */
  public Future<IdentityKey> prepareCompanion() {
    return onContext(linking::prepareCompanion);
  }

  /** Primary: a certificate for a companion's identity, with the account's next device id. */
  public Future<DeviceCert> issueCompanionCert(IdentityKey companion) {
    return onContext(() -> {
      requirePrimary();
      return linking.nextDeviceId().map(deviceId -> linking.issue(companion, deviceId));
    });
  }

  /** Companion: checks and counter-signs the primary's certificate and registers with the relay. */
  public Future<DeviceCert> link(String number, DeviceCert issued, String name, String platform) {
    return onContext(() -> Futures.value(() -> linking.accept(
            new LinkPayloads.Provisioning(number, issued.accountKey(), issued.deviceId(), issued)))
        .compose(cert -> linking.register(number, cert, name, platform).map(linked -> cert)));
  }

  /** Primary: signs the companion's counter-signed certificate into the device list; answers the new version. */
  public Future<Long> addToDeviceList(DeviceCert counterSigned) {
    return onContext(() -> {
      requirePrimary();
      return Futures.of(() -> {
        counterSigned.verify(store.accountKey());
        return signer.add(counterSigned).map(account -> account.account().list().listVersion());
      });
    });
  }

  // --- plumbing ---------------------------------------------------------------------------------

  private static void requireNumber(String number) {
    if (!Envelope.isNumber(number)) {
      throw new IllegalArgumentException(number + " is not a number in E.164 form (+ and 6 to 15 digits)");
    }
  }

  private static void requireDeviceName(String name) {
    if (name == null || name.isBlank() || name.length() > LinkUri.MAX_NAME_LENGTH
        || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a device name is 1 to " + LinkUri.MAX_NAME_LENGTH + " printable characters");
    }
  }

  private void requireRegistered() {
    switch (store.status()) {
      case REGISTERED -> { }
      case LOGGED_OUT -> throw new NotRegisteredException("logged out: " + LogoutReason.describe(store.statusReason()));
      default -> throw new NotRegisteredException("this device is not registered; run register NUMBER first");
    }
  }

  private void requirePrimary() {
    requireRegistered();
    if (!store.isPrimary()) {
      throw new IllegalStateException("this is device " + store.deviceId() + " of " + store.number()
          + "; only the account's primary (device 1) links devices, removes them and renames others");
    }
  }

  /** The primary's linking waits for the relay's events, which come over the delivery connection. */
  private void requireLinkingPrimary() {
    requirePrimary();
    if (delivery == null) {
      throw new IllegalStateException("linking needs the delivery connection: call receive first");
    }
  }

  /** Runs the work on the client's event loop; whatever it throws fails the future. */
  private <T> Future<T> onContext(Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  /**
   * Stops receiving, waits for the store's last write, and releases the home. Does not close
   * Vert.x. Blocks: never call it on an event loop.
   */
  @Override
  public void close() throws IOException {
    Future<Void> stopped = onContext(() -> {
      companionLinking.cancel();
      return stopReceiving();
    });
    Future<Void> written = stopped.compose(v -> onContext(writer::idle));
    try {
      written.toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while closing the home");
    } catch (ExecutionException e) {
      throw new IOException("closing the home failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      // Stopping is itself bounded, so this is a bug; say which step did not end.
      throw new IOException("closing the home did not end within " + CLOSE_TIMEOUT.toSeconds() + " s (receiving "
          + (stopped.isComplete() ? "stopped" : "still stopping") + ", last store write "
          + (written.isComplete() ? "done" : "pending") + ")");
    } finally {
      api.close();
      store.close();
    }
  }
}
