package org.quintet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.client.InProcessRelay;
import org.quintet.client.LocalStore;
import org.quintet.protocol.KeySource;

class QuintetCliTest {
  private static final String ALICE = "+8801711000001";
  private static final String BOB = "+8801811000002";

  @TempDir
  Path dir;

  /** One run of the CLI: its exit code and what it printed. */
  record Run(int code, String out, String err) {
    List<String> lines() {
      return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }
  }

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = QuintetCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private String home(String name) {
    return dir.resolve(name).toString();
  }

  private static void assertExit(int expected, Run run) {
    assertEquals(expected, run.code(), "out: " + run.out() + "\nerr: " + run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace for an expected error: " + run.err());
  }

  @Test
  void usageErrorsExitWithOne() {
    assertExit(ExitCodes.USAGE, cli());
    assertExit(ExitCodes.USAGE, cli("fly"));
    assertExit(ExitCodes.USAGE, cli("send", "--home", home("a"), BOB));
    assertExit(ExitCodes.USAGE, cli("register", "--home", home("a"), "12345"));
    assertExit(ExitCodes.USAGE, cli("send", "--home", home("a"), "+12", "hi"));
    assertExit(ExitCodes.USAGE, cli("register", "--relay", "ftp://relay", "--home", home("a"), ALICE));
    assertExit(ExitCodes.USAGE, cli("receive", "--home", home("a"), "--timeout", "soon"));
  }

  @Test
  void anUnregisteredHomeSaysSo() {
    Run whoami = cli("whoami", "--home", home("new"));
    assertExit(ExitCodes.NOT_REGISTERED, whoami);
    assertTrue(whoami.err().contains("not registered"), whoami.err());
    assertExit(ExitCodes.NOT_REGISTERED, cli("send", "--home", home("new"), BOB, "hi"));
    assertExit(ExitCodes.NOT_REGISTERED, cli("receive", "--home", home("new"), "--timeout", "1"));
    assertExit(ExitCodes.NOT_REGISTERED, cli("devices", "--home", home("new")));
    assertExit(ExitCodes.NOT_REGISTERED, cli("verify", "--home", home("new"), "123456"));
  }

  @Test
  void theCommonOptionsMayComeBeforeTheVerb() {
    Run before = cli("--home", home("new"), "whoami");
    assertExit(ExitCodes.NOT_REGISTERED, before);
    assertTrue(before.err().contains("(home: " + home("new") + ")"), "says which home it used: " + before.err());
    assertTrue(before.err().contains("register NUMBER --home " + home("new")), "the next command: " + before.err());
    Run joined = cli("--home=" + home("other"), "--relay", "http://127.0.0.1:1", "devices");
    assertExit(ExitCodes.NOT_REGISTERED, joined);
    assertTrue(joined.err().contains(home("other")), joined.err());
    assertEquals(List.of("send", "--home", "h", "--relay=r", "+1", "hi"),
        List.of(QuintetCli.verbFirst(new String[] {"--home", "h", "--relay=r", "send", "+1", "hi"})));
    assertEquals(List.of("--home", "h"), List.of(QuintetCli.verbFirst(new String[] {"--home", "h"})),
        "without a verb the arguments stay as they are, for the usage error");
  }

  @Test
  void everyVerbExplainsItselfWithHelp() {
    for (String verb : List.of("register", "verify", "send", "reply", "react", "edit", "delete", "read", "typing",
        "profile", "settings", "search", "receive", "devices", "whoami", "trust", "link", "link-device",
        "rename-device", "remove-device", "logout")) {
      Run help = cli(verb, "--help");
      assertExit(ExitCodes.OK, help);
      assertTrue(help.out().contains("--home") && help.out().contains("QUINTET_HOME")
          && help.out().contains("QUINTET_RELAY"), verb + ": " + help.out());
    }
    assertFalse(Files.exists(dir.resolve("a")), "help touches no home");
  }

  @Test
  void anUnreachableRelayExitsWithThree() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Run run = cli("register", "--home", home("a"), "--relay", "http://127.0.0.1:" + port, ALICE);
    assertExit(ExitCodes.UNREACHABLE, run);
    assertTrue(run.err().contains("cannot reach the relay"), run.err());
  }

