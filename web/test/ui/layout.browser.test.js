// The page on a 360 px phone and on a desktop, with the keyboard alone, and within its CSP.
import { equal, ok } from '../assert.js';
import { FakeDevice, linkedAlice, BOB } from './fake-device.js';
import { withPage } from './ui.js';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

// Nothing wider than the screen: no sideways scrolling on a phone.
function fits(page, where) {
  const { doc, win } = page;
  const wide = [...doc.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > win.innerWidth + 0.5);
  ok(doc.documentElement.scrollWidth <= win.innerWidth && wide.length === 0,
    `${where}: wider than ${win.innerWidth}px: ${wide.map((el) => el.className || el.tagName).join(', ')}`);
}

// The CSP forbids inline styles; a style attribute would be refused by the browser.
function noInlineStyle(page, where) {
  equal(page.doc.querySelectorAll('[style]').length, 0, `${where}: style attributes`);
}

// The link screen's parts: the instructions, and the QR code or the code beside (or below) them.
function linkColumns(page) {
  const box = (selector) => page.doc.querySelector(selector).getBoundingClientRect();
  return { card: box('.link-card'), text: box('.link-text'), visual: box('.link-visual') };
}

// Against the layout `before` (the QR code alone, or the number form): the instructions keep most
// of their width (not a word per line beside a long link or message), and the other side stays in
// the card, the link inside its box.
function keepsLinkLayout(page, before, where) {
  const now = linkColumns(page);
  ok(now.text.width >= 0.9 * before.text.width,
    `${where}: the instructions went from ${before.text.width}px to ${now.text.width}px wide`);
  ok(now.visual.left >= now.card.left - 0.5 && now.visual.right <= now.card.right + 0.5,
    `${where}: the QR side (${now.visual.left}-${now.visual.right}px) is out of the card (${now.card.left}-${now.card.right}px)`);
  const uri = page.one('qr-uri');
  ok(!page.visible(uri) || uri.getBoundingClientRect().right <= now.visual.right + 0.5, `${where}: the link overflows its box`);
  fits(page, where);
}

