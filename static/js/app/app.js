// The page: the header, one screen at a time, and notices, driven by a companion from the client
// core (static/js/client/). Screens follow the companion's state (see route.js).
import { Scope, h, replaceChildren } from './dom.js';
import { createHeader } from './header.js';
import { createNotices } from './notices.js';
import { chooseScreen } from './route.js';
import { renderWelcomeScreen } from './welcome-screen.js';
import { renderRegisterScreen } from './register-screen.js';
import { renderLinkScreen } from './link-screen.js';
import { renderSyncingScreen } from './syncing-screen.js';
import { renderMainScreen } from './main-screen.js';
import { renderLoggedOutScreen } from './logged-out-screen.js';
import { startNotifications, watchUnread } from './notifications.js';
import { messageSearch } from './search.js';
import { failureReason } from './format.js';

const SCREENS = {
  welcome: renderWelcomeScreen,
  register: renderRegisterScreen,
  link: renderLinkScreen,
  syncing: renderSyncingScreen,
  main: renderMainScreen,
  'logged-out': renderLoggedOutScreen,
};

// root: the element the page lives in. open(): resolves to the device. qrEndpoint: where QR
// images come from (the server's /qr.svg).
export async function startApp(root, { i18n, open, qrEndpoint }) {
  const header = createHeader(i18n);
  const notices = createNotices(i18n);
  const screen = h('main', { class: 'screen', id: 'screen', dataset: { testid: 'screen' } });
  replaceChildren(root, header.el, screen, notices.el);

  let device;
  try {
    device = await open();
  } catch (err) {
    showStartFailure(screen, i18n, err);
    return null;
  }

  const flags = { choice: null, linkStarted: false, linkedEvent: false, relinking: false, loggedOutReason: undefined };
  let current = null;
  let scope = new Scope();

  // The names accounts shared (content `profile`), kept up to date for every screen.
  let names = {};
  const loadNames = () => Promise.resolve(device.names?.()).then((loaded) => { names = loaded ?? {}; }).catch(() => {});

  const app = {
    device,
    i18n,
    // { number: name } of the accounts that shared a name; nameOf(number): its name, or the number.
    names: () => names,
    nameOf: (number) => names[number] ?? number,
    t: i18n.t,
    notices,
    header,
    qrEndpoint,
    doc: root.ownerDocument,
    // The core's own record wins; the event's reason covers a core that only sends the event.
    get loggedOutReason() {
      return device.loggedOutReason ?? flags.loggedOutReason;
    },
    // The first screen's choice: 'phone' (register here), 'link' (link to a phone), or null (back to it).
    choose(choice) {
      flags.choice = choice;
      route();
    },
    linkStarting() {
      flags.linkStarted = true;
    },
    // After a log-out: a companion links again; a phone whose number moved starts from the first screen.
    relink({ choice = 'link' } = {}) {
      Object.assign(flags, { choice, relinking: true, linkStarted: false, linkedEvent: false });
      route();
    },
    // Logging out from this tab leads straight back to linking: the user knows why.
    async logout() {
      Object.assign(flags, { choice: 'link', relinking: true, linkStarted: false, linkedEvent: false });
      try {
        await device.logout();
      } finally {
        route();
      }
    },
  };

  function route() {
    const state = device.state;
    if (state === 'linked') flags.relinking = false;
    const next = chooseScreen({ state, ...flags });
    if (next === current) return;
    current = next;
    scope.dispose();
    scope = new Scope();
    screen.dataset.screen = next;
    replaceChildren(screen, SCREENS[next](app, scope));
    // Tell screen readers (and keyboard users) where they are now.
    screen.querySelector('h1')?.focus({ preventScroll: true });
  }

  device.addEventListener('profile', (event) => {
    names = { ...names, [event.detail.number]: event.detail.name };
  });
  device.addEventListener('linked', loadNames);
  await loadNames();
  watchUnread(app);
  app.search = messageSearch(device);
  app.alerts = startNotifications(app);
  device.addEventListener('state', route);
  device.addEventListener('logged-out', (event) => {
    flags.loggedOutReason = event.detail?.reason;
    route();
  });
  device.addEventListener('linked', () => {
    flags.linkedEvent = true;
    route();
  });
  device.addEventListener('connection', (event) =>
    header.setOnline(Boolean(event.detail?.online), { replaced: Boolean(event.detail?.replaced) }));
  header.setOnline(typeof device.online === 'boolean' ? device.online : null);
  route();
  return app;
}

function showStartFailure(screen, i18n, err) {
  screen.dataset.screen = 'failed';
  if (err?.code === 'INSECURE_CONTEXT') {
    // Trying again does not help here: the page has to be opened at another address.
    const { origin } = screen.ownerDocument.defaultView.location;
    replaceChildren(screen, h('section', { class: 'card message-card', role: 'alert', dataset: { testid: 'insecure' } },
      h('h1', { tabindex: -1 }, i18n.t('app.insecure.title')),
      h('p', {}, i18n.t('app.insecure.body', { origin })),
      h('p', {}, i18n.t('app.insecure.fix'))));
    return;
  }
  replaceChildren(screen, h('section', { class: 'card message-card', role: 'alert', dataset: { testid: 'start-failed' } },
    h('h1', { tabindex: -1 }, i18n.t('app.startFailed')),
    h('p', {}, i18n.t('app.startFailedHint')),
    h('p', { class: 'detail' }, failureReason(i18n, err)),
    h('button', { type: 'button', class: 'button primary', onclick: () => location.reload() }, i18n.t('app.retry'))));
}
