package org.quintet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.client.InProcessRelay;

/**
 * Files on the command line against a real relay in this JVM: send-file prints the message's id,
 * receive downloads the file and prints where it is with its SHA-256, download fetches it again,
 * and what cannot be done says why.
 */
class AttachmentCliTest {
  private static final String ALICE = "+8801711000001";
  private static final String BOB = "+8801811000002";

  @TempDir
  Path dir;

  record Run(int code, String out, String err) {
    List<JsonObject> json() {
      return out.isBlank() ? List.of() : out.strip().lines().map(JsonObject::new).toList();
    }
  }

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = QuintetCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private static Run ok(Run run) {
    assertEquals(ExitCodes.OK, run.code(), "out: " + run.out() + "\nerr: " + run.err());
    return run;
  }

  private String register(InProcessRelay relay, String number, String name) throws Exception {
    String home = dir.resolve(name).toString();
    ok(cli("register", "--home", home, "--relay", relay.url(), number));
    ok(cli("verify", "--home", home, relay.codeFor(number)));
    return home;
  }

  @Test
  void aFileGoesByCommandLineAndComesOutWithItsDigest() throws Exception {
    try (InProcessRelay relay = InProcessRelay.start(dir.resolve("relay"))) {
      String alice = register(relay, ALICE, "alice");
      String bob = register(relay, BOB, "bob");
      byte[] data = new byte[3 << 20];
      new Random(9).nextBytes(data);
      Path file = dir.resolve("holiday video.bin");
      Files.write(file, data);
      String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));

      Run sent = ok(cli("send-file", "--home", alice, BOB, file.toString(), "--caption", "from the beach"));
      String id = sent.out().strip();
      assertTrue(id.matches("[0-9a-f]{32}"), sent.out());
      assertTrue(sent.err().contains("uploading holiday video.bin: 100% of 3.1 MB"), "progress: " + sent.err());

      JsonObject line = ok(cli("receive", "--home", bob, "--json")).json().stream()
          .filter(l -> "attachment".equals(l.getString("type"))).findFirst().orElseThrow();
      assertEquals(id, line.getString("id"));
      assertEquals("from the beach", line.getString("caption"));
      assertEquals("holiday video.bin", line.getString("fileName"));
      assertEquals(data.length, line.getLong("size"));
      assertEquals(sha256, line.getString("sha256"));
      Path saved = Path.of(line.getString("path"));
      assertArrayEquals(data, Files.readAllBytes(saved));

      JsonObject again = new JsonObject(ok(cli("download", "--home", bob, id, "--json")).out().strip());
      assertEquals(saved.toString(), again.getString("path"));
      assertEquals(sha256, again.getString("sha256"));

      Run text = ok(cli("send", "--home", alice, BOB, "just words"));
      ok(cli("receive", "--home", bob));
      Run none = cli("download", "--home", bob, text.out().strip());
      assertEquals(ExitCodes.MESSAGE_REFUSED, none.code(), none.err());
      assertTrue(none.err().contains("no file"), none.err());
      Run missing = cli("send-file", "--home", alice, BOB, dir.resolve("nowhere.txt").toString());
      assertEquals(ExitCodes.USAGE, missing.code(), missing.err());
      assertTrue(missing.err().contains("no file at"), missing.err());
      assertFalse(missing.err().contains("\tat "), "no stack trace: " + missing.err());
    }
  }
}
