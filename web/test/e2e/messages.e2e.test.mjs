// Messages as people expect them, between the page (linked to a CLI phone) and another account on
// the command line, in both directions: names, read receipts, typing, replies, reactions, edits,
// deletions, and a notification for a chat not on screen.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  cli, cliBackground, expectOk, linkWithCli, openBrowser, registerPrimary, startRelay, tempDir, waitFor,
} from './harness.mjs';

const ALICE = '+8801711000001';
const BOB = '+8801811000002';
const CAROL = '+8801911000003';
const STEP = 60_000;

// The JSON lines a CLI command printed.
function lines(stdout) {
  return stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

describe('messages between the page and the command line', { timeout: 15 * 60_000 }, () => {
  let relay;
  let browser;
  let page;
  const alice = tempDir('alice');
  const bob = tempDir('bob');
  const byId = (id) => page.locator(`[data-testid="${id}"]`);
  const bubble = (text) => byId('message').filter({ hasText: text });

  // Bob's CLI takes in what came for it; resolves to the JSON lines.
  async function bobReceives() {
    return lines((await expectOk(await cli(relay, bob, ['receive', '--json', '--timeout', '3']), 'receive')).stdout);
  }

  async function bobSees(what, check) {
    const seen = [];
    await waitFor(async () => {
      seen.push(...(await bobReceives()));
      return seen.find(check);
    }, STEP, what);
    return seen;
  }

  before(async () => {
    relay = await startRelay();
    browser = await openBrowser();
    await registerPrimary(relay, alice, ALICE);
    await registerPrimary(relay, bob, BOB);
    await expectOk(await cli(relay, bob, ['profile', '--name', 'Bob Biswas']), 'profile');
    await expectOk(await cli(relay, alice, ['send', BOB, 'hello Bob']), 'send');
    await bobReceives();

    page = await browser.page(relay.url);
    // Notifications, granted, recorded where the test can read them (from the next load on).
    await page.addInitScript(() => {
      window.shownNotifications = [];
      window.Notification = class {
        static permission = 'granted';
        static requestPermission() { return Promise.resolve('granted'); }
        constructor(title, options) { window.shownNotifications.push({ title, body: options.body }); }
        close() {}
      };
    });
    await page.reload();
    await byId('choose-link').click();
    await linkWithCli(relay, alice, page, STEP);
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  test('Bob\'s name replaces his number; reading his text on the page sends him a read receipt and clears it on the phone', async () => {
    const sent = lines((await expectOk(await cli(relay, bob, ['send', ALICE, 'are you there?', '--json']), 'send')).stdout)[0];
    const chat = byId('chat-item').filter({ hasText: 'Bob Biswas' });
    await chat.waitFor({ timeout: STEP });
    await chat.click();
    await bubble('are you there?').waitFor({ timeout: STEP });
    assert.equal((await byId('conversation-number').textContent()).trim(), BOB);
    await bobSees('the read receipt', (line) => line.type === 'read' && line.targets.includes(sent.id));
    const phone = lines((await expectOk(await cli(relay, alice, ['receive', '--json', '--timeout', '3']), 'receive')).stdout);
    assert.ok(phone.some((line) => line.type === 'read' && line.peer === BOB && line.targets.includes(sent.id)),
      'the phone hears the chat was read on the page');
  });

  test('typing on the page reaches Bob while he is connected, and nothing waits for him when he is not', async () => {
    const listening = cliBackground(relay, bob, ['receive', '--json', '--timeout', '12']);
    await new Promise((resolve) => setTimeout(resolve, 3000)); // Bob's CLI connects
    await byId('composer-input').pressSequentially('writing to Bob', { delay: 20 });
    await listening.done;
    assert.ok(lines(listening.stdout).some((line) => line.type === 'typing' && line.typing === true), listening.stdout);
    await byId('composer-input').fill('');
    await byId('composer-input').pressSequentially('more typing', { delay: 20 });
    await byId('composer-input').fill('');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.ok(!(await bobReceives()).some((line) => line.type === 'typing'), 'typing is never queued');
  });

  test('reply, reaction, edit and delete for everyone made on the page reach Bob and the phone', async () => {
    await byId('composer-input').fill('see you at six');
    await byId('composer-input').press('Enter');
    const mine = bubble('see you at six');
    await mine.and(page.locator('[data-status="sent"], [data-status="delivered"]')).waitFor({ timeout: STEP });
    const myId = await mine.getAttribute('data-id');
    const his = bubble('are you there?');
    const hisId = await his.getAttribute('data-id');

    await his.locator('[data-testid="message-actions"]').click();
    await his.locator('[data-testid="react"]').first().click();
    await his.locator('[data-testid="message-actions"]').click();
    await his.locator('[data-testid="action-reply"]').click();
    await byId('composer-input').fill('yes, here');
    await byId('composer-input').press('Enter');
    await mine.locator('[data-testid="message-actions"]').click();
    await mine.locator('[data-testid="action-edit"]').click();
    await byId('composer-input').fill('see you at seven');
    await byId('composer-input').press('Enter');
    await bubble('see you at seven').locator('[data-testid="edited"]').waitFor({ timeout: STEP });

    const seen = await bobSees('the edit', (line) => line.type === 'edit' && line.target === myId);
    assert.ok(seen.some((line) => line.type === 'reaction' && line.target === hisId && line.emoji === '👍'), 'the reaction');
    assert.ok(seen.some((line) => line.type === 'text' && line.body === 'yes, here' && line.quote?.id === hisId), 'the reply');
    assert.equal(seen.find((line) => line.type === 'edit').body, 'see you at seven');

    const edited = bubble('see you at seven');
    await edited.locator('[data-testid="message-actions"]').click();
    await edited.locator('[data-testid="action-delete-for-everyone"]').click();
    await byId('delete-confirm').click();
    await byId('deleted').first().waitFor({ timeout: STEP });
    await bobSees('the delete', (line) => line.type === 'delete' && line.target === myId);
  });

  test('Bob\'s reply, reaction, edit and delete show on the page', async () => {
    const hers = await bubble('yes, here').getAttribute('data-id');
    const reply = lines((await expectOk(await cli(relay, bob, ['reply', ALICE, hers, 'glad you are', '--json']), 'reply')).stdout)[0];
    await bubble('glad you are').locator('[data-testid="quote"]').waitFor({ timeout: STEP });
    await expectOk(await cli(relay, bob, ['react', ALICE, hers, '❤️']), 'react');
    await bubble('yes, here').locator('[data-testid="reactions"]').filter({ hasText: '❤️' }).waitFor({ timeout: STEP });
    await expectOk(await cli(relay, bob, ['edit', ALICE, reply.id, 'glad you are here']), 'edit');
    await bubble('glad you are here').locator('[data-testid="edited"]').waitFor({ timeout: STEP });
    await expectOk(await cli(relay, bob, ['delete', ALICE, reply.id]), 'delete');
    await waitFor(async () => (await bubble('glad you are here').count()) === 0, STEP, 'the deletion');

    // Not his to edit: refused by his CLI, and nothing changes on the page.
    const refused = await cli(relay, bob, ['edit', ALICE, hers, 'not mine']);
    assert.notEqual(refused.code, 0);
  });

  test('a text in a chat not on screen raises a notification; one in the chat on screen or a muted chat does not', async () => {
    const carol = tempDir('carol');
    await registerPrimary(relay, carol, CAROL);
    await byId('nav-settings').click();
    const toggle = byId('notifications-toggle');
    await toggle.waitFor({ timeout: STEP });
    if ((await byId('notifications-state').getAttribute('data-state')) !== 'on') await toggle.click();
    await byId('nav-chats').click();
    await byId('chat-item').filter({ hasText: 'Bob Biswas' }).click();
    await page.bringToFront();
    await expectOk(await cli(relay, bob, ['send', ALICE, 'in the open chat']), 'send');
    await bubble('in the open chat').waitFor({ timeout: STEP });
    await expectOk(await cli(relay, carol, ['send', ALICE, 'from Carol']), 'send');
    await waitFor(() => page.evaluate(() => window.shownNotifications.some((n) => n.body === 'from Carol')), STEP,
      'the notification');
    const shown = await page.evaluate(() => window.shownNotifications);
    assert.deepEqual(shown.filter((n) => n.body === 'in the open chat'), [], 'none for the chat on screen');
    assert.equal(shown.find((n) => n.body === 'from Carol').title, CAROL);

    // Carol's chat muted: her next text raises nothing, while Bob's chat, open but not focused, does.
    await byId('chat-item').filter({ hasText: CAROL }).click();
    await byId('mute-button').click();
    await byId('mute-always').click();
    await byId('mute-button').and(page.locator('[data-muted="true"]')).waitFor({ timeout: STEP });
    await byId('chat-item').filter({ hasText: 'Bob Biswas' }).click();
    await page.evaluate(() => { document.hasFocus = () => false; });
    await expectOk(await cli(relay, carol, ['send', ALICE, 'muted now']), 'send');
    await expectOk(await cli(relay, bob, ['send', ALICE, 'while you look away']), 'send');
    await waitFor(() => page.evaluate(() => window.shownNotifications.some((n) => n.body === 'while you look away')), STEP,
      'the notification for Bob');
    await byId('chat-item').filter({ hasText: CAROL }).filter({ hasText: 'muted now' }).waitFor({ timeout: STEP });
    await page.waitForTimeout(500); // a notification would follow the text within a step of the page
    assert.ok(!(await page.evaluate(() => window.shownNotifications)).some((n) => n.body === 'muted now'), 'none for a muted chat');
    await page.evaluate(() => { delete document.hasFocus; });
  });

  test('a page linked later shows the chat as the phone does: names, quotes, reactions, edits, deletions, ticks', async () => {
    await expectOk(await cli(relay, bob, ['read', ALICE]), 'read');
    await expectOk(await cli(relay, alice, ['receive', '--timeout', '3']), 'receive'); // the phone takes it all in
    const laptop = await browser.linkPage(relay.url);
    await linkWithCli(relay, alice, laptop, STEP);
    const on = (id) => laptop.locator(`[data-testid="${id}"]`);
    const chat = on('chat-item').filter({ hasText: 'Bob Biswas' });
    await chat.waitFor({ timeout: STEP });
    await chat.click();
    const said = (text) => on('message').filter({ hasText: text });
    await said('yes, here').locator('[data-testid="quote"]').filter({ hasText: 'are you there?' }).waitFor({ timeout: STEP });
    await said('yes, here').locator('[data-testid="reactions"]').filter({ hasText: '❤️' }).waitFor({ timeout: STEP });
    await said('are you there?').locator('[data-testid="reactions"]').filter({ hasText: '👍' }).waitFor({ timeout: STEP });
    assert.equal(await said('yes, here').getAttribute('data-status'), 'read', 'Bob read it before the laptop came');
    assert.equal(await on('deleted').count(), 2, 'the two texts deleted for everyone, one each');
    assert.equal(await said('see you at').count() + await said('glad you are').count(), 0, 'nothing of what they said');
    await laptop.context().close();
  });

  test('no console errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});
