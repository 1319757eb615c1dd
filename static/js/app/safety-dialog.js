// The safety number of a conversation, to compare with the one on the peer's phone: when both
// show the same digits, no one in between holds the keys.
import { h } from './dom.js';
import { failureReason, safetyBlocks } from './format.js';
import { openDialog } from './dialog.js';

export async function showSafetyNumber(app, peer, opener) {
  const { t } = app;
  let number;
  try {
    number = await app.device.safetyNumber(peer);
  } catch (err) {
    app.notices.show(t('safety.failed', { reason: failureReason(app.i18n, err) }), { tone: 'error' });
    return;
  }
  await openDialog(app, {
    title: t('safety.title', { peer }),
    testid: 'safety-dialog',
    opener,
    body: [
      h('p', { class: 'safety-number', dataset: { testid: 'safety-number' } },
        safetyBlocks(number).map((block) => h('span', {}, block))),
      h('p', {}, t('safety.body', { peer })),
    ],
    actions: [{ label: t('dialog.close'), value: 'close', testid: 'safety-close', look: 'primary' }],
  });
}
