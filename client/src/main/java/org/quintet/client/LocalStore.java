package org.quintet.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.quintet.protocol.Ed25519KeyPair;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.PreKeyStore;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.Session;
import org.quintet.protocol.X25519KeyPair;

/**
 * Everything one device keeps in its home directory: identity, number, device and registration
 * ids, relay URL, the private halves of its prekeys, its sessions, the device lists it accepted,
 * the ids of what it received (bounded, for de-duplication) and its message history.
 *
 * <p>The whole state is one JSON file, replaced atomically by {@link #save}, so a change that
 * spans several parts (a session step, a used one-time prekey, a message id and its text) is
 * durable all at once or not at all. The directory is the owner's only (0700, the file 0600), and
 * a lock file keeps two processes from using one home: both would step the same ratchets and one
 * would overwrite the other's state, re-using message keys.
 *
 * <p>Methods are synchronized so that the owner thread can read while a client's event loop
 * changes state. Sessions handed out are live objects: whoever steps one must save afterwards.
 */
public final class LocalStore implements PreKeyStore, AutoCloseable {
  public static final String STATE_FILE = "state.json";
  static final String LOCK_FILE = "lock";
  /** Message ids remembered for de-duplication: far more than the relay's delivery window. */
  static final int MAX_SEEN = 10_000;
  /** Texts kept for history; the oldest go first, so the file stays a size that is cheap to rewrite. */
  static final int MAX_HISTORY = 10_000;
  /** Sessions kept per remote device: the active one and a few it replaced. */
  static final int MAX_SESSIONS_PER_DEVICE = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the device is in its life. */
  public enum Status {
    /** Nothing registered or linked yet. */
    NEW,
    /** A registration code was requested for {@link #number()}. */
    CODE_REQUESTED,
    /** A companion identity was made; linking has not completed. */
    LINKING,
    REGISTERED,
    /** The relay removed the device or the number moved to a new primary; see {@link #statusReason()}. */
    LOGGED_OUT
  }

  private final Path home;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private StoreFile file;
  /** Per {@code number/deviceId}: the sessions with that device, the active one first. */
  private final Map<String, List<Session>> sessions = new HashMap<>();
  private final LinkedHashSet<String> seen;

  private LocalStore(Path home, KeySource source, FileChannel lockChannel, FileLock lock, StoreFile file)
      throws IOException {
    this.home = home;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.file = file;
    this.seen = new LinkedHashSet<>(file.seen);
    for (Map.Entry<String, List<byte[]>> entry : file.sessions.entrySet()) {
      List<Session> held = new ArrayList<>();
      for (byte[] saved : entry.getValue()) {
        try {
          held.add(Session.fromBytes(source, saved));
        } catch (ProtocolException e) {
          throw new IOException(home.resolve(STATE_FILE) + " holds a damaged session (" + e.error() + ")");
        }
      }
      sessions.put(entry.getKey(), held);
    }
  }

