// Between "linked" and the first chats: the primary is sending this browser its recent history.
import { h } from './dom.js';
import { historyProgress } from './history-progress.js';

export function renderSyncingScreen(app, scope) {
  const { t } = app;
  return h('section', { class: 'card message-card syncing', 'aria-labelledby': 'syncing-title' },
    h('h1', { id: 'syncing-title', tabindex: -1 }, t('syncing.heading')),
    historyProgress(app, scope),
    h('p', { class: 'hint' }, t('syncing.hint')));
}
