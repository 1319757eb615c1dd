// The page's own fonts: served with the page, its Bengali font draws Bengali where the system has
// none (as on a fresh Debian: empty boxes otherwise) and leaves Latin text alone; its color emoji
// font (Twemoji, COLR) draws emoji on a machine without one.
import { equal, ok } from '../assert.js';
import { BOB, FakeDevice, linkedAlice } from './fake-device.js';
import { withPage } from './ui.js';
import { bengaliFontFacts, fontProblems, machineHasNoBengaliFont } from './fonts.js';

export const tests = [
  ['Bengali is drawn in the page\'s own font, Latin in the system\'s', async (ctx) => {
    const device = new FakeDevice();
    await withPage(ctx, device, { lang: 'bn', choose: 'link' }, async (page) => {
      await page.shown('link-switch');
      const facts = await bengaliFontFacts(page.doc);
      equal(fontProblems(facts).join('\n'), '');
      if (!machineHasNoBengaliFont(facts)) console.log('this machine has a Bengali font of its own');
    });
  }],

  ['emoji are drawn in the page\'s own color font, whatever the machine has', async (ctx) => {
    const device = linkedAlice();
    device.changeMessage('b2', { reactions: { [BOB]: { emoji: '\u{1F44D}', ts: 1 } } });
    await withPage(ctx, device, {}, async (page) => {
      (await page.until(() => page.all('chat-item').find((b) => b.dataset.peer === BOB), 'the chat')).click();
      const emoji = await page.until(() => page.doc.querySelector('.reaction .emoji'), 'the reaction');
      // The face named first for it, with a file of the page for this code point, loaded.
      ok(page.win.getComputedStyle(emoji).fontFamily.startsWith('Twemoji'));
      const faces = await page.doc.fonts.load('16px Twemoji', '\u{1F44D}');
      ok(faces.length > 0 && faces.every((face) => face.status === 'loaded'), 'the emoji font file loaded');
      // Drawn, in color: a font Chromium loads but cannot draw (SVG glyphs) leaves the canvas blank.
      const canvas = page.doc.createElement('canvas');
      canvas.width = 40;
      canvas.height = 40;
      const g = canvas.getContext('2d');
      g.font = '32px Twemoji';
      g.fillText('\u{1F44D}', 2, 34);
      const pixels = g.getImageData(0, 0, 40, 40).data;
      let colored = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const [r, gr, b, a] = pixels.slice(i, i + 4);
        if (a > 0 && (Math.abs(r - gr) > 40 || Math.abs(gr - b) > 40)) colored++;
      }
      ok(colored > 50, `${colored} colored pixels of the thumb`);
    });
  }],
];
