// How far the history from the primary has come: "Syncing messages… part 2 of 5".
import { h } from './dom.js';

// Returns the element; it follows the companion's history events until the scope ends.
// Hidden until the first part arrives when `hiddenUntilProgress`, and hidden again when done.
export function historyProgress(app, scope, { hiddenUntilProgress = false } = {}) {
  const { device, t } = app;
  const bar = h('progress', { class: 'history-bar', 'aria-labelledby': 'history-text' });
  const text = h('p', { id: 'history-text', class: 'history-text', role: 'status' }, t('syncing.title'));
  const el = h('div', { class: 'history', hidden: hiddenUntilProgress, dataset: { testid: 'sync-progress' } }, bar, text);

  scope.listen(device, 'history-progress', (event) => {
    const { part, parts } = event.detail ?? {};
    if (!(parts > 0)) return;
    bar.max = parts;
    bar.value = Math.min(part, parts);
    text.textContent = t('syncing.part', { part, parts });
    el.hidden = false;
  });
  scope.listen(device, 'history-done', () => {
    if (hiddenUntilProgress) el.hidden = true;
  });
  return el;
}
