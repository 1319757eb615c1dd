// What people see and do around messages on the page: names instead of numbers, replies, reactions,
// edits, deletions, read ticks, "typing…", day headings, long texts folded, a failed text's reason
// and retry, notifications and the tab's unread count, and the settings for them.
import { deepEqual, equal, ok } from '../assert.js';
import { BOB, CAROL, linkedAlice } from './fake-device.js';
import { withPage } from './ui.js';

async function openChat(page, peer) {
  const item = await page.until(() => page.all('chat-item').find((b) => b.dataset.peer === peer), `the chat with ${peer}`);
  item.click();
  return page.shown('message-list');
}

const bubble = (page, id) => page.all('message').find((li) => li.dataset.id === id);

async function chooseAction(page, id, action) {
  bubble(page, id).querySelector('[data-testid="message-actions"]').click();
  const item = await page.until(() => bubble(page, id).querySelector(`[data-testid="${action}"]`), action);
  item.click();
}

export const tests = [
  ['a name someone shared replaces their number in the chat list and the chat, the number still shown', async (ctx) => {
    const device = linkedAlice();
    device.profileNames = { [BOB]: 'Bob Biswas' };
    await withPage(ctx, device, {}, async (page) => {
      await page.until(() => page.all('chat-name').some((n) => page.text(n) === 'Bob Biswas'), 'the name in the list');
      ok(page.all('chat-name').some((n) => page.text(n) === CAROL), 'a number without a name stays a number');
      await openChat(page, BOB);
      equal(page.text(page.one('conversation-name')), 'Bob Biswas');
      equal(page.text(page.one('conversation-number')), BOB);
      device.emit('profile', { number: CAROL, name: 'Carol' });
      await page.until(() => page.all('chat-name').some((n) => page.text(n) === 'Carol'), 'a new name');
    });
  }],

  ['bubbles show a quote, reactions, edited, deleted, read, day headings, and fold a long text', async (ctx) => {
    const now = Date.now();
    const device = linkedAlice(now);
    device.changeMessage('b2', { reactions: { [BOB]: { emoji: '👍', ts: 1 }, [CAROL]: { emoji: '👍', ts: 2 } }, status: 'read' });
    device.changeMessage('b1', { edited: true });
    device.receive(BOB, 'x'.repeat(900), now - 10_000);
    await withPage(ctx, device, {}, async (page) => {
      await openChat(page, BOB);
      const reactions = await page.until(() => bubble(page, 'b2')?.querySelector('[data-testid="reactions"]'), 'reactions');
      equal(page.text(reactions).replace(/\s/g, ''), '👍2');
      equal(bubble(page, 'b2').dataset.status, 'read');
      ok(bubble(page, 'b1').querySelector('[data-testid="edited"]'), 'edited');
      ok([...page.doc.querySelectorAll('.day')].some((d) => page.text(d) === page.strings['time.today']), 'today\'s heading');

      const long = page.all('message').at(-1);
      ok(long.querySelector('.body').classList.contains('folded'));
      long.querySelector('[data-testid="read-more"]').click();
      ok(!long.querySelector('.body').classList.contains('folded'), 'unfolded');

      device.changeMessage('b1', { deleted: true, body: '' });
      await page.until(() => bubble(page, 'b1')?.querySelector('[data-testid="deleted"]'), 'the deletion');
      equal(page.text(bubble(page, 'b1').querySelector('.body')), page.strings['message.deleted']);

      page.one('composer-input').value = 'quoting';
      await chooseAction(page, 'b3', 'action-reply');
      ok(page.text(page.one('composer-context')).includes('see you'), 'the quote above the composer');
      page.one('composer-send').click();
      await page.until(() => device.called('send').length === 1, 'the reply');
      equal(device.called('send')[0][2].replyTo, 'b3');
      const reply = await page.until(() => page.all('message').find((li) => li.querySelector('[data-testid="quote"]')), 'the reply');
      reply.querySelector('[data-testid="quote"]').click();
      ok(bubble(page, 'b3').classList.contains('highlight'), 'the quoted message is shown');
    });
  }],

  ['the menu of a message: react, edit and delete for everyone (asked first) on one\'s own; no edit on someone else\'s', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, { width: 360, height: 740 }, async (page) => {
      await openChat(page, BOB);
      bubble(page, 'b1').querySelector('[data-testid="message-actions"]').click();
      const menu = bubble(page, 'b1').querySelector('[data-testid="message-menu"]');
      equal(menu.querySelector('[data-testid="action-edit"]'), null, 'Bob\'s text cannot be edited here');
      menu.querySelector('[data-testid="react"]').click();
      await page.until(() => device.called('react').length === 1, 'the reaction');
      deepEqual(device.called('react')[0], [BOB, 'b1', '👍']);

      const own = await device.send(BOB, 'typo hree');
      await page.until(() => bubble(page, own.id), 'the text');
      equal(bubble(page, own.id).querySelector('[data-testid="message-actions"]'), null, 'nothing to do while it is sent');
      device.setStatus(own.id, 'sent');
      await chooseAction(page, own.id, 'action-edit');
      equal(page.one('composer-input').value, 'typo hree');
      page.one('composer-input').value = 'typo here';
      page.one('composer-send').click();
      await page.until(() => device.called('editMessage').length === 1, 'the edit');
      deepEqual(device.called('editMessage')[0], [BOB, own.id, 'typo here']);

      await chooseAction(page, own.id, 'action-delete-for-everyone');
      (await page.shown('delete-confirm')).click();
      await page.until(() => device.called('deleteMessage').length === 1, 'the delete');
      equal(device.called('deleteMessage')[0][2].forEveryone, true);
    });
  }],

  ['typing: the peer\'s shows under the name and goes; one\'s own is said once while typing on', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      await openChat(page, BOB);
      ok(!page.visible(page.one('typing')));
      device.emit('typing', { peer: BOB, typing: true });
      equal(page.text(await page.shown('typing')), page.strings['conversation.typing']);
      device.emit('typing', { peer: BOB, typing: false });
      ok(!page.visible(page.one('typing')), 'stopped');
      const input = page.one('composer-input');
      for (const text of ['h', 'he', 'hel']) page.type(input, text);
      deepEqual(device.called('setTyping'), [[BOB, true]], 'said once');
      page.one('composer-send').click();
      await page.until(() => device.called('setTyping').length === 2, 'stopped typing');
      deepEqual(device.called('setTyping')[1], [BOB, false]);
    });
  }],

  ['a failed text says why and can be sent again; a chat with a number without an account is refused up front', async (ctx) => {
    const device = linkedAlice();
    device.accounts = [BOB, CAROL];
    await withPage(ctx, device, {}, async (page) => {
      await openChat(page, BOB);
      const own = await device.send(BOB, 'hello?');
      await page.until(() => bubble(page, own.id), 'the text');
      device.emit('message-status', { id: own.id, status: 'failed', error: 'UNKNOWN_ACCOUNT' });
      const failure = await page.until(() => bubble(page, own.id).querySelector('[data-testid="failure"]'), 'the reason');
      ok(page.text(failure).includes(page.strings['send.error.UNKNOWN_ACCOUNT']));
      await chooseAction(page, own.id, 'action-retry');
      await page.until(() => device.called('retry').length === 1, 'the retry');

      page.one('nav-new-chat').click();
      page.type(await page.shown('new-chat-number'), '+8801999000009');
      page.one('new-chat-start').click();
      await page.until(() => page.text(page.doc.getElementById('new-chat-error')) !== '', 'the refusal');
      equal(page.text(page.doc.getElementById('new-chat-error')), page.strings['newChat.noAccount'].replace('{number}', '+8801999000009'));
    });
  }],

  ['notifications: asked for on a click; raised for a chat not on screen, not for the one open and focused; the title counts unread', async (ctx) => {
    const device = linkedAlice();
    const shown = [];
    await withPage(ctx, device, {}, async (page) => {
      // The Notification API of the page's window, with permission granted once asked.
      class FakeNotification {
        static permission = 'default';
        static async requestPermission() {
          FakeNotification.permission = 'granted';
          return 'granted';
        }
        constructor(title, options) {
          shown.push({ title, body: options.body });
        }
        close() {}
      }
      page.win.Notification = FakeNotification;
      page.doc.hasFocus = () => true;
      await page.until(() => page.doc.title.startsWith('(2)'), 'Carol\'s two unread in the title');
      page.one('nav-settings').click();
      equal(page.text(await page.shown('notifications-state')), page.strings['settings.notifications.ask']);
      page.one('notifications-toggle').click();
      await page.until(() => page.text(page.one('notifications-state')) === page.strings['settings.notifications.on'], 'on');

      page.one('nav-chats').click();
      await openChat(page, BOB);
      device.receive(BOB, 'in the open chat');
      device.receive(CAROL, 'in another chat');
      await page.until(() => shown.length === 1, 'one notification');
      deepEqual(shown, [{ title: CAROL, body: 'in another chat' }]);
      await page.until(() => page.doc.title.startsWith('(3)'), 'three unread');

      page.one('nav-settings').click();
      (await page.shown('notifications-toggle')).click();
      device.receive(CAROL, 'after turning them off');
      await page.settle();
      equal(shown.length, 1, 'none once off');
    });
  }],

  ['muting a chat: for how long is asked, the list marks it, its texts raise no notification, unmuting is one click', async (ctx) => {
    const device = linkedAlice();
    const shown = [];
    await withPage(ctx, device, {}, async (page) => {
      page.win.Notification = class {
        static permission = 'granted';
        constructor(title, options) { shown.push({ title, body: options.body }); }
        close() {}
      };
      page.win.localStorage.setItem('quintet.notifications', 'on'); // an earlier test may have turned them off
      page.doc.hasFocus = () => true;
      await openChat(page, CAROL);
      const button = page.one('mute-button');
      equal(button.getAttribute('aria-label'), page.strings['conversation.mute']);
      button.click();
      (await page.shown('mute-cancel')).click();
      await page.settle();
      equal(device.called('muteChat').length, 0, 'cancel mutes nothing');
      button.click();
      const before = Date.now();
      (await page.shown('mute-hours8')).click();
      await page.until(() => device.called('muteChat').length === 1, 'muted');
      const [[peer, until]] = device.called('muteChat');
      equal(peer, CAROL);
      ok(until >= before + 8 * 3600_000 && until <= Date.now() + 8 * 3600_000, 'for 8 hours');
      await page.until(() => button.dataset.muted === 'true', 'the button says muted');
      ok(button.getAttribute('aria-label').startsWith(page.strings['conversation.unmute']));
      await page.until(() => page.all('chat-item').find((b) => b.dataset.peer === CAROL)?.querySelector('[data-testid="chat-muted"]'),
        'the list marks the chat muted');

      await openChat(page, BOB);
      device.receive(CAROL, 'while muted');
      await page.settle();
      await openChat(page, CAROL);
      device.receive(BOB, 'from Bob, not muted');
      await page.until(() => shown.length === 1, 'a notification for Bob');
      deepEqual(shown.map((n) => n.body), ['from Bob, not muted'], 'none for Carol, muted');

      page.one('mute-button').click();
      await page.until(() => device.called('muteChat').length === 2, 'unmuted');
      deepEqual(device.called('muteChat')[1], [CAROL, 0]);
      await openChat(page, BOB);
      device.receive(CAROL, 'after unmuting');
      await page.until(() => shown.length === 2, 'Carol notifies again');
      await page.until(() => !page.all('chat-item').find((b) => b.dataset.peer === CAROL)?.querySelector('[data-testid="chat-muted"]'),
        'the mark goes');
    });
  }],

  ['settings: the profile name and read receipts', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      page.one('nav-settings').click();
      page.type(await page.shown('profile-name'), 'Alice A.');
      page.one('profile-save').click();
      await page.until(() => device.called('setProfileName').length === 1, 'the name');
      deepEqual(device.called('setProfileName')[0], ['Alice A.']);
      const box = page.one('read-receipts');
      await page.until(() => box.checked, 'on by default');
      box.click();
      await page.until(() => device.called('setReadReceipts').length === 1, 'off');
      deepEqual(device.called('setReadReceipts')[0], [false]);
    });
  }],

  ['search finds messages on the device, in English and Bengali, and opens the chat at the hit', async (ctx) => {
    const device = linkedAlice();
    device.receive(CAROL, 'আমি আজ ভালো আছি', Date.now() - 1000);
    await withPage(ctx, device, {}, async (page) => {
      const input = await page.shown('search-input');
      page.type(input, 'six');
      const hit = await page.until(() => page.all('search-hit')[0], 'a hit');
      equal(hit.dataset.id, 'b3');
      ok(!page.visible(page.one('chat-list')), 'the hits replace the chats');
      page.type(input, 'ভালো');
      await page.until(() => page.all('search-hit').length === 1 && page.all('search-hit')[0].dataset.peer === CAROL, 'the Bengali hit');
      page.type(input, 'nothing like this');
      await page.shown('search-empty');
      page.type(input, 'six');
      (await page.until(() => page.all('search-hit')[0], 'the hit again')).click();
      await page.until(() => bubble(page, 'b3')?.classList.contains('highlight'), 'the message shown');
      equal(page.one('conversation').dataset.peer, BOB);
      // A message that comes later is found too.
      device.receive(BOB, 'a brand new word: zeppelin');
      page.one('nav-chats').click();
      page.type(await page.shown('search-input'), 'zeppelin');
      await page.until(() => page.all('search-hit').length === 1, 'the new message');
    });
  }],
];
