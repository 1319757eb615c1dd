// The bar at the top of every screen: the name, the connection state, the language switch.
import { h } from './dom.js';

const LANGUAGES = ['en', 'bn'];

// Switching reloads the page in the other language (the server remembers it in a cookie). Each
// language is named in itself, so that a reader of either finds theirs.
export function languageLinks(i18n, testids = true) {
  return LANGUAGES.map((lang) => h('a', {
    href: `?lang=${lang}`, hreflang: lang, lang,
    'aria-current': lang === i18n.lang ? 'true' : null,
    dataset: testids ? { testid: `lang-${lang}` } : {},
  }, i18n.t(`lang.${lang}`)));
}

export function createHeader(i18n) {
  const { t } = i18n;
  const connection = h('p', {
    class: 'connection', role: 'status', hidden: true, dataset: { testid: 'connection-status', online: 'unknown' },
  });
  const languages = h('nav', { class: 'languages', 'aria-label': t('lang.label') }, languageLinks(i18n));
  const el = h('header', { class: 'topbar' },
    h('p', { class: 'brand' }, h('img', { src: '/static/img/icon.svg', alt: '', width: 28, height: 28 }), t('app.brand')),
    connection,
    languages);

  return {
    el,
    // online: true, false, or null while not yet known. replaced: another tab of this browser
    // took the connection over (one connection per device), so this one waits.
    setOnline(online, { replaced = false } = {}) {
      const word = online === null ? 'unknown' : online ? 'online' : 'offline';
      connection.dataset.online = word;
      connection.textContent = t(online === null ? 'connection.connecting'
        : replaced && !online ? 'connection.replaced' : `connection.${word}`);
    },
    // Only a linked device has a connection to show.
    showConnection(shown) {
      connection.hidden = !shown;
    },
  };
}
