package org.quintet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.client.HistoryEntry;
import org.quintet.client.InProcessRelay;
import org.quintet.client.LocalStore;
import org.quintet.client.MessageStatus;
import org.quintet.protocol.KeySource;

/**
 * The verbs of a conversation against a real relay in this JVM: each prints what a script needs
 * (the new message's id), receive --json shows every content with its type, and a change the
 * rules refuse exits with its own code.
 */
class ConversationCliTest {
  private static final String ALICE = "+8801711000001";
  private static final String BOB = "+8801811000002";

  @TempDir
  Path dir;

  record Run(int code, String out, String err) {
    List<JsonObject> json() {
      return out.isBlank() ? List.of() : out.strip().lines().map(JsonObject::new).toList();
    }

    /** The JSON lines of one type. */
    List<JsonObject> of(String type) {
      return json().stream().filter(line -> type.equals(line.getString("type"))).toList();
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

  private static Run ok(Run run) {
    assertEquals(ExitCodes.OK, run.code(), "out: " + run.out() + "\nerr: " + run.err());
    return run;
  }

  private static Run refused(int code, Run run) {
    assertEquals(code, run.code(), "out: " + run.out() + "\nerr: " + run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace for an expected error: " + run.err());
    return run;
  }

  /** What a home received, as JSON lines: everything queued for it, then 2 s of quiet. */
  private Run receive(String name) {
    return ok(cli("receive", "--home", home(name), "--json"));
  }

  private String register(InProcessRelay relay, String number, String name) throws Exception {
    ok(cli("register", "--home", home(name), "--relay", relay.url(), number));
    ok(cli("verify", "--home", home(name), relay.codeFor(number)));
    return home(name);
  }

  @Test
  void theVerbsOfAConversationAndWhatTheOtherSideSees() throws Exception {
    try (InProcessRelay relay = InProcessRelay.start(dir.resolve("relay"))) {
      String alice = register(relay, ALICE, "alice");
      String bob = register(relay, BOB, "bob");

      assertEquals(ALICE + " shows no name; set one with profile --name NAME",
          ok(cli("profile", "--home", alice)).out().strip());
      assertTrue(ok(cli("profile", "--home", alice, "--name", "Aliya")).out().contains("\"Aliya\""));
      refused(ExitCodes.USAGE, cli("profile", "--home", alice, "--name", "a\nb"));
      String question = ok(cli("send", "--home", alice, BOB, "coming tonight?")).out().strip();
      assertTrue(question.matches("[0-9a-f]{32}"), "send prints the id alone: " + question);

      Run first = receive("bob");
      assertEquals("Aliya", first.of("profile").get(0).getString("name"), first.out());
      JsonObject text = first.of("text").get(0);
      assertEquals(question, text.getString("id"));
      assertEquals("Aliya", text.getString("fromName"), "the sender's name beside the number");
      assertEquals(ALICE, text.getString("from"));

      JsonObject reply = new JsonObject(ok(cli("reply", "--home", bob, ALICE, question, "yes", "--json")).out());
      assertEquals(ALICE, reply.getString("to"));
      for (String notOne : List.of("👍👍", "ok", "👍 ", ":)")) {
        Run wrong = refused(ExitCodes.USAGE, cli("react", "--home", bob, ALICE, question, notOne));
        assertTrue(wrong.err().contains("a reaction is one emoji"), wrong.err());
      }
      ok(cli("react", "--home", bob, ALICE, question, "❤"));
      Run unknown = refused(ExitCodes.MESSAGE_REFUSED, cli("react", "--home", bob, ALICE, "ab".repeat(16), "👍"));
      assertTrue(unknown.err().contains("holds no message " + "ab".repeat(16)), unknown.err());
      Run notAuthor = refused(ExitCodes.MESSAGE_REFUSED, cli("edit", "--home", bob, ALICE, question, "no"));
      assertTrue(notAuthor.err().contains("only its author"), notAuthor.err());
      assertEquals("{\"read\":1}", ok(cli("read", "--home", bob, ALICE, "--json")).out().strip());
      ok(cli("typing", "--home", bob, ALICE));

      Run seen = receive("alice");
      JsonObject answer = seen.of("text").get(0);
      assertEquals("yes", answer.getString("body"));
      assertEquals(new JsonObject().put("id", question).put("author", ALICE).put("body", "coming tonight?"),
          answer.getJsonObject("quote"));
      JsonObject reaction = seen.of("reaction").get(0);
      assertEquals(question, reaction.getString("target"));
      assertEquals("❤️", reaction.getString("emoji"), "sent as the emoji, with its presentation selector");
      assertEquals(new JsonArray().add(question), seen.of("read").get(0).getJsonArray("targets"));
      assertTrue(seen.of("typing").isEmpty(), "typing reaches only devices connected at that moment: none waits");

      ok(cli("edit", "--home", alice, BOB, question, "coming tonight at 8?"));
      ok(cli("settings", "--home", alice, "--read-receipts", "off"));
      assertEquals("read receipts: off", ok(cli("settings", "--home", alice)).out().strip());
      ok(cli("delete", "--home", alice, BOB, question));
      Run changed = receive("bob");
      assertEquals("coming tonight at 8?", changed.of("edit").get(0).getString("body"));
      assertEquals(question, changed.of("delete").get(0).getString("target"));

      ok(cli("delete", "--home", bob, ALICE, reply.getString("id"), "--for-me"));
      try (LocalStore store = LocalStore.open(dir.resolve("bob"), KeySource.secure())) {
        assertTrue(store.historyEntry(reply.getString("id")).isEmpty());
        assertTrue(store.historyEntry(question).orElseThrow().deleted());
      }
    }
  }

  @Test
  void anEditPastItsWindowAndAPersonsNameInTheTextOutput() throws Exception {
    try (InProcessRelay relay = InProcessRelay.start(dir.resolve("relay"))) {
      String alice = register(relay, ALICE, "alice");
      String bob = register(relay, BOB, "bob");
      // A text Alice sent 16 minutes ago, as her home keeps it.
      String old = "cd".repeat(16);
      try (LocalStore store = LocalStore.open(dir.resolve("alice"), KeySource.secure())) {
        store.addHistory(new HistoryEntry(old, BOB, true, ALICE, 1,
            System.currentTimeMillis() - Duration.ofMinutes(16).toMillis(), "old news", null, MessageStatus.SENT, 0,
            List.of()));
        store.save();
      }
      Run late = refused(ExitCodes.MESSAGE_REFUSED, cli("edit", "--home", alice, BOB, old, "new news"));
      assertTrue(late.err().contains("older than 15 minutes"), late.err());
      ok(cli("delete", "--home", alice, BOB, old));

      ok(cli("profile", "--home", bob, "--name", "Bob"));
      ok(cli("send", "--home", bob, ALICE, "hello"));
      Run plain = ok(cli("receive", "--home", alice));
      assertTrue(plain.out().contains("Bob (" + BOB + ", device 1) is called \"Bob\""), plain.out());
      assertTrue(plain.out().contains("Bob (" + BOB + ", device 1): hello  [id "), plain.out());
    }
  }

  @Test
  void theVerbsRunThroughTheProcessThatHoldsTheHome() throws Exception {
    try (InProcessRelay relay = InProcessRelay.start(dir.resolve("relay"))) {
      String alice = register(relay, ALICE, "alice");
      String bob = register(relay, BOB, "bob");
      String question = ok(cli("send", "--home", alice, BOB, "there?")).out().strip();

      StringWriter printed = new StringWriter();
      CompletableFuture<Integer> daemon = CompletableFuture.supplyAsync(() -> QuintetCli.run(
          new String[] {"daemon", "--home", bob}, new PrintWriter(printed, true), new PrintWriter(new StringWriter())));
      // A reaction names a text the home holds: the daemon takes it in first.
      awaitPrinted(printed, "\"body\":\"there?\"");
      ok(cli("profile", "--home", bob, "--name", "Bob"));
      ok(cli("react", "--home", bob, ALICE, question, "👍"));
      ok(cli("reply", "--home", bob, ALICE, question, "here"));
      ok(cli("read", "--home", bob, ALICE));
      ok(cli("send", "--home", alice, BOB, "good"));
      awaitPrinted(printed, "\"body\":\"good\"");
      JsonObject stopped = HomeSocket.call(dir.resolve("bob").resolve(HomeSocket.FILE),
          new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "stop"));
      assertTrue(stopped.containsKey("result"), stopped.encode());
      assertEquals(ExitCodes.OK, daemon.get(60, TimeUnit.SECONDS));

      Run seen = receive("alice");
      assertEquals("👍", seen.of("reaction").get(0).getString("emoji"));
      assertEquals("here", seen.of("text").get(0).getString("body"));
      assertEquals("Bob", seen.of("text").get(0).getString("fromName"));
      assertEquals(new JsonArray().add(question), seen.of("read").get(0).getJsonArray("targets"));
    }
  }

  @Test
  void searchFindsTheTextsAHomeHoldsHereAndThroughTheProcessThatHoldsIt() throws Exception {
    try (InProcessRelay relay = InProcessRelay.start(dir.resolve("relay"))) {
      String alice = register(relay, ALICE, "alice");
      String bob = register(relay, BOB, "bob");
      ok(cli("profile", "--home", alice, "--name", "Aliya"));
      String dinner = ok(cli("send", "--home", alice, BOB, "dinner at eight?")).out().strip();
      ok(cli("send", "--home", alice, BOB, "আমি বাংলায় লিখছি"));
      JsonObject received = receive("bob").of("text").stream().filter(line -> line.getString("id").equals(dinner))
          .findFirst().orElseThrow();
      String answer = new JsonObject(ok(cli("send", "--home", bob, ALICE, "yes, dinner", "--json")).out())
          .getString("id");

      Run found = ok(cli("search", "--home", bob, "din", "--json"));
      assertEquals(2, found.of("hit").size(), found.out());
      JsonObject hit = found.of("hit").stream().filter(line -> line.getString("id").equals(dinner)).findFirst()
          .orElseThrow();
      assertEquals(new JsonObject().put("type", "hit").put("id", dinner).put("peer", ALICE).put("from", ALICE)
          .put("fromName", "Aliya").put("timestamp", received.getLong("timestamp")).put("outgoing", false)
          .put("body", "dinner at eight?"), hit);
      JsonObject own = found.of("hit").stream().filter(line -> line.getString("id").equals(answer)).findFirst()
          .orElseThrow();
      assertTrue(own.getBoolean("outgoing"));
      assertEquals(BOB, own.getString("from"));
      assertFalse(own.containsKey("fromName"), "Bob chose no name");
      assertEquals(1, ok(cli("search", "--home", bob, "dinner", "--json", "--limit", "1")).json().size());

      Run text = ok(cli("search", "--home", bob, "বাংলা"));
      assertTrue(text.out().strip().matches("\\[[-0-9 :]+\\] " + Pattern.quote("Aliya (" + ALICE
          + ", device 1): আমি বাংলায় লিখছি") + "  \\[id [0-9a-f]{32}\\]"), text.out());
      Run none = ok(cli("search", "--home", bob, "lunch"));
      assertEquals("", none.out() + none.err(), "nothing found, nothing printed");
      Run empty = refused(ExitCodes.USAGE, cli("search", "--home", bob, " "));
      assertTrue(empty.err().contains("a search needs at least one word"), empty.err());
      assertEquals(1, ok(cli("search", "--home", bob, "--json", "--", "-dinner\"", "at:")).json().size(),
          "what a person types is looked for as text");

      StringWriter printed = new StringWriter();
      CompletableFuture<Integer> daemon = CompletableFuture.supplyAsync(() -> QuintetCli.run(
          new String[] {"daemon", "--home", bob}, new PrintWriter(printed, true), new PrintWriter(new StringWriter())));
      ok(cli("send", "--home", alice, BOB, "lunch tomorrow?"));
      awaitPrinted(printed, "\"body\":\"lunch tomorrow?\"");
      // The daemon holds the home's lock: only through it can search read the text it just took in.
      List<JsonObject> lunch = ok(cli("search", "--home", bob, "lunch", "--json")).of("hit");
      assertEquals(List.of("lunch tomorrow?"), lunch.stream().map(line -> line.getString("body")).toList());
      JsonObject stopped = HomeSocket.call(dir.resolve("bob").resolve(HomeSocket.FILE),
          new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "stop"));
      assertTrue(stopped.containsKey("result"), stopped.encode());
      assertEquals(ExitCodes.OK, daemon.get(60, TimeUnit.SECONDS));
    }
  }

  private static void awaitPrinted(StringWriter printed, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!printed.toString().contains(what)) {
      assertTrue(System.currentTimeMillis() < deadline, "the daemon did not print " + what + ": " + printed);
      Thread.sleep(50);
    }
  }
}
