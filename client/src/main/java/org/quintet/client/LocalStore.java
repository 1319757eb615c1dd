package org.quintet.client;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * the ids of what it received (bounded, for de-duplication), its message history (with what
 * happened to each text since), the names accounts show and the account's settings.
 *
 * <p>The state lives in memory and in a SQLite database ({@link StoreDatabase}). Each mutator
 * records which rows it changed; {@link #save} (or {@link StoreWriter}) writes exactly those, in
 * one transaction, so a change that spans several parts (a session step, a used one-time prekey,
 * a message id and its text) is durable all at once or not at all. The directory is the owner's
 * only (0700, the files 0600), and a lock file keeps two processes from using one home: both
 * would step the same ratchets and one would overwrite the other's state, re-using message keys.
 *
 * <p>Methods are synchronized so that the owner thread can read while a client's event loop
 * changes state. Sessions handed out are live objects: whoever steps one must save afterwards.
 */
public final class LocalStore implements PreKeyStore, AutoCloseable {
  public static final String STORE_FILE = "store.db";
  static final String LOCK_FILE = "lock";
  /** Message ids remembered for de-duplication: far more than the relay's delivery window. */
  static final int MAX_SEEN = 10_000;
  /** Texts kept for history; the oldest go first. */
  static final int MAX_HISTORY = 10_000;
  /** Sessions kept per remote device: the active one and a few it replaced. */
  static final int MAX_SESSIONS_PER_DEVICE = 5;
  private static final Comparator<HistoryRow> BY_SEQ = Comparator.comparingLong(HistoryRow::seq);

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
  private final StoreDatabase database;
  private DeviceRecord device;
  private final Map<Long, byte[]> signedPreKeys;
  private final Map<Long, byte[]> oneTimePreKeys;
  /** The sessions with each device, the active one first. */
  private final Map<DeviceAddress, List<Session>> sessions = new HashMap<>();
  /**
   * The sessions as last handed to a write. Sessions change without telling the store (whoever
   * holds one steps it), so a save compares each with this to find those that changed: the same
   * objects, each at the same {@link Session#steps}, need no write.
   */
  private final Map<DeviceAddress, SavedSessions> savedSessions = new HashMap<>();

  /** Which session objects a write held for one device, and how far each had stepped then. */
  private record SavedSessions(List<Session> sessions, long[] steps) {
    static SavedSessions of(List<Session> sessions) {
      return new SavedSessions(List.copyOf(sessions), sessions.stream().mapToLong(Session::steps).toArray());
    }

    boolean same(List<Session> now) {
      if (now.size() != sessions.size()) {
        return false;
      }
      for (int i = 0; i < now.size(); i++) {
        if (now.get(i) != sessions.get(i) || now.get(i).steps() != steps[i]) {
          return false;
        }
      }
      return true;
    }
  }
  private final Map<String, KnownAccount> accounts;
  /** De-duplication keys, oldest first, each with its place in that order. */
  private final LinkedHashMap<String, Long> seen;
  private long lastSeenSeq;
  /** In the order of their seqs, which grow along the list. */
  private final List<HistoryRow> history;
  private long lastHistorySeq;
  /** The name each account shows, this one's among them. */
  private final Map<String, ProfileName> profiles;
  /** The time of this account's profile each account was last sent. */
  private final Map<String, Long> profileShares;
  private final PendingChanges pending = new PendingChanges();

  private LocalStore(Path home, FileChannel lockChannel, FileLock lock, StoreDatabase database, StoredState state,
      KeySource source) throws IOException {
    this.home = home;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.database = database;
    this.device = state.device;
    this.signedPreKeys = new TreeMap<>(state.signedPreKeys);
    this.oneTimePreKeys = new TreeMap<>(state.oneTimePreKeys);
    this.accounts = new TreeMap<>(state.accounts);
    this.seen = new LinkedHashMap<>(state.seen);
    this.lastSeenSeq = seen.values().stream().mapToLong(Long::longValue).max().orElse(0);
    this.history = new ArrayList<>(state.history);
    this.lastHistorySeq = history.isEmpty() ? 0 : history.get(history.size() - 1).seq();
    this.profiles = new TreeMap<>(state.profiles);
    this.profileShares = new TreeMap<>(state.profileShares);
    for (Map.Entry<DeviceAddress, List<byte[]>> entry : state.sessions.entrySet()) {
      List<Session> held = new ArrayList<>();
      for (byte[] saved : entry.getValue()) {
        try {
          held.add(Session.fromBytes(source, saved));
        } catch (ProtocolException e) {
          throw new IOException(home.resolve(STORE_FILE) + " holds a damaged session (" + e.error() + ")");
        }
      }
      sessions.put(entry.getKey(), held);
      savedSessions.put(entry.getKey(), SavedSessions.of(held));
    }
  }

  /**
   * Opens (creating if needed) the home directory and locks it for this process; a home still in
   * the JSON form of earlier versions is moved into the database. {@code source} draws the future
   * ratchet keys of the sessions it restores.
   *
   * @throws HomeInUseException when another process holds it
   */
  public static LocalStore open(Path home, KeySource source) throws IOException {
    OwnerOnly.directory(home);
    FileChannel lockChannel = FileChannel.open(home.resolve(LOCK_FILE),
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), OwnerOnly.attributes());
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
      StoreDatabase database = StoreDatabase.open(home.resolve(STORE_FILE), home.resolve(LegacyStateFile.NAME));
      try {
        return new LocalStore(home, lockChannel, lock, database, database.read(), source);
      } catch (IOException | RuntimeException e) {
        database.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  public Path home() {
    return home;
  }

  // --- persistence ------------------------------------------------------------------------------

  /**
   * The rows changed since the last call, as they are now, for {@link #write}; cheap enough for an
   * event loop. Sessions are serialised here, on the thread that steps them.
   */
  synchronized StoreChanges pendingChanges() {
    StoreChanges changes = new StoreChanges();
    pending.cleared.forEach(changes::clear);
    if (pending.device || pending.cleared.contains(StoreTable.DEVICE)) {
      changes.putDevice(device.copy());
    }
    preKeyChanges(changes, StoreTable.SIGNED_PREKEYS, signedPreKeys, pending.signedPreKeys);
    preKeyChanges(changes, StoreTable.ONE_TIME_PREKEYS, oneTimePreKeys, pending.oneTimePreKeys);
    sessionChanges(changes, pending.cleared.contains(StoreTable.SESSIONS));
    accountChanges(changes);
    seenChanges(changes);
    historyChanges(changes);
    for (String number : changed(StoreTable.PROFILES, profiles.keySet(), pending.profiles)) {
      changes.putProfile(number, profiles.get(number));
    }
    for (String number : changed(StoreTable.PROFILE_SHARES, profileShares.keySet(), pending.profileShares)) {
      changes.putProfileShare(number, profileShares.get(number));
    }
    pending.reset();
    return changes;
  }

  /** The keys to write: every one held when the part was cleared, else those that changed. */
  private <K> Iterable<K> changed(StoreTable table, Set<K> held, Set<K> changed) {
    return pending.cleared.contains(table) ? held : changed;
  }

  private void preKeyChanges(StoreChanges changes, StoreTable table, Map<Long, byte[]> held, Set<Long> changed) {
    for (long id : changed(table, held.keySet(), changed)) {
      byte[] privateKey = held.get(id);
      if (privateKey == null) {
        changes.removePreKey(table, id);
      } else {
        changes.putPreKey(table, id, privateKey);
      }
    }
  }

  private void sessionChanges(StoreChanges changes, boolean cleared) {
    if (cleared) {
      savedSessions.clear();
    }
    for (Map.Entry<DeviceAddress, List<Session>> entry : sessions.entrySet()) {
      SavedSessions saved = savedSessions.get(entry.getKey());
      if (saved == null || !saved.same(entry.getValue())) {
        changes.putSessions(entry.getKey(), entry.getValue().stream().map(Session::toBytes).toList());
        savedSessions.put(entry.getKey(), SavedSessions.of(entry.getValue()));
      }
    }
    for (Iterator<DeviceAddress> gone = savedSessions.keySet().iterator(); gone.hasNext(); ) {
      DeviceAddress address = gone.next();
      if (!sessions.containsKey(address)) {
        changes.putSessions(address, List.of());
        gone.remove();
      }
    }
  }

  private void accountChanges(StoreChanges changes) {
    for (String number : changed(StoreTable.ACCOUNTS, accounts.keySet(), pending.accounts)) {
      KnownAccount account = accounts.get(number);
      if (account == null) {
        changes.removeAccount(number);
      } else {
        changes.putAccount(number, account);
      }
    }
  }

  private void seenChanges(StoreChanges changes) {
    if (pending.cleared.contains(StoreTable.SEEN)) {
      seen.forEach(changes::putSeen);
      return;
    }
    pending.seen.forEach((seq, key) -> {
      if (seq.equals(seen.get(key))) {
        changes.putSeen(key, seq);
      } else {
        changes.removeSeen(seq);
      }
    });
  }

  private void historyChanges(StoreChanges changes) {
    if (pending.cleared.contains(StoreTable.HISTORY)) {
      history.forEach(changes::putHistory);
      return;
    }
    for (long seq : pending.history) {
      int at = Collections.binarySearch(history, new HistoryRow(seq, null), BY_SEQ);
      if (at >= 0) {
        changes.putHistory(history.get(at));
      } else {
        changes.removeHistory(seq);
      }
    }
  }

  /** Writes changes taken by {@link #pendingChanges}, in one transaction (blocking). */
  void write(StoreChanges changes) throws IOException {
    database.write(changes);
  }

  /**
   * After a write that failed, the next one writes the whole state: what the failed one held is
   * in neither the database nor the pending changes any more.
   */
  synchronized void writeFailed() {
    pending.clearAll();
    savedSessions.clear();
  }

  /** Writes what changed since the last save (blocking). */
  public void save() throws IOException {
    try {
      write(pendingChanges());
    } catch (IOException e) {
      writeFailed();
      throw e;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      database.close();
    } finally {
      if (lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
    }
  }

  // --- who this device is -----------------------------------------------------------------------

  public synchronized String relayUrl() {
    return device.relayUrl;
  }

  public synchronized void setRelayUrl(String relayUrl) {
    device.relayUrl = relayUrl;
    pending.device = true;
  }

  /** The relay's certificate pins this home trusts; empty: the system's certificate authorities. */
  public synchronized List<String> relayPins() {
    return device.relayPins;
  }

  /** Trusts the relay's certificate by these pins from now on (none: by the system's authorities again). */
  public synchronized void setRelayPins(List<String> pins) {
    device.relayPins = List.copyOf(pins);
    pending.device = true;
  }

  public synchronized String number() {
    return device.number;
  }

  public synchronized Status status() {
    return device.status;
  }

  public synchronized String statusReason() {
    return device.statusReason;
  }

  public synchronized long deviceId() {
    return device.deviceId;
  }

  public synchronized int registrationId() {
    return device.registrationId;
  }

  public synchronized boolean isPrimary() {
    return device.status == Status.REGISTERED && device.deviceId == 1;
  }

  public synchronized byte[] accountKey() {
    return device.accountKey == null ? null : device.accountKey.clone();
  }

  public synchronized Optional<IdentityKeyPair> identity() {
    if (device.identitySigningSeed == null) {
      return Optional.empty();
    }
    return Optional.of(new IdentityKeyPair(Ed25519KeyPair.fromSeed(device.identitySigningSeed),
        X25519KeyPair.fromPrivate(device.identityAgreementKey)));
  }

  /**
   * Starts a new device life: forgets every key, session and account of the previous one (its
   * history stays), and records the number and the new status.
   */
  public synchronized void startOver(String number, Status status) {
    DeviceRecord fresh = new DeviceRecord();
    fresh.relayUrl = device.relayUrl;
    fresh.relayPins = device.relayPins;
    fresh.number = number;
    fresh.status = status;
    forgetAllBut(fresh);
  }

  public synchronized void setIdentity(IdentityKeyPair identity, int registrationId) {
    device.identitySigningSeed = identity.signing().seed();
    device.identityAgreementKey = identity.agreement().privateKey();
    device.registrationId = registrationId;
    pending.device = true;
  }

  /** Records that the relay accepted this device as {@code deviceId} of the account {@code accountKey}. */
  public synchronized void markRegistered(String number, long deviceId, byte[] accountKey) {
    device.number = number;
    device.deviceId = deviceId;
    device.accountKey = accountKey.clone();
    device.status = Status.REGISTERED;
    device.statusReason = null;
    pending.device = true;
  }

  /** {@code reason} is the relay's word for it (see {@link LogoutReason}). */
  public synchronized void markLoggedOut(String reason) {
    device.status = Status.LOGGED_OUT;
    device.statusReason = reason;
    pending.device = true;
  }

  /**
   * Forgets everything this device held (keys, sessions, accounts, history, names) but which number
   * it was and its relay: what logging out leaves behind.
   */
  public synchronized void wipe(String reason) {
    DeviceRecord wiped = new DeviceRecord();
    wiped.relayUrl = device.relayUrl;
    wiped.relayPins = device.relayPins;
    wiped.number = device.number;
    wiped.status = Status.LOGGED_OUT;
    wiped.statusReason = reason;
    forgetAllBut(wiped);
    history.clear();
    profiles.clear();
    profileShares.clear();
    for (StoreTable table : List.of(StoreTable.HISTORY, StoreTable.PROFILES, StoreTable.PROFILE_SHARES)) {
      pending.clear(table);
    }
  }

  /** A new own record, and nothing else of the device's previous life but its history and the names it knows. */
  private void forgetAllBut(DeviceRecord record) {
    device = record;
    signedPreKeys.clear();
    oneTimePreKeys.clear();
    sessions.clear();
    accounts.clear();
    seen.clear();
    for (StoreTable table : List.of(StoreTable.DEVICE, StoreTable.SIGNED_PREKEYS, StoreTable.ONE_TIME_PREKEYS,
        StoreTable.SESSIONS, StoreTable.ACCOUNTS, StoreTable.SEEN)) {
      pending.clear(table);
    }
  }

  // --- prekeys ----------------------------------------------------------------------------------

  public synchronized long nextSignedPreKeyId() {
    return device.nextSignedPreKeyId;
  }

  public synchronized void addSignedPreKey(long id, X25519KeyPair keyPair) {
    signedPreKeys.put(id, keyPair.privateKey());
    pending.signedPreKeys.add(id);
    device.nextSignedPreKeyId = Math.max(device.nextSignedPreKeyId, id + 1);
    pending.device = true;
  }

  public synchronized long nextOneTimePreKeyId() {
    return device.nextOneTimePreKeyId;
  }

  public synchronized void addOneTimePreKey(long id, X25519KeyPair keyPair) {
    oneTimePreKeys.put(id, keyPair.privateKey());
    pending.oneTimePreKeys.add(id);
    device.nextOneTimePreKeyId = Math.max(device.nextOneTimePreKeyId, id + 1);
    pending.device = true;
  }

  public synchronized int oneTimePreKeyCount() {
    return oneTimePreKeys.size();
  }

  @Override
  public synchronized X25519KeyPair signedPreKey(long id) {
    byte[] privateKey = signedPreKeys.get(id);
    return privateKey == null ? null : X25519KeyPair.fromPrivate(privateKey);
  }

  @Override
  public synchronized X25519KeyPair oneTimePreKey(long id) {
    byte[] privateKey = oneTimePreKeys.get(id);
    return privateKey == null ? null : X25519KeyPair.fromPrivate(privateKey);
  }

  @Override
  public synchronized void removeOneTimePreKey(long id) {
    oneTimePreKeys.remove(id);
    pending.oneTimePreKeys.add(id);
  }

  // --- companions (primary) ---------------------------------------------------------------------

  public synchronized long nextCompanionId() {
    return device.nextCompanionId;
  }

  public synchronized void setNextCompanionId(long id) {
    device.nextCompanionId = Math.max(device.nextCompanionId, id);
    pending.device = true;
  }

  // --- sessions ---------------------------------------------------------------------------------

  /** The active session with a device: the one this device encrypts with. */
  public synchronized Optional<Session> session(String number, long deviceId) {
    List<Session> held = sessions.get(new DeviceAddress(number, deviceId));
    return held == null || held.isEmpty() ? Optional.empty() : Optional.of(held.get(0));
  }

  /** Every session held with a device, the active one first. */
  public synchronized List<Session> sessions(String number, long deviceId) {
    return List.copyOf(sessions.getOrDefault(new DeviceAddress(number, deviceId), List.of()));
  }

  /**
   * Makes the session the active one with the device. The ones it replaces are kept (at most
   * {@value #MAX_SESSIONS_PER_DEVICE} in all): when two devices start sessions with each other at
   * once, each side's next message may come in either, and a message of a kept session still opens.
   */
  public synchronized void putSession(String number, long deviceId, Session session) {
    List<Session> held = sessions.computeIfAbsent(new DeviceAddress(number, deviceId), key -> new ArrayList<>());
    held.remove(session);
    held.add(0, session);
    if (held.size() > MAX_SESSIONS_PER_DEVICE) {
      held.subList(MAX_SESSIONS_PER_DEVICE, held.size()).clear();
    }
  }

  /** Forgets every session with the device. */
  public synchronized void removeSession(String number, long deviceId) {
    sessions.remove(new DeviceAddress(number, deviceId));
  }

  public synchronized void removeSessions(String number) {
    sessions.keySet().removeIf(address -> address.number().equals(number));
  }

  // --- accounts ---------------------------------------------------------------------------------

  public synchronized Optional<KnownAccount> account(String number) {
    return Optional.ofNullable(accounts.get(number));
  }

  public synchronized void putAccount(String number, KnownAccount account) {
    accounts.put(number, account);
    pending.accounts.add(number);
  }

  /** Forgets an account's key, list and sessions, so that the next contact trusts it anew. */
  public synchronized void forgetAccount(String number) {
    accounts.remove(number);
    pending.accounts.add(number);
    removeSessions(number);
  }

  // --- de-duplication and history ---------------------------------------------------------------

  public synchronized boolean hasSeen(String key) {
    return seen.containsKey(key);
  }

  public synchronized void markSeen(String key) {
    if (seen.putIfAbsent(key, lastSeenSeq + 1) == null) {
      lastSeenSeq++;
      pending.seen.put(lastSeenSeq, key);
    }
    Iterator<Map.Entry<String, Long>> oldest = seen.entrySet().iterator();
    while (seen.size() > MAX_SEEN) {
      Map.Entry<String, Long> gone = oldest.next();
      pending.seen.put(gone.getValue(), gone.getKey());
      oldest.remove();
    }
  }

  public synchronized void addHistory(HistoryEntry entry) {
    history.add(new HistoryRow(++lastHistorySeq, entry));
    pending.history.add(lastHistorySeq);
    trimHistory();
  }

  /**
   * Adds the texts this device does not hold yet (by id), keeping the history in time order;
   * answers how many were added.
   */
  public synchronized int mergeHistory(List<HistoryEntry> texts) {
    Set<String> held = new HashSet<>();
    history.forEach(row -> held.add(row.entry().id()));
    int before = history.size();
    // Unplaced (seq 0) until sorted in.
    texts.stream().filter(text -> held.add(text.id())).forEach(text -> history.add(new HistoryRow(0, text)));
    int added = history.size() - before;
    history.sort(Comparator.comparingLong(row -> row.entry().timestamp()));
    renumberFromFirstOutOfPlace();
    trimHistory();
    return added;
  }

  /**
   * Gives the texts from the first one whose seq does not follow its predecessor's (a new one, or
   * one that sorting moved) to the end new seqs, so the seqs grow along the history again.
   */
  private void renumberFromFirstOutOfPlace() {
    long previous = 0;
    int first = 0;
    while (first < history.size() && history.get(first).seq() > previous) {
      previous = history.get(first).seq();
      first++;
    }
    for (int i = first; i < history.size(); i++) {
      HistoryRow row = history.get(i);
      if (row.seq() != 0) {
        pending.history.add(row.seq());
      }
      history.set(i, new HistoryRow(++lastHistorySeq, row.entry()));
      pending.history.add(lastHistorySeq);
    }
  }

  private void trimHistory() {
    if (history.size() > MAX_HISTORY) {
      List<HistoryRow> oldest = history.subList(0, history.size() - MAX_HISTORY);
      oldest.forEach(row -> pending.history.add(row.seq()));
      oldest.clear();
    }
  }

  /**
   * Records that a part of the primary's history came; answers whether every part of its transfer
   * has (in any order). A part of a transfer with another number of parts starts a new one.
   */
  public synchronized boolean historyPartReceived(int part, int parts) {
    if (device.historyParts != parts) {
      device.historyParts = parts;
      device.historyPartsReceived = new ArrayList<>();
    }
    if (!device.historyPartsReceived.contains(part)) {
      device.historyPartsReceived.add(part);
    }
    pending.device = true;
    return device.historyPartsReceived.size() == parts;
  }

  public synchronized List<HistoryEntry> history() {
    return history.stream().map(HistoryRow::entry).toList();
  }

  /** The text with this id, looked for from the newest, where the ones a receipt is for usually are. */
  public synchronized Optional<HistoryEntry> historyEntry(String id) {
    int at = indexOf(id);
    return at < 0 ? Optional.empty() : Optional.of(history.get(at).entry());
  }

  private int indexOf(String id) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).entry().id().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  /** The texts of the conversation with {@code peer}, oldest first. */
  public synchronized List<HistoryEntry> history(String peer) {
    return history.stream().map(HistoryRow::entry).filter(entry -> entry.peer().equals(peer)).toList();
  }

  /** The texts of the conversation with {@code peer} that this account received and has not read. */
  public synchronized int unreadCount(String peer) {
    return (int) history.stream().map(HistoryRow::entry)
        .filter(entry -> entry.peer().equals(peer) && entry.status() == MessageStatus.UNREAD).count();
  }

  /**
   * The saved texts that hold every word of the query, the best matches first (blocking: it reads
   * the database, so a change is found once saved). Not synchronized: the database is, and the
   * state in memory may go on changing meanwhile.
   */
  List<SearchHit> search(SearchQuery query) throws IOException {
    return database.search(query);
  }

  /** The accounts this one has a conversation with. */
  public synchronized Set<String> peers() {
    Set<String> peers = new TreeSet<>();
    history.forEach(row -> peers.add(row.entry().peer()));
    return peers;
  }

  /** Puts the text in place of the one with its id, where this device holds it. */
  public synchronized void replaceHistory(HistoryEntry changed) {
    int at = indexOf(changed.id());
    if (at >= 0) {
      HistoryRow row = history.get(at);
      history.set(at, new HistoryRow(row.seq(), changed));
      pending.history.add(row.seq());
    }
  }

  /** Forgets the texts with these ids; answers how many this device held. */
  public synchronized int removeHistory(Collection<String> ids) {
    Set<String> gone = new HashSet<>(ids);
    int before = history.size();
    history.removeIf(row -> {
      boolean remove = gone.contains(row.entry().id());
      if (remove) {
        pending.history.add(row.seq());
      }
      return remove;
    });
    return before - history.size();
  }

  // --- names and settings -----------------------------------------------------------------------

  /** The name the account {@code number} shows, this one's own among them. */
  public synchronized Optional<ProfileName> profile(String number) {
    return Optional.ofNullable(profiles.get(number));
  }

  /** Every name known, by number. */
  public synchronized Map<String, ProfileName> profiles() {
    return Map.copyOf(profiles);
  }

  /** Keeps the name unless a later one is held (the latest time wins); answers whether it was kept. */
  public synchronized boolean putProfile(String number, ProfileName profile) {
    ProfileName held = profiles.get(number);
    if (held != null && held.timestamp() >= profile.timestamp()) {
      return false;
    }
    profiles.put(number, profile);
    pending.profiles.add(number);
    return true;
  }

  /** The time of this account's profile that {@code number} was last sent (0: none). */
  public synchronized long profileSharedAt(String number) {
    return profileShares.getOrDefault(number, 0L);
  }

  public synchronized void markProfileShared(String number, long timestamp) {
    if (timestamp > profileSharedAt(number)) {
      profileShares.put(number, timestamp);
      pending.profileShares.add(number);
    }
  }

  /** Whether this account sends read receipts, and takes those of others (both or neither). */
  public synchronized boolean readReceipts() {
    return device.readReceipts;
  }

  /** Takes the account's settings unless later ones are held (the latest time wins); answers whether it took them. */
  public synchronized boolean putSettings(boolean readReceipts, long timestamp) {
    if (device.settingsTimestamp >= timestamp) {
      return false;
    }
    device.readReceipts = readReceipts;
    device.settingsTimestamp = timestamp;
    pending.device = true;
    return true;
  }
}
