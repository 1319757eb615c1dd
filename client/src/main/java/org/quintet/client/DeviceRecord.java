package org.quintet.client;

import java.util.ArrayList;
import java.util.List;

/**
 * This device's own record: who it is, where its relay is, where it is in its life, the counters
 * of the ids it gives out, the history transfer from its primary under way, and the account's
 * settings. One row of the store ({@code device}, with {@code history_transfer} and
 * {@code relay_pins}).
 */
final class DeviceRecord {
  String relayUrl;
  /** The relay's certificate pins ({@code CertificatePin} form) this device trusts; none: the system's CAs. */
  List<String> relayPins = List.of();
  String number;
  LocalStore.Status status = LocalStore.Status.NEW;
  String statusReason;
  long deviceId;
  int registrationId;
  /** The account key: the primary's signing key; this device's own when it is the primary. */
  byte[] accountKey;
  byte[] identitySigningSeed;
  byte[] identityAgreementKey;
  long nextSignedPreKeyId = 1;
  long nextOneTimePreKeyId = 1;
  /** On a primary: the lowest device id it may give the next companion. */
  long nextCompanionId = 2;
  /** The history transfer from the primary under way: its number of parts, and the parts that came. */
  int historyParts;
  List<Integer> historyPartsReceived = new ArrayList<>();
  /** The account's settings, as of {@code settingsTimestamp} (0: never set, the defaults). */
  boolean readReceipts = true;
  long settingsTimestamp;

  /** A copy that later changes to this one do not touch, for a write that runs elsewhere. */
  DeviceRecord copy() {
    DeviceRecord copy = new DeviceRecord();
    copy.relayUrl = relayUrl;
    copy.relayPins = relayPins;
    copy.number = number;
    copy.status = status;
    copy.statusReason = statusReason;
    copy.deviceId = deviceId;
    copy.registrationId = registrationId;
    copy.accountKey = accountKey;
    copy.identitySigningSeed = identitySigningSeed;
    copy.identityAgreementKey = identityAgreementKey;
    copy.nextSignedPreKeyId = nextSignedPreKeyId;
    copy.nextOneTimePreKeyId = nextOneTimePreKeyId;
    copy.nextCompanionId = nextCompanionId;
    copy.historyParts = historyParts;
    copy.historyPartsReceived = List.copyOf(historyPartsReceived);
    copy.readReceipts = readReceipts;
    copy.settingsTimestamp = settingsTimestamp;
    return copy;
  }
}
