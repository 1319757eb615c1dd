// Writing a message: Enter sends, Shift+Enter starts a new line. While an input method is
// composing (Bengali keyboards often are), Enter belongs to it and sends nothing.
import { h } from './dom.js';

export function composer(app, { onSend }) {
  const { t } = app;
  const input = h('textarea', {
    id: 'composer-input', rows: 1, placeholder: t('composer.placeholder'), 'aria-label': t('composer.label'),
    'aria-describedby': 'composer-hint', dir: 'auto', dataset: { testid: 'composer-input' },
  });
  const form = h('form', { class: 'composer', dataset: { testid: 'composer' }, onsubmit: submit },
    input,
    h('button', { type: 'submit', class: 'button primary send', dataset: { testid: 'composer-send' } }, t('composer.send')),
    h('p', { id: 'composer-hint', class: 'visually-hidden' }, t('composer.hint')));

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  function submit(event) {
    event.preventDefault();
    const text = input.value.trim();
    if (text === '') return;
    input.value = '';
    onSend(text);
    input.focus();
  }

  return { el: form, focus: () => input.focus() };
}