  /**
   * Opens (creating if needed) the home directory and locks it for this process. {@code source}
   * draws the future ratchet keys of the sessions it restores.
   *
   * @throws HomeInUseException when another process holds it
   */
  public static LocalStore open(Path home, KeySource source) throws IOException {
    AtomicFile.ownerOnlyDirectory(home);
    FileChannel lockChannel = FileChannel.open(home.resolve(LOCK_FILE),
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), AtomicFile.ownerOnly(AtomicFile.OWNER_ONLY_FILE));
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new HomeInUseException(home);
    }
    try {
      Path state = home.resolve(STATE_FILE);
      StoreFile file = Files.exists(state) ? read(state) : new StoreFile();
      return new LocalStore(home, source, lockChannel, lock, file);
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  private static StoreFile read(Path state) throws IOException {
    StoreFile file;
    try {
      file = JSON.readValue(Files.readAllBytes(state), StoreFile.class);
    } catch (JsonProcessingException e) {
      throw new IOException(state + " is not a state file this version can read: " + e.getOriginalMessage());
    }
    if (file.format != StoreFile.FORMAT) {
      throw new IOException(state + " has format " + file.format + "; this version reads format " + StoreFile.FORMAT);
    }
    return file;
  }

  public Path home() {
    return home;
  }

  // --- persistence ------------------------------------------------------------------------------

  /** The state as it is now, serialised; cheap enough for an event loop, unlike {@link #write}. */
  public synchronized byte[] snapshot() {
    file.sessions.clear();
    sessions.forEach((key, held) -> file.sessions.put(key, held.stream().map(Session::toBytes).toList()));
    file.seen = new ArrayList<>(seen);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(file);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("the state does not serialise", e);
    }
  }

  /** Replaces the state file with a snapshot, atomically and durably (blocking). */
  public void write(byte[] snapshot) throws IOException {
    AtomicFile.write(home.resolve(STATE_FILE), snapshot);
  }

  public void save() throws IOException {
    write(snapshot());
  }

  @Override
  public synchronized void close() throws IOException {
    if (lock.isValid()) {
      lock.release();
    }
    lockChannel.close();
  }

  // --- who this device is -----------------------------------------------------------------------

  public synchronized String relayUrl() {
    return file.relayUrl;
  }

  public synchronized void setRelayUrl(String relayUrl) {
    file.relayUrl = relayUrl;
  }

  public synchronized String number() {
    return file.number;
  }

  public synchronized Status status() {
    return file.status;
  }

  public synchronized String statusReason() {
    return file.statusReason;
  }

  public synchronized long deviceId() {
    return file.deviceId;
  }

  public synchronized int registrationId() {
    return file.registrationId;
  }

  public synchronized boolean isPrimary() {
    return file.status == Status.REGISTERED && file.deviceId == 1;
  }

  public synchronized byte[] accountKey() {
    return file.accountKey == null ? null : file.accountKey.clone();
  }

  public synchronized Optional<IdentityKeyPair> identity() {
    if (file.identitySigningSeed == null) {
      return Optional.empty();
    }
    return Optional.of(new IdentityKeyPair(Ed25519KeyPair.fromSeed(file.identitySigningSeed),
        X25519KeyPair.fromPrivate(file.identityAgreementKey)));
  }

  /**
   * Starts a new device life: forgets every key, session and account of the previous one (its
   * history stays), and records the number and the new status.
   */
  public synchronized void startOver(String number, Status status) {
    StoreFile fresh = new StoreFile();
    fresh.relayUrl = file.relayUrl;
    fresh.history = file.history;
    fresh.number = number;
    fresh.status = status;
    file = fresh;
    sessions.clear();
    seen.clear();
  }

  public synchronized void setIdentity(IdentityKeyPair identity, int registrationId) {
    file.identitySigningSeed = identity.signing().seed();
    file.identityAgreementKey = identity.agreement().privateKey();
    file.registrationId = registrationId;
  }

  /** Records that the relay accepted this device as {@code deviceId} of the account {@code accountKey}. */
  public synchronized void markRegistered(String number, long deviceId, byte[] accountKey) {
    file.number = number;
    file.deviceId = deviceId;
    file.accountKey = accountKey.clone();
    file.status = Status.REGISTERED;
    file.statusReason = null;
  }

  /** {@code reason} is the relay's word for it (see {@link LogoutReason}). */
  public synchronized void markLoggedOut(String reason) {
    file.status = Status.LOGGED_OUT;
    file.statusReason = reason;
  }

  /**
   * Forgets everything this device held (keys, sessions, accounts, history) but which number it
   * was and its relay: what logging out leaves behind.
   */
  public synchronized void wipe(String reason) {
    StoreFile wiped = new StoreFile();
    wiped.relayUrl = file.relayUrl;
    wiped.number = file.number;
    wiped.status = Status.LOGGED_OUT;
    wiped.statusReason = reason;
    file = wiped;
    sessions.clear();
    seen.clear();
  }

  // --- prekeys ----------------------------------------------------------------------------------

  public synchronized long nextSignedPreKeyId() {
    return file.nextSignedPreKeyId;
  }

  public synchronized void addSignedPreKey(long id, X25519KeyPair keyPair) {
    file.signedPreKeys.put(id, keyPair.privateKey());
    file.nextSignedPreKeyId = Math.max(file.nextSignedPreKeyId, id + 1);
  }

  public synchronized long nextOneTimePreKeyId() {
    return file.nextOneTimePreKeyId;
  }

  public synchronized void addOneTimePreKey(long id, X25519KeyPair keyPair) {
    file.oneTimePreKeys.put(id, keyPair.privateKey());
    file.nextOneTimePreKeyId = Math.max(file.nextOneTimePreKeyId, id + 1);
  }

  public synchronized int oneTimePreKeyCount() {
    return file.oneTimePreKeys.size();
  }

  @Override
  public synchronized X25519KeyPair signedPreKey(long id) {
    byte[] privateKey = file.signedPreKeys.get(id);
    return privateKey == null ? null : X25519KeyPair.fromPrivate(privateKey);
  }

  @Override
  public synchronized X25519KeyPair oneTimePreKey(long id) {
    byte[] privateKey = file.oneTimePreKeys.get(id);
    return privateKey == null ? null : X25519KeyPair.fromPrivate(privateKey);
  }

  @Override
  public synchronized void removeOneTimePreKey(long id) {
    file.oneTimePreKeys.remove(id);
  }

  // --- companions (primary) ---------------------------------------------------------------------

  public synchronized long nextCompanionId() {
    return file.nextCompanionId;
  }

  public synchronized void setNextCompanionId(long id) {
    file.nextCompanionId = Math.max(file.nextCompanionId, id);
  }

  // --- sessions ---------------------------------------------------------------------------------

  /** The active session with a device: the one this device encrypts with. */
  public synchronized Optional<Session> session(String number, long deviceId) {
    List<Session> held = sessions.get(sessionKey(number, deviceId));
    return held == null || held.isEmpty() ? Optional.empty() : Optional.of(held.get(0));
  }

  /** Every session held with a device, the active one first. */
  public synchronized List<Session> sessions(String number, long deviceId) {
    return List.copyOf(sessions.getOrDefault(sessionKey(number, deviceId), List.of()));
  }

  /**
   * Makes the session the active one with the device. The ones it replaces are kept (at most
   * {@value #MAX_SESSIONS_PER_DEVICE} in all): when two devices start sessions with each other at
   * once, each side's next message may come in either, and a message of a kept session still opens.
   */
  public synchronized void putSession(String number, long deviceId, Session session) {
    List<Session> held = sessions.computeIfAbsent(sessionKey(number, deviceId), key -> new ArrayList<>());
    held.remove(session);
    held.add(0, session);
    if (held.size() > MAX_SESSIONS_PER_DEVICE) {
      held.subList(MAX_SESSIONS_PER_DEVICE, held.size()).clear();
    }
  }

  /** Forgets every session with the device. */
  public synchronized void removeSession(String number, long deviceId) {
    sessions.remove(sessionKey(number, deviceId));
  }

  public synchronized void removeSessions(String number) {
    sessions.keySet().removeIf(key -> key.startsWith(number + "/"));
  }

  private static String sessionKey(String number, long deviceId) {
    return number + "/" + deviceId;
  }

  // --- accounts ---------------------------------------------------------------------------------

  public synchronized Optional<KnownAccount> account(String number) {
    return Optional.ofNullable(file.accounts.get(number));
  }

  public synchronized void putAccount(String number, KnownAccount account) {
    file.accounts.put(number, account);
  }

  /** Forgets an account's key, list and sessions, so that the next contact trusts it anew. */
  public synchronized void forgetAccount(String number) {
    file.accounts.remove(number);
    removeSessions(number);
  }

  // --- de-duplication and history ---------------------------------------------------------------

  public synchronized boolean hasSeen(String key) {
    return seen.contains(key);
  }

  public synchronized void markSeen(String key) {
    seen.add(key);
    Iterator<String> oldest = seen.iterator();
    while (seen.size() > MAX_SEEN) {
      oldest.next();
      oldest.remove();
    }
  }

  public synchronized void addHistory(HistoryEntry entry) {
    file.history.add(entry);
    if (file.history.size() > MAX_HISTORY) {
      file.history.subList(0, file.history.size() - MAX_HISTORY).clear();
    }
  }

  /**
   * Adds the texts this device does not hold yet (by id), keeping the history in time order;
   * answers how many were added.
   */
  public synchronized int mergeHistory(List<HistoryEntry> texts) {
    Set<String> held = new HashSet<>();
    file.history.forEach(entry -> held.add(entry.id()));
    int before = file.history.size();
    texts.stream().filter(text -> held.add(text.id())).forEach(file.history::add);
    int added = file.history.size() - before;
    file.history.sort(Comparator.comparingLong(HistoryEntry::timestamp));
    if (file.history.size() > MAX_HISTORY) {
      file.history.subList(0, file.history.size() - MAX_HISTORY).clear();
    }
    return added;
  }

  /**
   * Records that a part of the primary's history came; answers whether every part of its transfer
   * has (in any order). A part of a transfer with another number of parts starts a new one.
   */
  public synchronized boolean historyPartReceived(int part, int parts) {
    if (file.historyParts != parts) {
      file.historyParts = parts;
      file.historyPartsReceived = new ArrayList<>();
    }
    if (!file.historyPartsReceived.contains(part)) {
      file.historyPartsReceived.add(part);
    }
    return file.historyPartsReceived.size() == parts;
  }

  public synchronized List<HistoryEntry> history() {
    return Collections.unmodifiableList(new ArrayList<>(file.history));
  }
}
