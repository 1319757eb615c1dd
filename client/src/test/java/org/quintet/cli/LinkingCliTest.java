package org.quintet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.client.InProcessRelay;
import org.quintet.client.LinkUri;
import org.quintet.protocol.IdentityKey;

/** The linking and lifecycle verbs: their argument errors and exit codes, and a whole run against a relay. */
class LinkingCliTest {
  private static final String ALICE = "+8801711000001";
  private static final String UNUSED_LINK = new LinkUri(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]),
      new byte[32], new IdentityKey(new byte[32], new byte[32]), "laptop").toString();

  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  /** A run whose questions get {@code input} as the user's answers. */
  private static Run answering(String input, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = QuintetCli.run(args, new BufferedReader(new StringReader(input)), new PrintWriter(out, true),
        new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private static Run cli(String... args) {
    return answering("", args);
  }

  private String home(String name) {
    return dir.resolve(name).toString();
  }

  private static void assertExit(int expected, Run run) {
    assertEquals(expected, run.code(), "out: " + run.out() + "\nerr: " + run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace for an expected error: " + run.err());
  }

  /** What a verb that runs in the background has printed so far, for the test to wait on. */
  private static final class LiveOutput extends Writer {
    private final StringBuilder text = new StringBuilder();

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
      text.append(chars, offset, length);
      notifyAll();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    synchronized String line(Predicate<String> wanted) throws InterruptedException {
      long deadline = System.currentTimeMillis() + 20_000;
      while (true) {
        for (String line : text.toString().split("\n")) {
          if (wanted.test(line)) {
            return line;
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("not printed: " + text);
        }
        wait(left);
      }
    }

    @Override
    public synchronized String toString() {
      return text.toString();
    }
  }

  /** A verb running in the background: its output as it comes, and its exit code at the end. */
  private record Background(LiveOutput out, StringWriter err, CompletableFuture<Integer> code) {
    static Background run(String... args) {
      LiveOutput out = new LiveOutput();
      StringWriter err = new StringWriter();
      CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> QuintetCli.run(args,
          new BufferedReader(new StringReader("")), new PrintWriter(out, true), new PrintWriter(err, true)));
      return new Background(out, err, code);
    }

    int exit() throws Exception {
      return code.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void badArgumentsExitWithOneAndAnUnregisteredHomeWithFour() {
    String a = home("a");
    assertExit(ExitCodes.USAGE, cli("link-device", "--home", a));
    assertExit(ExitCodes.USAGE, cli("link-device", "--home", a, UNUSED_LINK, "--code", "ABCD-EFGH"));
    Run notALink = cli("link-device", "--home", a, "https://example.com/link");
    assertExit(ExitCodes.USAGE, notALink);
    assertTrue(notALink.err().contains("not a Quintet link"), notALink.err());
    assertExit(ExitCodes.USAGE, cli("link-device", "--home", a, "--code", "12"));
    assertExit(ExitCodes.USAGE, cli("link-device", "--home", a, "--code", "ABCD-EFGH", "--history-days", "-1"));
    assertExit(ExitCodes.USAGE, cli("link-device", "--home", a, "--code", "ABCD-EFGH", "--timeout", "0"));
    assertExit(ExitCodes.USAGE, cli("link", "--home", a, "--number", "12345"));
    assertExit(ExitCodes.USAGE, cli("link", "--home", a, "--name", ""));
    assertExit(ExitCodes.USAGE, cli("link", "--home", a, "--timeout", "0"));
    assertExit(ExitCodes.USAGE, cli("remove-device", "--home", a, "1"));
    assertExit(ExitCodes.USAGE, cli("remove-device", "--home", a, "two"));
    assertExit(ExitCodes.USAGE, cli("logout", "--home", a, "now"));
    assertExit(ExitCodes.USAGE, cli("rename-device", "--home", a));
    assertExit(ExitCodes.USAGE, cli("rename-device", "--home", a, "laptop", "--device", "0"));
    assertExit(ExitCodes.USAGE, cli("rename-device", "--home", a, "laptop", "--device", "two"));

    assertExit(ExitCodes.NOT_REGISTERED, cli("link-device", "--home", a, UNUSED_LINK));
    assertExit(ExitCodes.NOT_REGISTERED, cli("link-device", "--home", a, "--code", "ABCD-EFGH"));
    assertExit(ExitCodes.NOT_REGISTERED, cli("remove-device", "--home", a, "2"));
    assertExit(ExitCodes.NOT_REGISTERED, cli("logout", "--home", a, "--yes"));
    assertExit(ExitCodes.NOT_REGISTERED, cli("rename-device", "--home", a, "laptop"));
  }

  @Test
  void linkByQrAndByCodeThenRemoveAndLogOut() throws Exception {
    try (InProcessRelay relay = InProcessRelay.start(dir.resolve("relay"))) {
      String alice = home("alice");
      assertExit(ExitCodes.OK, cli("register", "--home", alice, "--relay", relay.url(), ALICE));
      assertExit(ExitCodes.OK, cli("verify", "--home", alice, relay.codeFor(ALICE)));
      assertExit(ExitCodes.OK, cli("send", "--home", alice, ALICE, "a note to self"));
      // A registered home is not linked: that would throw its keys away.
      assertExit(ExitCodes.USAGE, cli("link", "--home", alice));
      Run unanswered = cli("link", "--home", home("nobody"), "--relay", relay.url(), "--timeout", "1");
      assertExit(ExitCodes.LINK_FAILED, unanswered);
      assertTrue(unanswered.err().contains("not linked within 1 s"), unanswered.err());

      Background laptop = Background.run("link", "--home", home("laptop"), "--relay", relay.url(), "--name", "laptop");
      String uri = laptop.out().line(line -> line.startsWith("quintet://link?"));
      String printed = laptop.out().toString();
      assertEquals(uri, QrTextTest.decode(printed.substring(printed.indexOf('█'), printed.indexOf("Scan this"))),
          "the QR code holds the URI printed under it");
      Run linked = cli("link-device", "--home", alice, uri);
      assertExit(ExitCodes.OK, linked);
      assertTrue(linked.out().contains("Linked device 2 (laptop); the device list is at version 2."), linked.out());
      assertTrue(linked.out().contains("Sent 1 text of history in 1 part."), linked.out());
      assertEquals(ExitCodes.OK, laptop.exit(), laptop.err().toString());
      assertTrue(laptop.out().toString().contains("Linked: this device is device 2 of " + ALICE + "."), laptop.out().toString());
      assertTrue(laptop.out().toString().contains("history from the primary: part 1 of 1 (1 text, 1 new); the history is complete"),
          laptop.out().toString());

      // No companion asked yet: the primary hears so at once, not after the two-minute timeout.
      Run cut = cli("link-device", "--home", alice, "quintet://link?v=1");
      assertExit(ExitCodes.USAGE, cut);
      assertTrue(cut.err().contains("put the link in single quotes"), cut.err());
      Run early = cli("link-device", "--home", alice, "--code", "ABCD-EFGH");
      assertExit(ExitCodes.LINK_FAILED, early);
      assertTrue(early.err().contains("no companion asked to link " + ALICE + ";"), early.err());
      assertFalse(early.err().contains("within"), "the timeout's message would say within: " + early.err());

      Background tablet = Background.run("link", "--home", home("tablet"), "--relay", relay.url(), "--number", ALICE,
          "--name", "tablet");
      String code = tablet.out().line(line -> line.matches("[1-9A-Z]{4}-[1-9A-Z]{4}"));
      String wrong = (code.charAt(0) == 'A' ? "B" : "A") + code.substring(1);
      Run refused = cli("link-device", "--home", alice, "--code", wrong);
      assertExit(ExitCodes.LINK_FAILED, refused);
      assertTrue(refused.err().contains("2 attempts left"), refused.err());
      Run byCode = cli("link-device", "--home", alice, "--code", code);
      assertExit(ExitCodes.OK, byCode);
      assertTrue(byCode.out().contains("device 3 was linked to this account"), byCode.out());
      assertEquals(ExitCodes.OK, tablet.exit(), tablet.err().toString());
      assertTrue(tablet.err().toString().contains("the primary typed another code"), tablet.err().toString());

      Run devices = cli("devices", "--home", home("tablet"));
      assertExit(ExitCodes.OK, devices);
      List<String> lines = devices.out().strip().lines().toList();
      assertEquals(3, lines.size(), devices.out());
      assertTrue(lines.get(1).matches("device 2  laptop \\(cli\\)  linked .+  last active .+"), lines.get(1));
      assertTrue(lines.get(2).startsWith("device 3 (this device)  tablet (cli)"), lines.get(2));

      // Renaming: the primary any device, a companion itself; every device lists the new names.
      Run renamed = cli("rename-device", "--home", alice, "Work laptop", "--device", "2");
      assertExit(ExitCodes.OK, renamed);
      assertEquals("Renamed device 2 to \"Work laptop\".\n", renamed.out());
      assertExit(ExitCodes.OK, cli("rename-device", "--home", home("tablet"), "রান্নাঘরের ট্যাবলেট"));
      Run notPrimary = cli("rename-device", "--home", home("tablet"), "mine now", "--device", "1");
      assertExit(ExitCodes.USAGE, notPrimary);
      assertTrue(notPrimary.err().contains("renames others"), notPrimary.err());
      assertExit(ExitCodes.USAGE, cli("rename-device", "--home", home("tablet"), " "));
      Run unknown = cli("rename-device", "--home", alice, "nobody", "--device", "9");
      assertExit(ExitCodes.RELAY_REFUSED, unknown);
      assertTrue(unknown.err().contains("UNKNOWN_DEVICE"), unknown.err());
      List<String> renamedLines = cli("devices", "--home", alice).out().strip().lines().toList();
      assertTrue(renamedLines.get(1).startsWith("device 2  Work laptop (cli)"), renamedLines.get(1));
      assertTrue(renamedLines.get(2).startsWith("device 3  রান্নাঘরের ট্যাবলেট (cli)"), renamedLines.get(2));

      assertExit(ExitCodes.OK, cli("remove-device", "--home", alice, "2"));
      Run removed = cli("receive", "--home", home("laptop"), "--timeout", "5");
      assertExit(ExitCodes.NOT_REGISTERED, removed);
      Run whoami = cli("whoami", "--home", home("laptop"));
      assertExit(ExitCodes.NOT_REGISTERED, whoami);
      // Offline when it was removed, the laptop learns only that the relay no longer knows it.
      assertTrue(whoami.err().contains("(gone)"), whoami.err());

      Run kept = answering("n\n", "logout", "--home", home("tablet"));
      assertExit(ExitCodes.USAGE, kept);
      assertTrue(kept.out().contains("Not logged out."), kept.out());
      assertExit(ExitCodes.OK, answering("y\n", "logout", "--home", home("tablet")));
      Run gone = cli("whoami", "--home", home("tablet"));
      assertExit(ExitCodes.NOT_REGISTERED, gone);
      assertTrue(gone.err().contains("(logged-out)"), gone.err());
      assertExit(ExitCodes.USAGE, cli("logout", "--home", alice, "--yes"));
    }
  }
}
