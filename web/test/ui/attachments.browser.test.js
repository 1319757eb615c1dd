// Files on the page: a picture shows its thumbnail and then itself, a file downloads when asked and
// is saved under its name, one that fails says why; a file chosen goes with the typed text as its
// caption.
import { deepEqual, equal, ok } from '../assert.js';
import { BOB, linkedAlice } from './fake-device.js';
import { withPage } from './ui.js';

async function openChat(page, peer) {
  const item = await page.until(() => page.all('chat-item').find((b) => b.dataset.peer === peer), `the chat with ${peer}`);
  item.click();
  return page.shown('message-list');
}

const bubble = (page, id) => page.all('message').find((li) => li.dataset.id === id);

// A tiny PNG: one red pixel.
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));

export const tests = [
  ['a picture shows its thumbnail, then itself; a file downloads when asked and is saved under its name', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      await openChat(page, BOB);
      const photo = device.receiveFile(BOB, PNG, { contentType: 'image/png', fileName: 'dot.png', width: 1, height: 1, thumbnail: PNG }, 'a dot');
      const shown = await page.until(() => bubble(page, photo.id)?.querySelector('[data-testid="attachment-image"]'), 'the picture');
      equal(shown.getAttribute('alt'), 'dot.png');
      ok(page.text(bubble(page, photo.id)).includes('a dot'), 'the caption');

      const doc = device.receiveFile(BOB, new TextEncoder().encode('minutes'), { contentType: 'text/plain', fileName: 'minutes.txt' });
      const li = await page.until(() => bubble(page, doc.id), 'the file');
      ok(page.text(li).includes('minutes.txt'), 'its name');
      equal(li.querySelector('[data-testid="attachment-save"]'), null, 'not downloaded before it is asked for');
      li.querySelector('[data-testid="attachment-download"]').click();
      const save = await page.until(() => bubble(page, doc.id).querySelector('[data-testid="attachment-save"]'), 'saved');
      equal(save.getAttribute('download'), 'minutes.txt');
      equal(await (await fetch(save.href)).text(), 'minutes');

      const broken = device.receiveFile(BOB, new Uint8Array(10), { contentType: 'application/zip', fileName: 'x.zip' });
      device.refuse('downloadAttachment', { code: 'AUTH_FAILED', message: 'chunk 0 did not authenticate' });
      (await page.until(() => bubble(page, broken.id)?.querySelector('[data-testid="attachment-download"]'), 'its button')).click();
      const failed = await page.until(() => bubble(page, broken.id).querySelector('[data-testid="attachment-failed"]'), 'the failure');
      ok(page.text(failed).includes(page.strings['attachment.corrupt']), page.text(failed));
    });
  }],

  ['a file chosen goes with the typed text as its caption, and shows at once', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      await openChat(page, BOB);
      page.type(page.one('composer-input'), 'the plan');
      const input = page.one('file-input');
      const transfer = new page.win.DataTransfer();
      transfer.items.add(new page.win.File(['plan'], 'plan.txt', { type: 'text/plain' }));
      input.files = transfer.files;
      input.dispatchEvent(new page.win.Event('change'));
      await page.until(() => device.called('sendFile').length === 1, 'sent');
      const [[peer, file, options]] = device.called('sendFile');
      deepEqual([peer, file.name, options.caption], [BOB, 'plan.txt', 'the plan']);
      equal(page.one('composer-input').value, '', 'the caption left the field');
      await page.until(() => page.all('message').some((li) => page.text(li).includes('plan.txt')), 'the bubble');
    });
  }],
];
