package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.client.InProcessRelay.await;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

/**
 * Files between two accounts on a real relay in this JVM: Alice with a phone and a laptop, Bob
 * with a phone. A photo and a file reach every device, are downloaded with the bytes sent, and
 * nothing of them is readable on the relay; a blob changed on the relay is refused.
 */
class AttachmentTest {
  private static final String ALICE = "+8801711000001";
  private static final String BOB = "+8801811000002";

  @TempDir
  Path dir;
  TestDevices devices;
  QuintetClient alicePhone;
  QuintetClient aliceLaptop;
  QuintetClient bobPhone;
  ListenerQueues alicePhoneInbox;
  ListenerQueues aliceLaptopInbox;
  ListenerQueues bobInbox;

  @BeforeEach
  void start() throws Exception {
    devices = new TestDevices(InProcessRelay.start(dir.resolve("relay")), dir);
    alicePhone = devices.registerPrimary(ALICE, "alice-phone");
    aliceLaptop = devices.linkCompanion(alicePhone, ALICE, "alice-laptop");
    bobPhone = devices.registerPrimary(BOB, "bob-phone");
    alicePhoneInbox = TestDevices.receive(alicePhone);
    aliceLaptopInbox = TestDevices.receive(aliceLaptop);
    bobInbox = TestDevices.receive(bobPhone);
  }

  @AfterEach
  void stop() throws Exception {
    devices.close();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private Path photo() throws Exception {
    BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, 640, 480);
    g.setColor(Color.BLUE);
    g.fillOval(100, 100, 300, 200);
    g.dispose();
    Path file = dir.resolve("garden.png");
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  @Test
  void aPhotoAndAFileReachEveryDeviceAndDownloadAsSent() throws Exception {
    Path photo = photo();
    AtomicLong uploaded = new AtomicLong();
    SentMessage sent = await(alicePhone.sendFile(BOB, photo, "our garden", (done, total) -> uploaded.set(done)));
    assertTrue(uploaded.get() > Files.size(photo), "the progress reaches the whole blob, padding and tags included");

    IncomingMessage received = bobInbox.nextMessage();
    assertEquals(sent.id(), received.id());
    assertEquals("our garden", received.body());
    AttachmentPointer pointer = received.attachment();
    assertNotNull(pointer);
    assertEquals("image/png", pointer.contentType());
    assertEquals("garden.png", pointer.fileName());
    assertEquals(640, pointer.width());
    assertEquals(480, pointer.height());
    assertNotNull(ImageIO.read(new ByteArrayInputStream(pointer.thumbnail())), "the thumbnail is a picture");
    assertTrue(pointer.thumbnail().length <= ContentLimits.MAX_THUMBNAIL_BYTES);
    assertEquals(pointer, aliceLaptopInbox.nextMessage().attachment(), "the sender's other device has it too");

    SavedAttachment saved = await(bobPhone.downloadAttachment(sent.id(), TransferProgress.NONE));
    assertArrayEquals(Files.readAllBytes(photo), Files.readAllBytes(saved.path()));
    assertEquals(sha256(Files.readAllBytes(photo)), saved.sha256());
    assertEquals("garden.png", saved.path().getFileName().toString());
    assertEquals(saved, await(bobPhone.downloadAttachment(sent.id(), TransferProgress.NONE)), "saved once");
    assertEquals(pointer, bobPhone.store().historyEntry(sent.id()).orElseThrow().attachment(), "kept with its text");

    byte[] data = new byte[300_000];
    new Random(7).nextBytes(data);
    Path file = dir.resolve("report.bin");
    Files.write(file, data);
    SentMessage second = await(bobPhone.sendFile(ALICE, file, null, TransferProgress.NONE));
    assertEquals("", alicePhoneInbox.nextMessage().body(), "no caption");
    assertEquals(second.id(), aliceLaptopInbox.nextMessage().id());
    for (QuintetClient alice : List.of(alicePhone, aliceLaptop)) {
      SavedAttachment got = await(alice.downloadAttachment(second.id(), TransferProgress.NONE));
      assertArrayEquals(data, Files.readAllBytes(got.path()));
    }

    try (Stream<Path> stored = Files.walk(dir.resolve("relay"))) {
      for (Path blob : stored.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(blob);
        assertFalse(contains(bytes, "garden".getBytes()) || contains(bytes, java.util.Arrays.copyOf(data, 64)),
            "no file name or plaintext on the relay: " + blob);
      }
    }
  }

  @Test
  void aBlobChangedOnTheRelayIsRefusedAndAMessageWithoutAFileHasNoneToDownload() throws Exception {
    byte[] data = new byte[100_000];
    new Random(8).nextBytes(data);
    Path file = dir.resolve("notes.bin");
    Files.write(file, data);
    SentMessage sent = await(alicePhone.sendFile(BOB, file, "notes", TransferProgress.NONE));
    bobInbox.nextMessage();
    Path blob;
    try (Stream<Path> stored = Files.walk(dir.resolve("relay").resolve("blobs"))) {
      blob = stored.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(blob);
    bytes[5000] ^= 1;
    Files.write(blob, bytes);

    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> await(bobPhone.downloadAttachment(sent.id(), TransferProgress.NONE)));
    assertTrue(refused.getCause() instanceof ProtocolException e && e.error() == ProtocolError.AUTH_FAILED,
        String.valueOf(refused.getCause()));
    assertFalse(Files.exists(bobPhone.store().home().resolve("attachments").resolve(sent.id()).resolve("notes.bin")),
        "nothing is saved of a file that is not the one sent");

    SentMessage text = await(alicePhone.sendText(BOB, "no file here"));
    bobInbox.nextMessage();
    ExecutionException none = assertThrows(ExecutionException.class,
        () -> await(bobPhone.downloadAttachment(text.id(), TransferProgress.NONE)));
    assertTrue(none.getCause() instanceof ChangeRefusedException, String.valueOf(none.getCause()));
    assertThrows(ExecutionException.class,
        () -> await(alicePhone.sendFile(BOB, dir.resolve("missing.txt"), null, TransferProgress.NONE)));
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