  @Test
  void aHomeInUseExitsWithSix() throws Exception {
    try (LocalStore held = LocalStore.open(dir.resolve("busy"), KeySource.secure())) {
      Run run = cli("whoami", "--home", home("busy"));
      assertExit(ExitCodes.LOCAL_STATE, run);
      assertTrue(run.err().contains("another quintet process"), run.err());
    }
  }

  @Test
  void aDamagedStoreExitsWithSixAndSaysWhichFile() throws Exception {
    LocalStore.open(dir.resolve("damaged"), KeySource.secure()).close();
    Path store = dir.resolve("damaged").resolve(LocalStore.STORE_FILE);
    Files.writeString(store, "not a database, and long enough to be read as one: " + "x".repeat(200));
    Run run = cli("whoami", "--home", home("damaged"));
    assertExit(ExitCodes.LOCAL_STATE, run);
    assertTrue(run.err().contains(store + " is not a store this client can use"), run.err());
  }

  @Test
  void registerSendAndReceiveAgainstARealRelay() throws Exception {
    try (InProcessRelay relay = InProcessRelay.start(dir.resolve("relay"))) {
      for (String[] account : List.of(new String[] {ALICE, home("alice")}, new String[] {BOB, home("bob")})) {
        Run registered = cli("register", "--home", account[1], "--relay", relay.url(), account[0]);
        assertExit(ExitCodes.OK, registered);
        assertTrue(registered.out().contains("was written to the relay's log"), registered.out());
        assertTrue(registered.out().contains("Then run: quintet verify CODE --home " + account[1]), registered.out());
        Run wrong = cli("verify", "--home", account[1], "000000".equals(relay.codeFor(account[0])) ? "111111" : "000000");
        assertExit(ExitCodes.RELAY_REFUSED, wrong);
        assertTrue(wrong.err().contains("WRONG_CODE") && wrong.err().contains("attempts left"), wrong.err());
        // The relay is remembered: no --relay from here on.
        assertExit(ExitCodes.OK, cli("verify", "--home", account[1], relay.codeFor(account[0])));
      }
      Run whoami = cli("whoami", "--home", home("alice"));
      assertExit(ExitCodes.OK, whoami);
      assertTrue(whoami.out().startsWith(ALICE + ", device 1 (primary)"), whoami.out());
      assertTrue(whoami.out().contains(relay.url()), whoami.out());
      // A registered home is not registered again (that would make a new primary and log this one out).
      assertExit(ExitCodes.USAGE, cli("register", "--home", home("alice"), ALICE));

      Run devices = cli("devices", "--home", home("alice"), "--json");
      assertExit(ExitCodes.OK, devices);
      JsonObject listed = new JsonObject(devices.out().strip());
      assertEquals(1, listed.getJsonArray("devices").size());
      assertTrue(listed.getJsonArray("devices").getJsonObject(0).getBoolean("thisDevice"));

      assertExit(ExitCodes.OK, cli("send", "--home", home("alice"), BOB, "first"));
      assertExit(ExitCodes.OK, cli("send", "--home", home("alice"), BOB, "second, with ünïcode"));
      assertExit(ExitCodes.RELAY_REFUSED, cli("send", "--home", home("alice"), "+8801911000003", "nobody"));

      Run received = cli("receive", "--home", home("bob"), "--json");
      assertExit(ExitCodes.OK, received);
      List<JsonObject> messages = new ArrayList<>();
      received.lines().forEach(line -> messages.add(new JsonObject(line)));
      assertEquals(List.of("first", "second, with ünïcode"), messages.stream().map(m -> m.getString("body")).toList());
      for (JsonObject message : messages) {
        assertEquals(ALICE, message.getString("from"));
        assertEquals(1L, message.getLong("fromDevice"));
        assertEquals(32, message.getString("id").length());
        assertTrue(message.getLong("timestamp") > 0);
      }
      // Everything was acknowledged: nothing comes again.
      Run again = cli("receive", "--home", home("bob"), "--timeout", "2");
      assertExit(ExitCodes.OK, again);
      assertEquals(List.of(), again.lines());

      Run receipts = cli("receive", "--home", home("alice"));
      assertExit(ExitCodes.OK, receipts);
      assertEquals(2, receipts.lines().size(), receipts.out());
      assertTrue(receipts.lines().stream().allMatch(line -> line.contains("receipt: " + BOB + " (device 1)")),
          receipts.out());
      assertTrue(receipts.out().contains("received \"first\"") && receipts.out().contains("received \"second, with ünïcode\""),
          "a receipt names its message by its first words: " + receipts.out());

      assertExit(ExitCodes.OK, cli("send", "--home", home("bob"), ALICE, "reply"));
      Run text = cli("receive", "--home", home("alice"), "--timeout", "3");
      assertExit(ExitCodes.OK, text);
      assertTrue(text.out().matches(
          "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d] \\+8801811000002 \\(device 1\\): reply  \\[id [0-9a-f]{32}]\\s*"),
          text.out());
    }
  }

