// Two relay nodes over one Redis: a browser opened on node A is linked by scanning its QR code with
// a primary that talks to node B, and then chats with a contact on node B, every message crossing
// between the nodes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  cli, cliBackground, expectOk, openBrowser, registerPrimary, shownLink, startCluster, tempDir, waitFor,
} from './harness.mjs';

const ALICE = '+8801711000021';
const BOB = '+8801811000022';
const STEP = 60_000;

describe('cluster: a browser on node A linked to a primary on node B', { timeout: 10 * 60_000 }, () => {
  let cluster;
  let nodeA;
  let nodeB;
  let browser;
  const alice = tempDir('alice');
  const bob = tempDir('bob');

  before(async () => {
    cluster = await startCluster({ nodes: 2 });
    [nodeA, nodeB] = cluster.nodes;
    browser = await openBrowser();
    await registerPrimary(nodeB, alice, ALICE);
    await registerPrimary(nodeB, bob, BOB);
    await expectOk(await cli(nodeB, alice, ['send', BOB, 'before the browser was linked']), 'send');
    await expectOk(await cli(nodeB, bob, ['receive', '--timeout', '3']), 'receive');
  });

  after(async () => {
    await browser?.close();
    await cluster?.stop();
  });

  const byId = (page, id) => page.locator(`[data-testid="${id}"]`);

  // What `receive --json` printed on a home so far, one object per line.
  const inboxes = new Map();
  // Runs `receive --json` on a home until a message with `body` has arrived; returns that message.
  async function receiveText(node, home, body, who) {
    if (!inboxes.has(home)) inboxes.set(home, []);
    const inbox = inboxes.get(home);
    const found = () => inbox.find((m) => m.type === 'text' && m.body === body);
    return waitFor(async () => {
      if (found()) return found();
      const run = await cli(node, home, ['receive', '--timeout', '3', '--json']);
      inbox.push(...run.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)));
      return found();
    }, STEP, `${who} to receive "${body}"`);
  }

  test('link by QR across nodes: history, then the chat works both ways', async () => {
    const page = await browser.linkPage(nodeA.url);
    // The page shows a new code every 30 s; on a busy machine the primary may start too late for
    // the one it read, and then, as a person would, it scans the current one again.
    for (let attempt = 1; ; attempt++) {
      const uri = await shownLink(page, STEP);
      assert.match(uri, /^quintet:\/\/link\?/);
      const primary = cliBackground(nodeB, alice, ['link-device', uri]);
      const code = await primary.done;
      if (code === 0) break;
      const output = `${primary.stdout}\n${primary.stderr}`;
      if (attempt === 3 || !output.includes('scan the current one')) {
        assert.fail(`link-device on node B failed (exit ${code}):\n${output}`);
      }
    }
    await byId(page, 'main').waitFor({ timeout: STEP });

    const chat = byId(page, 'chat-item').filter({ hasText: BOB });
    await chat.waitFor({ timeout: STEP });
    await chat.click();
    await byId(page, 'message-list').getByText('before the browser was linked').waitFor({ timeout: STEP });

    await expectOk(await cli(nodeB, bob, ['send', ALICE, 'hello from Bob on node B']), 'bob sends');
    await byId(page, 'message-list').getByText('hello from Bob on node B').waitFor({ timeout: STEP });

    await byId(page, 'composer-input').fill('hello Bob, from the browser on node A');
    await byId(page, 'composer-input').press('Enter');
    const atBob = await receiveText(nodeB, bob, 'hello Bob, from the browser on node A', 'Bob');
    assert.equal(atBob.from, ALICE);
    assert.equal(atBob.outgoing, false);

    // The primary got Bob's text, and a copy of what its browser sent.
    const fromBob = await receiveText(nodeB, alice, 'hello from Bob on node B', 'the primary');
    assert.equal(fromBob.from, BOB);
    assert.equal(fromBob.outgoing, false);
    const copy = await receiveText(nodeB, alice, 'hello Bob, from the browser on node A', 'the primary');
    assert.equal(copy.outgoing, true);
    assert.equal(copy.peer, BOB);
    assert.notEqual(copy.fromDevice, 1, 'sent by the browser, not by the primary');

    const devices = JSON.parse((await expectOk(await cli(nodeA, alice, ['devices', '--json']), 'devices')).stdout);
    assert.equal((devices.devices ?? devices).length, 2, 'the primary and the browser, seen from node A too');
    assert.deepEqual(browser.errors, []);
  });
});
