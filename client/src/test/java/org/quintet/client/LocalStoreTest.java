package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.MemoryPreKeyStore;
import org.quintet.protocol.OneTimePreKey;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.Session;
import org.quintet.protocol.SignedPreKey;
import org.quintet.protocol.X25519KeyPair;
import org.quintet.protocol.X3dh;

class LocalStoreTest {
  @TempDir
  Path dir;

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everythingSurvivesAReopen() throws Exception {
    Path home = dir.resolve("home");
    IdentityKeyPair identity = IdentityKeyPair.generate(KeySource.secure());
    IdentityKeyPair peer = IdentityKeyPair.generate(KeySource.secure());
    X25519KeyPair signedPreKey = KeySource.secure().newX25519();
    X25519KeyPair oneTimePreKey = KeySource.secure().newX25519();

    // A real session with a skipped key held, so the restored one must decrypt a held message.
    SignedPreKey.Pair peerSigned = SignedPreKey.generate(KeySource.secure(), peer, 1);
    MemoryPreKeyStore peerKeys = new MemoryPreKeyStore().addSignedPreKey(1, peerSigned.keyPair());
    Session ours = X3dh.initiate(KeySource.secure(), identity,
        new PreKeyBundle(peer.publicKey(), peerSigned.record(), Optional.empty()));
    Session theirs = X3dh.accept(KeySource.secure(), peer, peerKeys, ours.encrypt(utf8("hi"))).session();
    byte[] held = theirs.encrypt(utf8("held"));
    ours.decrypt(theirs.encrypt(utf8("second")));

    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.setRelayUrl("http://relay.example:8080");
      store.startOver("+8801711000001", LocalStore.Status.CODE_REQUESTED);
      store.setIdentity(identity, 12345);
      store.markRegistered("+8801711000001", 1, identity.signing().publicKey());
      store.addSignedPreKey(1, signedPreKey);
      store.addOneTimePreKey(7, oneTimePreKey);
      store.putSession("+8801811000002", 1, ours);
      store.putAccount("+8801811000002", new KnownAccount(peer.signing().publicKey(), new byte[] {1, 2, 3}, Map.of(1L, 99)));
      store.markSeen("00ff");
      store.addHistory(new HistoryEntry("00ff", "+8801811000002", false, "+8801811000002", 1, 1000, "hello"));
      store.setNextCompanionId(3);
      store.save();
    }

    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      assertEquals("http://relay.example:8080", store.relayUrl());
      assertEquals("+8801711000001", store.number());
      assertEquals(LocalStore.Status.REGISTERED, store.status());
      assertTrue(store.isPrimary());
      assertEquals(12345, store.registrationId());
      assertEquals(identity.publicKey(), store.identity().orElseThrow().publicKey());
      assertArrayEquals(identity.signing().publicKey(), store.accountKey());
      assertArrayEquals(signedPreKey.privateKey(), store.signedPreKey(1).privateKey());
      assertArrayEquals(oneTimePreKey.privateKey(), store.oneTimePreKey(7).privateKey());
      assertEquals(8, store.nextOneTimePreKeyId());
      assertEquals(2, store.nextSignedPreKeyId());
      assertEquals(3, store.nextCompanionId());
      assertTrue(store.hasSeen("00ff"));
      assertEquals("hello", store.history().get(0).body());
      KnownAccount account = store.account("+8801811000002").orElseThrow();
      assertArrayEquals(new byte[] {1, 2, 3}, account.deviceList());
      assertEquals(Map.of(1L, 99), account.registrationIds());
      Session restored = store.session("+8801811000002", 1).orElseThrow();
      assertArrayEquals(utf8("held"), restored.decrypt(held));
      assertArrayEquals(utf8("later"), theirs.decrypt(restored.encrypt(utf8("later"))));
    }
  }

  @Test
  void theHomeIsTheOwnersOnlyAndSoAreItsStoreFiles() throws Exception {
    Path home = dir.resolve("home");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.startOver("+8801711000001", LocalStore.Status.CODE_REQUESTED);
      store.save();
      store.save();
      // The WAL and its index exist while the store is open.
      for (String file : List.of(LocalStore.STORE_FILE, LocalStore.STORE_FILE + "-wal", LocalStore.STORE_FILE + "-shm")) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(file))), file);
      }
    }
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
    assertEquals("rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(LocalStore.STORE_FILE))));
  }

  @Test
  void aTemporaryFileLeftByACrashOfTheJsonFormIsIgnoredAndRemoved() throws Exception {
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    Files.write(home.resolve(LegacyStateFile.NAME), utf8("{\"format\": 1, \"number\": \"+8801711000001\"}"));
    // A write that crashed before its rename: half a file, readable by anyone.
    Path temporary = LegacyStateFile.temporary(home.resolve(LegacyStateFile.NAME));
    Files.write(temporary, utf8("{\"format\": 1, \"numb"));
    Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      assertEquals("+8801711000001", store.number());
      store.markLoggedOut("test");
      store.save();
    }
    assertFalse(Files.exists(temporary));
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      assertEquals(LocalStore.Status.LOGGED_OUT, store.status());
      assertEquals("test", store.statusReason());
    }
  }

  @Test
  void aSecondUserOfTheHomeIsRefused() throws Exception {
    Path home = dir.resolve("home");
    try (LocalStore first = LocalStore.open(home, KeySource.secure())) {
      assertThrows(HomeInUseException.class, () -> LocalStore.open(home, KeySource.secure()));
    }
    LocalStore.open(home, KeySource.secure()).close();
  }

  @Test
  void aDamagedStateFileIsRefusedNotOverwritten() throws Exception {
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    Files.write(home.resolve(LegacyStateFile.NAME), utf8("{\"format\": 99}"));
    assertThrows(IOException.class, () -> LocalStore.open(home, KeySource.secure()));
    Files.write(home.resolve(LegacyStateFile.NAME), utf8("not json"));
    assertThrows(IOException.class, () -> LocalStore.open(home, KeySource.secure()));
    assertEquals("not json", Files.readString(home.resolve(LegacyStateFile.NAME)));
  }

  @Test
  void seenIdsAndHistoryAreBounded() throws Exception {
    try (LocalStore store = LocalStore.open(dir.resolve("home"), KeySource.secure())) {
      for (int i = 0; i < LocalStore.MAX_SEEN + 5; i++) {
        store.markSeen("id" + i);
      }
      assertFalse(store.hasSeen("id0"));
      assertFalse(store.hasSeen("id4"));
      assertTrue(store.hasSeen("id5"));
      assertTrue(store.hasSeen("id" + (LocalStore.MAX_SEEN + 4)));
      for (int i = 0; i < LocalStore.MAX_HISTORY + 3; i++) {
        store.addHistory(new HistoryEntry("h" + i, "+8801811000002", true, "+8801711000001", 1, i, "text " + i));
      }
      assertEquals(LocalStore.MAX_HISTORY, store.history().size());
      assertEquals("h3", store.history().get(0).id());
    }
  }

  @Test
  void startingOverForgetsKeysButKeepsRelayAndHistory() throws Exception {
    try (LocalStore store = LocalStore.open(dir.resolve("home"), KeySource.secure())) {
      store.setRelayUrl("http://relay.example:8080");
      store.setIdentity(IdentityKeyPair.generate(KeySource.secure()), 5);
      store.addOneTimePreKey(1, OneTimePreKey.generate(KeySource.secure(), 1).keyPair());
      store.addHistory(new HistoryEntry("h", "+8801811000002", true, "+8801711000001", 1, 1, "kept"));
      store.startOver("+8801711000009", LocalStore.Status.CODE_REQUESTED);
      assertTrue(store.identity().isEmpty());
      assertNull(store.oneTimePreKey(1));
      assertEquals("http://relay.example:8080", store.relayUrl());
      assertEquals("kept", store.history().get(0).body());
      assertEquals("+8801711000009", store.number());
    }
  }

  @Test
  void severalSessionsPerDeviceKeepTheirOrderAndAreBounded() throws Exception {
    IdentityKeyPair identity = IdentityKeyPair.generate(KeySource.secure());
    IdentityKeyPair peer = IdentityKeyPair.generate(KeySource.secure());
    SignedPreKey.Pair signed = SignedPreKey.generate(KeySource.secure(), peer, 1);
    PreKeyBundle bundle = new PreKeyBundle(peer.publicKey(), signed.record(), Optional.empty());
    Path home = dir.resolve("home");
    List<byte[]> expected = new ArrayList<>();
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      Session first = null;
      for (int i = 0; i <= LocalStore.MAX_SESSIONS_PER_DEVICE; i++) {
        Session session = X3dh.initiate(KeySource.secure(), identity, bundle);
        first = first == null ? session : first;
        store.putSession("+8801811000002", 2, session);
      }
      assertEquals(LocalStore.MAX_SESSIONS_PER_DEVICE, store.sessions("+8801811000002", 2).size());
      assertFalse(store.sessions("+8801811000002", 2).contains(first), "the oldest went");
      Session older = store.sessions("+8801811000002", 2).get(3);
      store.putSession("+8801811000002", 2, older);
      assertEquals(older, store.session("+8801811000002", 2).orElseThrow(), "a session that opened a message is active");
      assertEquals(LocalStore.MAX_SESSIONS_PER_DEVICE, store.sessions("+8801811000002", 2).size());
      store.sessions("+8801811000002", 2).forEach(session -> expected.add(session.toBytes()));
      store.save();
    }
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      List<Session> restored = store.sessions("+8801811000002", 2);
      assertEquals(expected.size(), restored.size());
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i), restored.get(i).toBytes());
      }
      store.removeSession("+8801811000002", 2);
      assertTrue(store.session("+8801811000002", 2).isEmpty());
    }
  }

  @Test
  void historyMergesOnceByIdInTimeOrderPartsCountOnceAndLoggingOutWipesIt() throws Exception {
    try (LocalStore store = LocalStore.open(dir.resolve("home"), KeySource.secure())) {
      store.startOver("+8801711000001", LocalStore.Status.REGISTERED);
      store.setIdentity(IdentityKeyPair.generate(KeySource.secure()), 7);
      HistoryEntry live = new HistoryEntry("02", "+8801811000002", false, "+8801811000002", 1, 20, "live");
      store.addHistory(live);
      HistoryEntry older = new HistoryEntry("01", "+8801811000002", true, "+8801711000001", 1, 10, "older");
      assertEquals(1, store.mergeHistory(List.of(older, live)), "the text that came live is not added again");
      assertEquals(0, store.mergeHistory(List.of(older)));
      assertEquals(List.of("older", "live"), store.history().stream().map(HistoryEntry::body).toList());
      assertFalse(store.historyPartReceived(2, 2));
      assertFalse(store.historyPartReceived(2, 2), "a part that comes again is counted once");
      assertTrue(store.historyPartReceived(1, 2), "every part came, in any order");
      assertFalse(store.historyPartReceived(1, 3), "a transfer with another number of parts starts over");

      store.wipe(Delivery.Reason.LOGGED_OUT);
      assertEquals(LocalStore.Status.LOGGED_OUT, store.status());
      assertEquals(Delivery.Reason.LOGGED_OUT, store.statusReason());
      assertEquals("+8801711000001", store.number());
      assertTrue(store.history().isEmpty());
      assertTrue(store.identity().isEmpty());
    }
  }
}
