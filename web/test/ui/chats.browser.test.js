// A linked browser: the chat list, a conversation, sending, receiving, delivery states, new chats.
import { equal, ok, deepEqual } from '../assert.js';
import { linkedAlice, ALICE, BOB, CAROL } from './fake-device.js';
import { withPage } from './ui.js';

const chatItems = (page) => page.all('chat-item');

async function openChat(page, peer) {
  const item = await page.until(() => chatItems(page).find((b) => b.dataset.peer === peer), `the chat with ${peer}`);
  item.click();
  return page.shown('message-list');
}

export const tests = [
  ['the chat list: newest first, the last message, its time, unread counts', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      await page.until(() => chatItems(page).length === 2, 'two chats');
      const [bob, carol] = chatItems(page);
      equal(bob.tagName, 'BUTTON');
      equal(bob.dataset.peer, BOB);
      ok(page.text(bob).includes('You: see you'), 'an outgoing last message says so');
      ok(!page.one('unread', bob));
      equal(carol.dataset.peer, CAROL);
      ok(page.text(carol).includes('Call me'));
      equal(page.text(page.one('unread', carol).firstChild), '2');
      ok(page.text(page.one('unread', carol)).includes('2 unread'), 'read out to screen readers');
      ok(/\d:\d\d/.test(page.text(bob.querySelector('time'))), 'today: the time of day');
    });
  }],

  ['a conversation: bubbles in and out, times, ✓ sent and ✓✓ delivered; opening it reads it', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      const list = await openChat(page, CAROL);
      await page.until(() => page.all('message', list).length === 2, 'Carol\'s messages');
      ok(page.all('message', list).every((li) => li.classList.contains('in')));
      await page.until(() => device.called('markRead').some(([peer]) => peer === CAROL), 'markRead');
      await page.until(() => !chatItems(page).some((b) => page.one('unread', b)), 'the badge to go');

      const bobs = await openChat(page, BOB);
      await page.until(() => page.all('message', bobs).length === 3, 'Bob\'s messages');
      const [hello, hi, later] = page.all('message', bobs);
      ok(hello.classList.contains('in'));
      ok(hi.classList.contains('out') && later.classList.contains('out'));
      equal(hi.dataset.status, 'delivered');
      equal(page.text(hi.querySelector('.status [aria-hidden]')), '✓✓');
      equal(later.dataset.status, 'sent');
      equal(page.text(later.querySelector('.status [aria-hidden]')), '✓');
      ok(page.text(later.querySelector('.status')).includes('Sent'));
      equal(later.querySelector('.body').textContent, 'see you\nat six');
      ok(later.querySelector('time').dateTime.endsWith('Z'));
      equal(page.one('conversation').dataset.peer, BOB);
    });
  }],

  ['a message of a later client shows as needing a newer version, in the list and the chat', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      const list = await openChat(page, BOB);
      await page.until(() => page.all('message', list).length === 3, 'Bob\'s messages');
      device.receive(BOB, '', Date.now(), { unsupported: 'poll' });
      const shown = await page.until(() => page.one('unsupported', list), 'the placeholder');
      equal(page.text(shown), 'This message needs a newer version of Quintet.');
      await page.until(() => page.text(chatItems(page).find((b) => b.dataset.peer === BOB)).includes('needs a newer version'),
        'the chat list to show it');
    });
  }],

  ['Enter sends, Shift+Enter starts a new line; the status follows the relay', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      const list = await openChat(page, BOB);
      const input = page.one('composer-input');
      equal(page.doc.activeElement, input, 'the composer has the focus');
      input.value = 'first line';
      await ctx.press('Shift+Enter');
      await ctx.press('x');
      equal(input.value, 'first line\nx');
      equal(device.called('send').length, 0);
      await ctx.press('Enter');
      await page.until(() => device.called('send').length === 1, 'the send');
      deepEqual(device.called('send')[0].slice(0, 2), [BOB, 'first line\nx']);
      equal(device.called('send')[0][2].replyTo, undefined, 'not a reply');
      equal(input.value, '');

      const sent = await page.until(() => page.all('message', list).find((li) => li.dataset.id === 'out-6'), 'the bubble');
      equal(sent.dataset.status, 'sending');
      device.setStatus('out-6', 'sent');
      equal(sent.dataset.status, 'sent');
      device.setStatus('out-6', 'delivered');
      equal(sent.dataset.status, 'delivered');
      equal(page.all('message', list).find((li) => li.dataset.id === 'out-6'), sent, 'the same bubble, updated');
      device.setStatus('out-6', 'failed');
      ok(page.text(sent.querySelector('.status')).includes('Not sent'));
    });
  }],

  ['a text refused for a full queue is explained in a notice, whose device and what to do, in English and Bengali', async (ctx) => {
    for (const [lang, words] of [['en', ['your linked device 3', 'remove it on your phone']],
      ['bn', ['ডিভাইস ৩', 'সরিয়ে দিন']]]) {
      const device = linkedAlice();
      await withPage(ctx, device, { lang }, async (page) => {
        await page.until(() => chatItems(page).length === 2, 'two chats');
        device.emit('message-status', {
          id: 'b3', status: 'failed', error: 'QUEUE_FULL',
          queues: [{ number: ALICE.number, deviceId: 3, limit: 'envelopes', max: 10000, own: true }],
        });
        const notice = await page.until(() => page.one('notice'), 'the notice');
        ok(notice.classList.contains('notice-error'));
        for (const word of words) ok(page.text(notice).includes(word), `${lang}: ${page.text(notice)}`);
        ok(!page.text(notice).includes('QUEUE_FULL'));
        device.emit('message-status', { id: 'b3', status: 'failed', error: 'INVALID_REQUEST' });
        equal(page.all('notice').length, 1, 'other refusals keep to the bubble\'s mark');
      });
    }
  }],

  ['the Send button sends too, and an empty message is not sent', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      await openChat(page, BOB);
      page.one('composer-input').value = '   ';
      page.one('composer-send').click();
      await page.settle();
      equal(device.called('send').length, 0);
      page.one('composer-input').value = ' hello ';
      page.one('composer-send').click();
      await page.until(() => device.called('send').length === 1, 'the send');
      deepEqual(device.called('send')[0].slice(0, 2), [BOB, 'hello']);
    });
  }],

  ['a message for the open chat shows and is read; one for another chat counts as unread', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      const list = await openChat(page, BOB);
      const reads = device.called('markRead').length;
      device.receive(BOB, 'are you there?');
      await page.until(() => page.all('message', list).some((li) => page.text(li).includes('are you there?')), 'the message');
      await page.until(() => device.called('markRead').length > reads, 'it to be read');
      device.receive(CAROL, 'hello?');
      await page.until(() => {
        const carol = chatItems(page).find((b) => b.dataset.peer === CAROL);
        return carol && page.text(carol).includes('hello?') && page.one('unread', carol);
      }, 'Carol\'s chat to show the new message, unread');
      equal(chatItems(page)[0].dataset.peer, CAROL, 'newest first');
    });
  }],

  ['a new chat by number', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      page.one('nav-new-chat').click();
      const number = await page.shown('new-chat-number');
      equal(page.doc.activeElement, number);
      page.type(number, '12345');
      page.one('new-chat-start').click();
      equal(number.getAttribute('aria-invalid'), 'true');
      page.type(number, '+880 1511 000004');
      page.one('new-chat-start').click();
      const conversation = await page.shown('conversation');
      equal(conversation.dataset.peer, '+8801511000004');
      await page.until(() => page.text(page.one('message-list')).includes(page.strings['conversation.empty']),
        'the empty conversation');
      equal(page.one('nav-chats').getAttribute('aria-pressed'), 'true');
    });
  }],

  ['history from the phone: progress above the chats until it is done', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      await page.shown('main');
      ok(!page.visible(page.one('sync-progress')));
      device.emit('history-progress', { part: 1, parts: 3 });
      equal(page.text(await page.shown('sync-progress')), 'Syncing messages… part 1 of 3');
      device.emit('history-progress', { part: 3, parts: 3 });
      equal(page.one('sync-progress').querySelector('progress').value, 3);
      device.emit('history-done');
      ok(!page.visible(page.one('sync-progress')));
    });
  }],

  ['the safety number, in blocks of five; Escape closes it and gives the focus back', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      await openChat(page, BOB);
      const button = page.one('safety-button');
      button.focus();
      button.click();
      const dialog = await page.shown('safety-dialog');
      ok(dialog.open);
      equal(page.all('safety-number')[0].children.length, 12);
      equal(page.text(page.one('safety-number').firstChild), '12345');
      ok(page.text(dialog).includes(BOB));
      ok(dialog.contains(page.doc.activeElement), 'the focus is in the dialog');
      await ctx.press('Escape');
      await page.until(() => !page.one('safety-dialog'), 'the dialog to close');
      equal(page.doc.activeElement, button);
    });
  }],

  ['the connection: online, offline, taken over by another tab', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      const status = await page.shown('connection-status');
      equal(status.dataset.online, 'online', 'the core said online before the page listened');
      device.emit('connection', { online: false, replaced: false });
      equal(page.text(status), 'Offline');
      device.emit('connection', { online: false, replaced: true });
      equal(page.text(status), page.strings['connection.replaced']);
      device.emit('connection', { online: true });
      equal(page.text(status), 'Online');
    });
  }],

  ['in Bengali: times, counts and statuses in Bengali', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, { lang: 'bn' }, async (page) => {
      await page.until(() => chatItems(page).length === 2, 'two chats');
      const carol = chatItems(page)[1];
      equal(page.text(page.one('unread', carol).firstChild), '২');
      ok(/[০-৯]/.test(page.text(chatItems(page)[0].querySelector('time'))));
      const list = await openChat(page, BOB);
      await page.until(() => page.all('message', list).length === 3, 'Bob\'s messages');
      ok(page.text(page.all('message', list)[1].querySelector('.status')).includes('পৌঁছেছে'));
      equal(page.one('account-number').textContent, ALICE.number);
    });
  }],
];