export const tests = [
  ['the link screen keeps its layout on a phone and on a desktop, with the command-line link open or an error shown', async (ctx) => {
    // As long as a real link: its address, keys and a device name.
    const uri = `quintet://link?v=1&a=${'A'.repeat(22)}&k=${'B'.repeat(43)}&i=${'C'.repeat(86)}&n=${'D'.repeat(40)}`;
    for (const size of [PHONE, DESKTOP]) {
      const companion = new FakeDevice();
      await withPage(ctx, companion, { ...size, choose: 'link' }, async (page) => {
        const where = `${size.width}px`;
        companion.emit('qr', { uri });
        await page.shown('qr-image');
        const before = linkColumns(page);
        if (size === DESKTOP) ok(before.visual.left >= before.text.right, 'the QR code beside the instructions');

        page.doc.querySelector('.qr-cli').open = true;
        await page.shown('qr-uri');
        keepsLinkLayout(page, before, `${where}, the command-line link open`);

        companion.linkFailed('UNREACHABLE');
        await page.shown('link-error');
        keepsLinkLayout(page, before, `${where}, an error`);
        // A reason the page has no words for is shown as the relay named it: one long word.
        companion.linkFailed('A_REASON_OF_A_LATER_RELAY_THAT_THIS_PAGE_DOES_NOT_KNOW');
        await page.until(() => page.text(page.one('link-error')).includes('A_REASON'), 'the unknown reason');
        keepsLinkLayout(page, before, `${where}, an unknown reason`);

        page.one('link-switch').click();
        page.type(await page.shown('link-number'), '+8801711000001');
        const form = linkColumns(page);
        page.one('link-number-submit').click();
        companion.linkFailed('A_REASON_OF_A_LATER_RELAY_THAT_THIS_PAGE_DOES_NOT_KNOW');
        await page.shown('link-error');
        keepsLinkLayout(page, form, `${where}, an error on the phone-number way`);
      });
    }
  }],

  ['the register screen keeps its layout on a phone and on a desktop, with a refusal shown', async (ctx) => {
    for (const size of [PHONE, DESKTOP]) {
      const device = new FakeDevice();
      await withPage(ctx, device, { ...size, choose: 'phone' }, async (page) => {
        const where = `${size.width}px`;
        const card = page.doc.querySelector('.register-card');
        const width = card.getBoundingClientRect().width;
        fits(page, `${where}, the number`);
        device.refuse('requestRegistrationCode', { code: 'A_REASON_OF_A_LATER_RELAY_THAT_THIS_PAGE_DOES_NOT_KNOW_AT_ALL' });
        page.type(await page.shown('register-number'), '+8801711000001');
        page.one('register-send').click();
        await page.until(() => page.text(page.one('register-error')) !== '', 'the refusal');
        fits(page, `${where}, a refusal`);
        equal(card.getBoundingClientRect().width, width, `${where}: the card keeps its width`);
        page.one('register-send').click();
        await page.shown('register-code');
        fits(page, `${where}, the code`);
      });
    }
  }],

  ['on a phone: every screen fits 360 px, one pane at a time', async (ctx) => {
    const unlinked = new FakeDevice();
    await withPage(ctx, unlinked, { ...PHONE, choose: 'link' }, async (page) => {
      unlinked.emit('qr', { uri: `quintet://link?v=1&a=${'A'.repeat(22)}&k=${'B'.repeat(43)}&i=${'C'.repeat(86)}` });
      await page.shown('qr-image');
      page.doc.querySelector('.qr-cli').open = true;
      fits(page, 'QR');
      page.one('link-switch').click();
      page.type(await page.shown('link-number'), '+8801711000001');
      page.one('link-number-submit').click();
      unlinked.emit('code', { code: 'ABCD-2345', expiresAt: Date.now() + 180_000 });
      await page.shown('link-code');
      fits(page, 'code');
      noInlineStyle(page, 'link');
    });

    const device = linkedAlice();
    device.receive(BOB, 'a'.repeat(300));
    device.receive(BOB, 'ok', Date.now(), {
      outgoing: true, from: device.account.number, status: 'sent', quote: { id: 'b1', author: BOB, body: 'b'.repeat(200) },
    });
    await withPage(ctx, device, { ...PHONE, lang: 'bn' }, async (page) => {
      await page.until(() => page.all('chat-item').length === 2, 'the chats');
      fits(page, 'chats');
      page.all('chat-item')[0].click();
      const conversation = await page.shown('conversation');
      ok(!page.visible(page.doc.querySelector('.sidebar')), 'the chat list makes way for the conversation');
      await page.until(() => page.all('message').length === 5, 'the messages');
      fits(page, 'conversation');
      const title = page.one('conversation-name');
      equal(page.text(title), BOB);
      ok(title.scrollWidth <= title.clientWidth, 'the whole number shows in the header');
      const reply = page.all('message').at(-1);
      const quote = reply.querySelector('[data-testid="quote"]').getBoundingClientRect();
      const actions = reply.querySelector('[data-testid="message-actions"]').getBoundingClientRect();
      ok(actions.left >= quote.right || actions.bottom <= quote.top, 'the ⋯ button covers no part of the quote');
      const back = page.one('back');
      ok(page.visible(back));
      back.click();
      await page.until(() => page.visible(page.doc.querySelector('.sidebar')), 'the chat list again');
      ok(!page.visible(conversation));
      await page.until(() => page.doc.activeElement.dataset.peer === BOB, 'the focus back on the chat it left');
      for (const panel of ['nav-devices', 'nav-settings', 'nav-new-chat']) {
        page.one(panel).click();
        await page.settle();
        fits(page, panel);
      }
      noInlineStyle(page, 'main');
    });
  }],

  ['on a desktop: the chat list and the conversation side by side', async (ctx) => {
    await withPage(ctx, linkedAlice(), DESKTOP, async (page) => {
      await page.until(() => page.all('chat-item').length === 2, 'the chats');
      page.all('chat-item')[0].click();
      await page.shown('conversation');
      const sidebar = page.doc.querySelector('.sidebar').getBoundingClientRect();
      const pane = page.doc.querySelector('.conversation-pane').getBoundingClientRect();
      ok(sidebar.width > 250 && pane.left >= sidebar.right - 1, 'two panes');
      ok(!page.visible(page.one('back')), 'no back button beside the list');
      const composer = page.one('composer').getBoundingClientRect();
      ok(Math.abs(composer.bottom - page.win.innerHeight) < 2, 'the composer sits at the bottom');
    });
  }],

  ['the keyboard alone: Tab reaches the controls in order, with a visible focus', async (ctx) => {
    const device = new FakeDevice();
    await withPage(ctx, device, { ...DESKTOP, choose: 'link' }, async (page) => {
      device.emit('qr', { uri: 'quintet://link?v=1&a=A' });
      await page.shown('qr-image');
      equal(page.doc.activeElement, page.doc.querySelector('h1'), 'the screen\'s heading first');
      const name = (el) => el.dataset.testid ?? el.tagName.toLowerCase();
      const order = [];
      for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
        await ctx.press(key);
        order.push(name(page.doc.activeElement));
      }
      equal(order.join(' '), 'device-name link-switch link-back link-switch device-name lang-bn lang-en');
      await ctx.press('Tab');
      await ctx.press('Tab');
      await ctx.press('Tab');
      const link = page.one('link-switch');
      equal(page.doc.activeElement, link);
      const style = page.win.getComputedStyle(link);
      ok(style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2, 'a visible focus ring');
      await ctx.press('Enter');
      equal(page.doc.activeElement, await page.shown('link-number'), 'the number field takes the focus');
    });
  }],

  ['the language switch: each language named in itself, the current one marked', async (ctx) => {
    await withPage(ctx, new FakeDevice(), { lang: 'bn' }, async (page) => {
      const en = page.one('lang-en');
      const bn = page.one('lang-bn');
      equal(en.getAttribute('href'), '?lang=en');
      equal(en.lang, 'en');
      equal(page.text(en), 'English');
      equal(bn.getAttribute('aria-current'), 'true');
      equal(page.text(bn), 'বাংলা');
      ok(!en.hasAttribute('aria-current'));
    });
  }],

  ['every control is a real button, link or field', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, DESKTOP, async (page) => {
      await page.until(() => page.all('chat-item').length === 2, 'the chats');
      page.all('chat-item')[0].click();
      await page.shown('conversation');
      const controls = [...page.doc.querySelectorAll('[data-testid]')].filter((el) => /nav-|chat-item|back|safety-button|composer-send/.test(el.dataset.testid));
      ok(controls.length >= 8);
      for (const el of controls) equal(el.tagName, 'BUTTON', el.dataset.testid);
      equal(page.doc.querySelectorAll('[role="button"], [onclick]').length, 0);
    });
  }],
];