  /** A send refused because the recipient's device has a full queue: one clear sentence and its own exit code. */
  @Test
  void aSendToAFullQueueSaysWhoseAndExitsWithEight() throws Exception {
    try (InProcessRelay relay = InProcessRelay.start(dir.resolve("relay"),
        new JsonObject().put("limits", new JsonObject().put("maxQueuedEnvelopesPerDevice", 1)))) {
      for (String[] account : List.of(new String[] {ALICE, home("alice")}, new String[] {BOB, home("bob")})) {
        assertExit(ExitCodes.OK, cli("register", "--home", account[1], "--relay", relay.url(), account[0]));
        assertExit(ExitCodes.OK, cli("verify", "--home", account[1], relay.codeFor(account[0])));
      }
      assertExit(ExitCodes.OK, cli("send", "--home", home("alice"), BOB, "first"));

      Run refused = cli("send", "--home", home("alice"), BOB, "second");

      assertExit(ExitCodes.QUEUE_FULL, refused);
      assertEquals("quintet: not sent, to anyone: device 1 of " + BOB + " already has 1 message waiting on the relay,"
          + " the most it may hold. Send again once that device has come online and taken them.\n", refused.err());
      assertExit(ExitCodes.OK, cli("receive", "--home", home("bob"), "--timeout", "2"));
      assertExit(ExitCodes.OK, cli("send", "--home", home("alice"), BOB, "second"));
    }
  }

  /** A verb running on its own thread, as in another terminal. */
  private static CompletableFuture<Run> inBackground(String... args) {
    return CompletableFuture.supplyAsync(() -> cli(args));
  }

