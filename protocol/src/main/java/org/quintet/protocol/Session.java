package org.quintet.protocol;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Double Ratchet session between two devices (docs/protocol.md section 5). Created by
 * {@link X3dh}. Not thread-safe: a device serialises the work on each of its sessions.
 *
 * <p>A refused message changes nothing: decryption derives into locals and assigns the fields
 * only after the ciphertext opened.
 *
 * <p>A device saves a session with {@link #toBytes} after every change, and must do so before the
 * message it encrypted leaves the device: a session restored from an older state would encrypt
 * again with message keys it already used.
 */
public final class Session {
  private static final byte[] ZERO_SALT = new byte[32];
  private static final int HAS_SENDING_CHAIN = 0x01;
  private static final int HAS_RECEIVING_RATCHET = 0x02;
  private static final int HAS_RECEIVING_CHAIN = 0x04;
  private static final int HAS_PENDING = 0x08;
  private static final int HAS_ACCEPTED_FIELDS = 0x10;
  private static final int KNOWN_FLAGS = 0x1F;
  private static final int ACCEPTED_FIELDS_LENGTH = IdentityKey.LENGTH + 32 + 4 + 4;

  private final KeySource source;
  private final byte[] associatedData;
  private final IdentityKey remoteIdentity;
  /**
   * The outer fields of the prekey message that set this session up, kept by the responder to
   * recognise the initiator's further prekey messages; null on the initiator's side.
   */
  private final byte[] acceptedPreKeyFields;

  private byte[] rootKey;
  private X25519KeyPair sendingRatchet;
  private byte[] sendingChain;
  private long sendCounter;
  private long previousSendCounter;
  private byte[] receivingRatchet;
  private byte[] receivingChain;
  private long receiveCounter;
  /** Keyed by {@link #skippedId}; insertion order is derivation order, so the oldest go first. */
  private final Map<String, SkippedKey> skippedKeys = new LinkedHashMap<>();
  private final ArrayDeque<byte[]> previousReceivingRatchets = new ArrayDeque<>();
  /** While set, every outgoing message is wrapped in a prekey message. */
  private PendingPreKey pending;
  /** Messages this object encrypted or decrypted: each changed the state. */
  private long steps;

  Session(KeySource source, byte[] associatedData, IdentityKey remoteIdentity, byte[] acceptedPreKeyFields,
      byte[] rootKey, X25519KeyPair sendingRatchet) {
    this.source = source;
    this.associatedData = associatedData;
    this.remoteIdentity = remoteIdentity;
    this.acceptedPreKeyFields = acceptedPreKeyFields;
    this.rootKey = rootKey;
    this.sendingRatchet = sendingRatchet;
  }

  record PendingPreKey(IdentityKey ourIdentity, byte[] baseKey, long signedPreKeyId, long oneTimePreKeyId) {}

  /** A message key kept for a message that has not arrived yet, with the header fields that name it. */
  record SkippedKey(byte[] ratchetKey, long counter, byte[] messageKey) {}

  void startSending(byte[] theirRatchet, PendingPreKey pendingPreKey) throws ProtocolException {
    byte[][] step = kdfRootKey(rootKey, sendingRatchet.agree(theirRatchet));
    rootKey = step[0];
    sendingChain = step[1];
    receivingRatchet = theirRatchet;
    pending = pendingPreKey;
  }

  public IdentityKey remoteIdentity() {
    return remoteIdentity;
  }

  /** True until the first message from the other side was decrypted. */
  public boolean isPending() {
    return pending != null;
  }

  /**
   * How many times this object's state changed (a message encrypted or decrypted) since it was
   * made or read: a store compares it with what it wrote instead of serialising every session to
   * find the ones that changed. A refused message changes nothing, so it does not count.
   */
  public long steps() {
    return steps;
  }

  /**
   * The complete state, for the device's own storage (never sent):
   *
   * <pre>
   * 0x01 (version) || 0x30 (type) || flags:u8 || associatedData[128] || remoteIdentity[64]
   * || rootKey[32] || sendingRatchetPrivate[32] || sendCounter:u64 || previousSendCounter:u64
   * || receiveCounter:u64
   * || sendingChain[32]          when flags &amp; 0x01
   * || receivingRatchet[32]      when flags &amp; 0x02
   * || receivingChain[32]        when flags &amp; 0x04
   * || ourIdentity[64] || baseKey[32] || signedPreKeyId:u32 || oneTimePreKeyId:u32   (pending, flags &amp; 0x08)
   * || acceptedPreKeyFields[104] when flags &amp; 0x10
   * || count:u8  || previousReceivingRatchet[32] * count                        (oldest first)
   * || count:u16 || (ratchetKey[32] || counter:u32 || messageKey[32]) * count     (oldest first)
   * </pre>
   *
   * It holds private keys and message keys: store it as carefully as the identity key.
   */
  public byte[] toBytes() {
    int flags = (sendingChain != null ? HAS_SENDING_CHAIN : 0)
        | (receivingRatchet != null ? HAS_RECEIVING_RATCHET : 0)
        | (receivingChain != null ? HAS_RECEIVING_CHAIN : 0)
        | (pending != null ? HAS_PENDING : 0)
        | (acceptedPreKeyFields != null ? HAS_ACCEPTED_FIELDS : 0);
    List<byte[]> parts = new ArrayList<>();
    parts.add(new byte[] {Limits.VERSION, MessageType.SESSION_STATE, (byte) flags});
    parts.add(associatedData);
    parts.add(remoteIdentity.encode());
    parts.add(rootKey);
    parts.add(sendingRatchet.privateKey());
    parts.add(Bytes.u64(sendCounter));
    parts.add(Bytes.u64(previousSendCounter));
    parts.add(Bytes.u64(receiveCounter));
    if (sendingChain != null) {
      parts.add(sendingChain);
    }
    if (receivingRatchet != null) {
      parts.add(receivingRatchet);
    }
    if (receivingChain != null) {
      parts.add(receivingChain);
    }
    if (pending != null) {
      parts.add(pending.ourIdentity().encode());
      parts.add(pending.baseKey());
      parts.add(Bytes.u32(pending.signedPreKeyId()));
      parts.add(Bytes.u32(pending.oneTimePreKeyId()));
    }
    if (acceptedPreKeyFields != null) {
      parts.add(acceptedPreKeyFields);
    }
    parts.add(new byte[] {(byte) previousReceivingRatchets.size()});
    parts.addAll(previousReceivingRatchets);
    parts.add(Bytes.u16(skippedKeys.size()));
    for (SkippedKey key : skippedKeys.values()) {
      parts.add(key.ratchetKey());
      parts.add(Bytes.u32(key.counter()));
      parts.add(key.messageKey());
    }
    return Bytes.concat(parts.toArray(new byte[0][]));
  }

  /**
   * Restores a session saved by {@link #toBytes}; {@code source} draws its future ratchet keys.
   * Anything but a complete, consistent state is {@code MALFORMED} (or {@code UNSUPPORTED_VERSION}).
   */
  public static Session fromBytes(KeySource source, byte[] bytes) throws ProtocolException {
    Reader reader = Reader.open(bytes, "session state", MessageType.SESSION_STATE, Integer.MAX_VALUE);
    int flags = reader.u8();
    if ((flags & ~KNOWN_FLAGS) != 0) {
      throw ProtocolException.malformed("session state flags " + flags);
    }
    if ((flags & HAS_PENDING) != 0 && (flags & HAS_ACCEPTED_FIELDS) != 0) {
      throw ProtocolException.malformed("session state is both initiator (pending) and responder");
    }
    if ((flags & HAS_RECEIVING_CHAIN) != 0 && (flags & HAS_RECEIVING_RATCHET) == 0) {
      throw ProtocolException.malformed("session state has a receiving chain without its ratchet key");
    }
    byte[] associatedData = reader.take(2 * IdentityKey.LENGTH);
    IdentityKey remoteIdentity = IdentityKey.parse(reader.take(IdentityKey.LENGTH));
    byte[] remote = remoteIdentity.encode();
    if (!Arrays.equals(remote, Bytes.slice(associatedData, 0, IdentityKey.LENGTH))
        && !Arrays.equals(remote, Bytes.slice(associatedData, IdentityKey.LENGTH, 2 * IdentityKey.LENGTH))) {
      throw ProtocolException.malformed("session state's remote identity is not in its associated data");
    }
    byte[] rootKey = reader.take(32);
    X25519KeyPair sendingRatchet = X25519KeyPair.fromPrivate(reader.take(32));
    long sendCounter = reader.u64();
    long previousSendCounter = reader.u64();
    long receiveCounter = reader.u64();
    byte[] sendingChain = (flags & HAS_SENDING_CHAIN) != 0 ? reader.take(32) : null;
    byte[] receivingRatchet = (flags & HAS_RECEIVING_RATCHET) != 0 ? reader.take(32) : null;
    byte[] receivingChain = (flags & HAS_RECEIVING_CHAIN) != 0 ? reader.take(32) : null;
    PendingPreKey pending = null;
    if ((flags & HAS_PENDING) != 0) {
      IdentityKey ourIdentity = IdentityKey.parse(reader.take(IdentityKey.LENGTH));
      byte[] baseKey = reader.take(32);
      long signedPreKeyId = reader.u32();
      long oneTimePreKeyId = reader.u32();
      if (signedPreKeyId == 0) {
        throw ProtocolException.malformed("session state names signed prekey 0");
      }
      pending = new PendingPreKey(ourIdentity, baseKey, signedPreKeyId, oneTimePreKeyId);
    }
    byte[] accepted = (flags & HAS_ACCEPTED_FIELDS) != 0 ? reader.take(ACCEPTED_FIELDS_LENGTH) : null;

    Session session = new Session(source, associatedData, remoteIdentity, accepted, rootKey, sendingRatchet);
    session.sendingChain = sendingChain;
    session.sendCounter = sendCounter;
    session.previousSendCounter = previousSendCounter;
    session.receivingRatchet = receivingRatchet;
    session.receivingChain = receivingChain;
    session.receiveCounter = receiveCounter;
    session.pending = pending;
    int previousCount = reader.u8();
    if (previousCount > Limits.MAX_PREVIOUS_CHAINS) {
      throw ProtocolException.malformed("session state remembers " + previousCount + " previous chains");
    }
    for (int i = 0; i < previousCount; i++) {
      session.previousReceivingRatchets.addLast(reader.take(32));
    }
    int skippedCount = (reader.u8() << 8) | reader.u8();
    if (skippedCount > Limits.MAX_SKIPPED_KEYS) {
      throw ProtocolException.malformed("session state holds " + skippedCount + " skipped keys");
    }
    for (int i = 0; i < skippedCount; i++) {
      SkippedKey key = new SkippedKey(reader.take(32), reader.u32(), reader.take(32));
      if (session.skippedKeys.containsKey(skippedId(key.ratchetKey(), key.counter()))) {
        throw ProtocolException.malformed("session state holds a skipped key twice");
      }
      session.addSkipped(key);
    }
    reader.end();
    return session;
  }

  public byte[] encrypt(byte[] plaintext) throws ProtocolException {
    if (plaintext.length > Limits.MAX_PLAINTEXT) {
      throw new ProtocolException(ProtocolError.TOO_LARGE, "plaintext of " + plaintext.length + " bytes");
    }
    byte[][] chainStep = kdfChainKey(sendingChain);
    byte[] header = RatchetMessage.header(sendingRatchet.publicKey(), previousSendCounter, sendCounter);
    byte[] ciphertext = seal(chainStep[0], plaintext, header);
    RatchetMessage message =
        new RatchetMessage(sendingRatchet.publicKey(), previousSendCounter, sendCounter, ciphertext);
    sendingChain = chainStep[1];
    sendCounter++;
    steps++;
    if (pending == null) {
      return message.encode();
    }
    return new PreKeyMessage(pending.ourIdentity(), pending.baseKey(), pending.signedPreKeyId(),
        pending.oneTimePreKeyId(), message).encode();
  }

  /** Decrypts a ratchet message, or a repeated prekey message of this session. */
  public byte[] decrypt(byte[] wire) throws ProtocolException {
    if (MessageType.ofSessionMessage(wire) == MessageType.PREKEY) {
      PreKeyMessage message = PreKeyMessage.parse(wire);
      if (acceptedPreKeyFields == null || !Arrays.equals(acceptedPreKeyFields, message.outerFields())) {
        throw new ProtocolException(ProtocolError.WRONG_SESSION, "prekey message of another session");
      }
      return decrypt(message.message());
    }
    return decrypt(RatchetMessage.parse(wire));
  }

  byte[] decrypt(RatchetMessage message) throws ProtocolException {
    byte[] plaintext = decryptRatchet(message);
    steps++;
    return plaintext;
  }

  private byte[] decryptRatchet(RatchetMessage message) throws ProtocolException {
    byte[] ratchetKey = message.ratchetKey();
    long n = message.counter();
    String skippedId = skippedKeys.isEmpty() ? null : skippedId(ratchetKey, n);
    SkippedKey skipped = skippedId == null ? null : skippedKeys.get(skippedId);
    if (skipped != null) {
      byte[] plaintext = open(skipped.messageKey(), message);
      skippedKeys.remove(skippedId);
      pending = null;
      return plaintext;
    }
    if (receivingChain != null && Arrays.equals(ratchetKey, receivingRatchet)) {
      return decryptOnCurrentChain(message);
    }
    for (byte[] previous : previousReceivingRatchets) {
      if (Arrays.equals(previous, ratchetKey)) {
        throw new ProtocolException(ProtocolError.DUPLICATE, "message of a replaced chain");
      }
    }
    return decryptOnNewChain(message);
  }

  private byte[] decryptOnCurrentChain(RatchetMessage message) throws ProtocolException {
    long n = message.counter();
    if (n < receiveCounter) {
      throw new ProtocolException(ProtocolError.DUPLICATE, "message key already used");
    }
    if (n - receiveCounter > Limits.MAX_SKIP) {
      throw new ProtocolException(ProtocolError.TOO_MANY_SKIPPED, "message " + n + " skips too far");
    }
    List<byte[]> skipped = new ArrayList<>();
    byte[] chain = skip(receivingChain, receiveCounter, n, skipped);
    byte[][] step = kdfChainKey(chain);
    byte[] plaintext = open(step[0], message);
    storeSkipped(receivingRatchet, receiveCounter, skipped);
    receivingChain = step[1];
    receiveCounter = n + 1;
    pending = null;
    return plaintext;
  }

  private byte[] decryptOnNewChain(RatchetMessage message) throws ProtocolException {
    long n = message.counter();
    long pn = message.previousCounter();
    if (receivingChain != null && pn - receiveCounter > Limits.MAX_SKIP) {
      throw new ProtocolException(ProtocolError.TOO_MANY_SKIPPED, "previous chain skips too far");
    }
    if (n > Limits.MAX_SKIP) {
      throw new ProtocolException(ProtocolError.TOO_MANY_SKIPPED, "message " + n + " skips too far");
    }
    List<byte[]> oldChainSkipped = new ArrayList<>();
    if (receivingChain != null) {
      skip(receivingChain, receiveCounter, pn, oldChainSkipped);
    }
    byte[] ratchetKey = message.ratchetKey();
    byte[][] receiving = kdfRootKey(rootKey, sendingRatchet.agree(ratchetKey));
    List<byte[]> newChainSkipped = new ArrayList<>();
    byte[] chain = skip(receiving[1], 0, n, newChainSkipped);
    byte[][] step = kdfChainKey(chain);
    byte[] plaintext = open(step[0], message);

    // The message is authentic: only now draw the next sending ratchet key.
    X25519KeyPair nextRatchet = source.newX25519();
    byte[][] sending = kdfRootKey(receiving[0], nextRatchet.agree(ratchetKey));

    if (receivingChain != null) {
      storeSkipped(receivingRatchet, receiveCounter, oldChainSkipped);
    }
    if (receivingRatchet != null) {
      previousReceivingRatchets.addLast(receivingRatchet);
      if (previousReceivingRatchets.size() > Limits.MAX_PREVIOUS_CHAINS) {
        previousReceivingRatchets.removeFirst();
      }
    }
    storeSkipped(ratchetKey, 0, newChainSkipped);
    receivingRatchet = ratchetKey;
    receivingChain = step[1];
    receiveCounter = n + 1;
    previousSendCounter = sendCounter;
    sendCounter = 0;
    sendingRatchet = nextRatchet;
    rootKey = sending[0];
    sendingChain = sending[1];
    pending = null;
    return plaintext;
  }

  /** Derives the message keys {@code from..to-1} into {@code out}; returns the chain key at {@code to}. */
  private static byte[] skip(byte[] chain, long from, long to, List<byte[]> out) {
    for (long i = from; i < to; i++) {
      byte[][] step = kdfChainKey(chain);
      out.add(step[0]);
      chain = step[1];
    }
    return chain;
  }

  private void storeSkipped(byte[] ratchetKey, long firstCounter, List<byte[]> keys) {
    long counter = firstCounter;
    for (byte[] key : keys) {
      addSkipped(new SkippedKey(ratchetKey, counter++, key));
    }
    Iterator<String> oldest = skippedKeys.keySet().iterator();
    while (skippedKeys.size() > Limits.MAX_SKIPPED_KEYS) {
      oldest.next();
      oldest.remove();
    }
  }

  private void addSkipped(SkippedKey key) {
    skippedKeys.put(skippedId(key.ratchetKey(), key.counter()), key);
  }

  private static String skippedId(byte[] ratchetKey, long counter) {
    return Bytes.hex(ratchetKey) + '/' + counter;
  }

  private byte[] seal(byte[] messageKey, byte[] plaintext, byte[] header) {
    byte[] keys = messageKeys(messageKey);
    return Crypto.gcmSeal(Bytes.slice(keys, 0, 32), Bytes.slice(keys, 32, 44), plaintext,
        Bytes.concat(associatedData, header));
  }

  private byte[] open(byte[] messageKey, RatchetMessage message) throws ProtocolException {
    byte[] keys = messageKeys(messageKey);
    return Crypto.gcmOpen(Bytes.slice(keys, 0, 32), Bytes.slice(keys, 32, 44), message.ciphertext(),
        Bytes.concat(associatedData, message.header()));
  }

  static byte[][] kdfRootKey(byte[] rootKey, byte[] dhOutput) {
    byte[] out = Crypto.hkdf(rootKey, dhOutput, "Quintet v1 ratchet", 64);
    return new byte[][] {Bytes.slice(out, 0, 32), Bytes.slice(out, 32, 64)};
  }

  private static byte[][] kdfChainKey(byte[] chainKey) {
    return new byte[][] {Crypto.hmac(chainKey, new byte[] {1}), Crypto.hmac(chainKey, new byte[] {2})};
  }

  private static byte[] messageKeys(byte[] messageKey) {
    return Crypto.hkdf(ZERO_SALT, messageKey, "Quintet v1 message keys", 44);
  }
}
