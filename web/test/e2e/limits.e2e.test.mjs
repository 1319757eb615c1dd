// The companion limit, seen from the browser: once the account has its maximum of linked devices,
// the primary refuses to link another one and the page stays on its link screen.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  cli, cliBackground, expectOk, openBrowser, registerPrimary, shownLink, startRelay, tempDir, waitFor,
} from './harness.mjs';

const ALICE = '+8801711000009';
const STEP = 60_000;

describe('companion limit', { timeout: 10 * 60_000 }, () => {
  let relay;
  let browser;
  const alice = tempDir('alice');

  before(async () => {
    // One companion instead of four, so that "one too many" is the second browser.
    const config = path.join(tempDir('config'), 'quintet.json');
    fs.writeFileSync(config, JSON.stringify({ limits: { maxCompanions: 1 } }));
    relay = await startRelay(['--config', config]);
    browser = await openBrowser();
    await registerPrimary(relay, alice, ALICE);
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  test('the companion beyond the limit is refused and the account keeps its devices', async () => {
    const first = await browser.linkPage(relay.url);
    const linked = cliBackground(relay, alice, ['link-device', await shownLink(first, STEP)]);
    assert.equal(await linked.done, 0, linked.stderr);
    await first.locator('[data-testid="main"]').waitFor({ timeout: STEP });

    const second = await browser.linkPage(relay.url);
    const refused = await cli(relay, alice, ['link-device', await shownLink(second, STEP), '--timeout', '30']);
    assert.notEqual(refused.code, 0, 'a companion beyond the limit is not linked');
    assert.match(refused.stdout + refused.stderr, /as many as the relay allows/);
    assert.equal(await second.locator('[data-testid="main"]').count(), 0, 'the second page is not linked');

    const devices = JSON.parse((await expectOk(await cli(relay, alice, ['devices', '--json']), 'devices')).stdout);
    assert.equal((devices.devices ?? devices).length, 2, 'the primary and the first browser');
    assert.deepEqual(browser.errors, []);
  });
});
