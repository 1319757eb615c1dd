// Starting a chat with a number that has no chat yet.
import { h } from './dom.js';
import { normalizeNumber } from './format.js';

export function newChatPanel(app, scope, view) {
  const { t } = app;
  const input = h('input', {
    id: 'new-chat-number', type: 'tel', inputmode: 'tel', autocomplete: 'tel', required: true,
    'aria-describedby': 'new-chat-hint new-chat-error', dataset: { testid: 'new-chat-number' },
  });
  const error = h('p', { id: 'new-chat-error', class: 'field-error', role: 'alert' });
  const el = h('form', {
    class: 'new-chat', novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      const number = normalizeNumber(input.value);
      if (!number) {
        input.setAttribute('aria-invalid', 'true');
        error.textContent = t('number.invalid');
        input.focus();
        return;
      }
      // A number without an account here could never get a message: said now, not after a send fails.
      Promise.resolve(app.device.hasAccount?.(number) ?? true).then((exists) => {
        if (!exists) {
          input.setAttribute('aria-invalid', 'true');
          error.textContent = t('newChat.noAccount', { number });
          input.focus();
          return;
        }
        view.showPanel('chats');
        view.openChat(number);
      }, () => {
        // The relay cannot be asked (offline): the chat opens, and sending will say what happens.
        view.showPanel('chats');
        view.openChat(number);
      });
    },
  },
  h('label', { for: 'new-chat-number' }, t('newChat.number')),
  input,
  h('p', { id: 'new-chat-hint', class: 'hint' }, t('number.hint')),
  error,
  h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'new-chat-start' } }, t('newChat.start')));
  return { el, focusTarget: input };
}