  private static void awaitSocket(Path home) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!Files.exists(home.resolve(HomeSocket.FILE))) {
      assertTrue(System.currentTimeMillis() < deadline, "the home's socket did not appear");
      Thread.sleep(50);
    }
  }

  @Test
  void verbsRunOnAHomeWhileReceiveOrTheDaemonHoldsIt() throws Exception {
    try (InProcessRelay relay = InProcessRelay.start(dir.resolve("relay"))) {
      for (String[] account : List.of(new String[] {ALICE, home("alice")}, new String[] {BOB, home("bob")})) {
        assertExit(ExitCodes.OK, cli("register", "--home", account[1], "--relay", relay.url(), account[0]));
        assertExit(ExitCodes.OK, cli("verify", "--home", account[1], relay.codeFor(account[0])));
      }
      // Bob receives in one terminal and writes in another, on the same home.
      CompletableFuture<Run> receiving = inBackground("receive", "--home", home("bob"), "--timeout", "8", "--json");
      awaitSocket(dir.resolve("bob"));
      assertExit(ExitCodes.OK, cli("send", "--home", home("alice"), BOB, "are you there?"));
      assertExit(ExitCodes.OK, cli("send", "--home", home("bob"), ALICE, "yes, typing while receiving"));
      Run whoami = cli("whoami", "--home", home("bob"));
      assertExit(ExitCodes.OK, whoami);
      assertTrue(whoami.out().startsWith(BOB), whoami.out());
      assertExit(ExitCodes.OK, cli("send", "--home", home("alice"), BOB, "good"));
      Run received = receiving.get(60, TimeUnit.SECONDS);
      assertExit(ExitCodes.OK, received);
      List<String> bodies = received.lines().stream().map(JsonObject::new)
          .filter(line -> "text".equals(line.getString("type"))).map(line -> line.getString("body")).toList();
      assertEquals(List.of("are you there?", "good"), bodies, "each text once: " + received.out());
      assertFalse(Files.exists(dir.resolve("bob").resolve(HomeSocket.FILE)), "the socket goes with the process");
      Run aliceGot = cli("receive", "--home", home("alice"), "--json");
      assertTrue(aliceGot.out().contains("yes, typing while receiving"), aliceGot.out());

      // The daemon: JSON-RPC on the home's socket, every other verb through it, then stop.
      CompletableFuture<Run> daemon = inBackground("daemon", "--home", home("bob"));
      awaitSocket(dir.resolve("bob"));
      Path socket = dir.resolve("bob").resolve(HomeSocket.FILE);
      JsonObject sent = HomeSocket.call(socket, new JsonObject().put("jsonrpc", "2.0").put("id", 7).put("method", "send")
          .put("params", new JsonObject().put("number", ALICE).put("text", "from the daemon")));
      assertEquals(7, sent.getInteger("id"));
      assertEquals(1, sent.getJsonObject("result").getInteger("devices"), sent.encode());
      JsonObject refused = HomeSocket.call(socket, new JsonObject().put("jsonrpc", "2.0").put("id", 8).put("method", "run")
          .put("params", new JsonObject().put("args", new io.vertx.core.json.JsonArray().add("logout"))));
      assertEquals(-32602, refused.getJsonObject("error").getInteger("code"), refused.encode());
      assertExit(ExitCodes.OK, cli("rename-device", "--home", home("bob"), "bob's phone"));
      Run devices = cli("devices", "--home", home("bob"), "--json");
      assertExit(ExitCodes.OK, devices);
      assertEquals(1, new JsonObject(devices.out().strip()).getJsonArray("devices").size());
      assertEquals("bob's phone", new JsonObject(devices.out().strip()).getJsonArray("devices").getJsonObject(0)
          .getString("name"), "renamed through the daemon");
      assertExit(ExitCodes.OK, cli("send", "--home", home("alice"), BOB, "to the daemon"));
      JsonObject stopped = HomeSocket.call(socket, new JsonObject().put("jsonrpc", "2.0").put("id", 9).put("method", "stop"));
      assertTrue(stopped.containsKey("result"), stopped.encode());
      Run ended = daemon.get(60, TimeUnit.SECONDS);
      assertExit(ExitCodes.OK, ended);
      assertTrue(ended.out().contains("\"body\":\"to the daemon\""), ended.out());
      assertTrue(cli("receive", "--home", home("alice"), "--json").out().contains("from the daemon"));
    }
  }

  @Test
  void aSelfSignedRelayIsRefusedWithThePinToGiveThenTrustedByThePinOrItsCertificateFile() throws Exception {
    try (InProcessRelay relay = InProcessRelay.https(dir.resolve("relay"), "127.0.0.2")) {
      Run refused = cli("register", "--home", home("alice"), "--relay", relay.url(), ALICE);
      assertExit(ExitCodes.UNREACHABLE, refused);
      assertTrue(refused.err().contains(relay.fingerprint()), refused.err());
      assertTrue(refused.err().contains("run the command again with --relay-fingerprint " + relay.publicKeyPin()),
          refused.err());

      Run typo = cli("register", "--home", home("alice"), "--relay", relay.url(), "--relay-fingerprint", "AB:CD", ALICE);
      assertExit(ExitCodes.USAGE, typo);
      assertTrue(typo.err().contains("64 hex digits"), typo.err());

      // Pinned before the verb (as the error says) or after it; the home keeps it from then on.
      assertExit(ExitCodes.OK, cli("--relay-fingerprint", relay.publicKeyPin(), "register", "--home", home("alice"),
          "--relay", relay.url(), ALICE));
      assertExit(ExitCodes.OK, cli("verify", "--home", home("alice"), relay.codeFor(ALICE)));
      Run devices = cli("devices", "--home", home("alice"));
      assertExit(ExitCodes.OK, devices);

      // The relay's own certificate file works as well as its pin.
      Path certificate = dir.resolve("relay").resolve("tls").resolve("self-signed-cert.pem");
      assertExit(ExitCodes.OK, cli("register", "--home", home("bob"), "--relay", relay.url(), "--relay-cert",
          certificate.toString(), BOB));
      assertExit(ExitCodes.OK, cli("verify", "--home", home("bob"), relay.codeFor(BOB)));
      assertExit(ExitCodes.OK, cli("send", "--home", home("bob"), ALICE, "pinned both ways"));
      Run received = cli("receive", "--home", home("alice"), "--json");
      assertTrue(received.out().contains("pinned both ways"), received.out());
    }
  }
}
