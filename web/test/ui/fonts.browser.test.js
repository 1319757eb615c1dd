// The page's own Bengali font: served with the page, it draws Bengali where the system has no
// Bengali font (as on a fresh Debian: empty boxes otherwise), and leaves Latin text alone.
import { equal } from '../assert.js';
import { FakeDevice } from './fake-device.js';
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
];
