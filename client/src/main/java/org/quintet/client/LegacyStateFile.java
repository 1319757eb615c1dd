package org.quintet.client;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form a home had before its database ({@code state.json}, format 1; byte arrays are
 * base64), read once to move it into the database. A field this version does not know, or
 * another format, makes the file unreadable rather than half-read.
 */
final class LegacyStateFile {
  static final String NAME = "state.json";
  static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  public int format = FORMAT;
  public String relayUrl;
  public String number;
  public LocalStore.Status status = LocalStore.Status.NEW;
  public String statusReason;
  public long deviceId;
  public int registrationId;
  public byte[] accountKey;
  public byte[] identitySigningSeed;
  public byte[] identityAgreementKey;
  public long nextSignedPreKeyId = 1;
  public Map<Long, byte[]> signedPreKeys = new TreeMap<>();
  public long nextOneTimePreKeyId = 1;
  public Map<Long, byte[]> oneTimePreKeys = new TreeMap<>();
  public long nextCompanionId = 2;
  /** Keyed by {@code number/deviceId}; each {@code Session.toBytes()}, the active session first. */
  public Map<String, List<byte[]>> sessions = new TreeMap<>();
  public Map<String, KnownAccount> accounts = new TreeMap<>();
  /** Oldest first. */
  public List<String> seen = new ArrayList<>();
  public List<LegacyText> history = new ArrayList<>();
  public int historyParts;
  public List<Integer> historyPartsReceived = new ArrayList<>();

  /** A text as format 1 kept it; the store's texts have grown since, this file's have not. */
  public record LegacyText(String id, String peer, boolean outgoing, String from, long fromDevice, long timestamp,
      String body) {}

  /** Where a write of this file that a crash cut short left its content. */
  static Path temporary(Path file) {
    return file.resolveSibling(file.getFileName() + ".tmp");
  }

  static StoredState read(Path file) throws IOException {
    LegacyStateFile legacy;
    try {
      legacy = JSON.readValue(Files.readAllBytes(file), LegacyStateFile.class);
    } catch (JsonProcessingException e) {
      // Only where: the parser's own message may quote the file, which holds private keys.
      JsonLocation at = e.getLocation();
      throw new IOException(file + " is not a state file this version can read"
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }
    if (legacy.format != FORMAT) {
      throw new IOException(file + " has format " + legacy.format + "; this version reads format " + FORMAT);
    }
    return legacy.toStoredState(file);
  }

  private StoredState toStoredState(Path file) throws IOException {
    StoredState state = new StoredState();
    DeviceRecord device = state.device;
    device.relayUrl = relayUrl;
    device.number = number;
    device.status = status;
    device.statusReason = statusReason;
    device.deviceId = deviceId;
    device.registrationId = registrationId;
    device.accountKey = accountKey;
    device.identitySigningSeed = identitySigningSeed;
    device.identityAgreementKey = identityAgreementKey;
    device.nextSignedPreKeyId = nextSignedPreKeyId;
    device.nextOneTimePreKeyId = nextOneTimePreKeyId;
    device.nextCompanionId = nextCompanionId;
    device.historyParts = historyParts;
    device.historyPartsReceived = new ArrayList<>(historyPartsReceived);
    state.signedPreKeys.putAll(signedPreKeys);
    state.oneTimePreKeys.putAll(oneTimePreKeys);
    for (Map.Entry<String, List<byte[]>> held : sessions.entrySet()) {
      state.sessions.put(address(file, held.getKey()), held.getValue());
    }
    state.accounts.putAll(accounts);
    long seq = 0;
    for (String key : seen) {
      state.seen.put(key, ++seq);
    }
    seq = 0;
    for (LegacyText text : history) {
      state.history.add(new HistoryRow(++seq, new HistoryEntry(text.id(), text.peer(), text.outgoing(), text.from(),
          text.fromDevice(), text.timestamp(), text.body())));
    }
    return state;
  }

  private static DeviceAddress address(Path file, String key) throws IOException {
    int slash = key.lastIndexOf('/');
    try {
      return new DeviceAddress(key.substring(0, slash), Long.parseLong(key.substring(slash + 1)));
    } catch (IndexOutOfBoundsException | NumberFormatException e) {
      throw new IOException(file + " holds sessions under a key that names no device");
    }
  }
}
