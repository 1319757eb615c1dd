package org.quintet.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a device's home ({@code state.json}). Byte arrays are base64. Only
 * {@link LocalStore} reads and writes it; {@code format} changes whenever a field changes meaning,
 * and a field this version does not know makes the file unreadable rather than half-read.
 */
final class StoreFile {
  static final int FORMAT = 1;

  public int format = FORMAT;
  public String relayUrl;
  public String number;
  public LocalStore.Status status = LocalStore.Status.NEW;
  public String statusReason;
  public long deviceId;
  public int registrationId;
  /** The account key: the primary's signing key; this device's own when it is the primary. */
  public byte[] accountKey;
  public byte[] identitySigningSeed;
  public byte[] identityAgreementKey;
  public long nextSignedPreKeyId = 1;
  public Map<Long, byte[]> signedPreKeys = new TreeMap<>();
  public long nextOneTimePreKeyId = 1;
  public Map<Long, byte[]> oneTimePreKeys = new TreeMap<>();
  /** On a primary: the lowest device id it may give the next companion. */
  public long nextCompanionId = 2;
  /** Keyed by {@code number/deviceId}; each {@code Session.toBytes()}, the active session first. */
  public Map<String, List<byte[]>> sessions = new TreeMap<>();
  public Map<String, KnownAccount> accounts = new TreeMap<>();
  /** De-duplication keys of what was received, oldest first. */
  public List<String> seen = new ArrayList<>();
  public List<HistoryEntry> history = new ArrayList<>();
  /** The history transfer from the primary under way: its number of parts, and the parts that came. */
  public int historyParts;
  public List<Integer> historyPartsReceived = new ArrayList<>();
}
