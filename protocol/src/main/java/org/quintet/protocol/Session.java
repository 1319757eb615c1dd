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
 */
public final class Session {
  private static final byte[] ZERO_SALT = new byte[32];

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
  private final Map<String, byte[]> skippedKeys = new LinkedHashMap<>();
  private final ArrayDeque<byte[]> previousReceivingRatchets = new ArrayDeque<>();
  /** While set, every outgoing message is wrapped in a prekey message. */
  private PendingPreKey pending;

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
    byte[] ratchetKey = message.ratchetKey();
    long n = message.counter();
    String skippedId = skippedKeys.isEmpty() ? null : skippedId(ratchetKey, n);
    byte[] skipped = skippedId == null ? null : skippedKeys.get(skippedId);
    if (skipped != null) {
      byte[] plaintext = open(skipped, message);
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
      skippedKeys.put(skippedId(ratchetKey, counter++), key);
    }
    Iterator<String> oldest = skippedKeys.keySet().iterator();
    while (skippedKeys.size() > Limits.MAX_SKIPPED_KEYS) {
      oldest.next();
      oldest.remove();
    }
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
