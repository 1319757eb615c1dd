// Runs inside fixture.html: the page's own modules, in the frame's document.
import { startApp } from '../../../static/js/app/app.js';
import { createI18n } from '../../../static/js/app/i18n.js';

window.quintetFixture = {
  // open: how the page gets its companion (default: it gets `companion`).
  mount({ lang, strings, device, open = async () => device, onMissing }) {
    document.documentElement.lang = lang;
    const root = document.getElementById('app');
    return startApp(root, {
      i18n: createI18n(lang, strings, { onMissing }),
      open,
      qrEndpoint: root.dataset.qrEndpoint,
    });
  },
};
