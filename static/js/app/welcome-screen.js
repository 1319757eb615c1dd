// The first screen of a browser that belongs to no account yet: is this device the phone of the
// account (it registers the number and links the others), or is it linked to a phone the person
// already uses? Said in plain words, with what each choice means.
import { h } from './dom.js';

export function renderWelcomeScreen(app) {
  const { t } = app;
  const choice = (value, testid, title, body) => h('button', {
    type: 'button', class: 'choice', dataset: { testid }, onclick: () => app.choose(value),
  }, h('span', { class: 'choice-title' }, title), h('span', { class: 'choice-body' }, body));
  return h('section', { class: 'card welcome-card', 'aria-labelledby': 'welcome-title', dataset: { testid: 'welcome' } },
    h('h1', { id: 'welcome-title', tabindex: -1 }, t('welcome.title')),
    h('p', {}, t('welcome.intro')),
    h('div', { class: 'choices' },
      choice('phone', 'choose-phone', t('welcome.phone.title'), t('welcome.phone.body')),
      choice('link', 'choose-link', t('welcome.link.title'), t('welcome.link.body'))),
    h('p', { class: 'e2e' }, t('link.e2e')));
}
