// How the page installs its service worker: always /sw.js, and only a load the worker did not see
// names its files to it (a controlled load's requests go through the worker, which keeps them).
import { deepEqual, equal } from '../assert.js';
import { registerServiceWorker } from '../../../static/js/app/service-worker.js';

const ORIGIN = 'https://relay.example';
const LOADED = [`${ORIGIN}/static/css/app.css`, `${ORIGIN}/static/js/app/main.js`, `${ORIGIN}/qr.svg?data=x`];
const FONT = `${ORIGIN}/static/fonts/noto-sans-bengali-bengali-400-normal.woff2`;

const entries = (names) => ({ getEntries: () => names.map((name) => ({ name })) });

// The globals registerServiceWorker takes, with a worker that records what it is told and a
// PerformanceObserver that has seen LOADED (and reports more with `observers[i].report(...)`).
function browser({ controlled }) {
  const told = [];
  const registered = [];
  const observers = [];
  const registration = { active: { postMessage: (message) => told.push(message) } };
  class PerformanceObserver {
    constructor(callback) {
      this.report = (names) => callback(entries(names));
      observers.push(this);
    }

    observe(options) {
      this.options = options;
      if (options.buffered) this.report(LOADED);
    }
  }
  const globals = {
    navigator: {
      serviceWorker: {
        controller: controlled ? {} : null,
        register: async (url) => {
          registered.push(url);
          return registration;
        },
        ready: Promise.resolve(registration),
      },
    },
    location: { href: `${ORIGIN}/?lang=bn` },
    PerformanceObserver,
  };
  return { globals, told, registered, observers };
}

const settle = () => new Promise((resolve) => { setTimeout(resolve, 0); });

export const tests = [
  ['a load no worker controls registers /sw.js and names the page and every file it loads, also later', async () => {
    const { globals, told, registered, observers } = browser({ controlled: false });
    registerServiceWorker(globals);
    await settle();
    deepEqual(registered, ['/sw.js']);
    equal(observers.length, 1);
    deepEqual(observers[0].options, { type: 'resource', buffered: true });
    // The worker, not the page, decides what of it to keep (it keeps no /qr.svg).
    deepEqual(told, [{ keep: [`${ORIGIN}/?lang=bn`] }, { keep: LOADED }]);
    observers[0].report([FONT]);
    await settle();
    deepEqual(told.at(-1), { keep: [FONT] }, 'a font that arrives after the worker took over');
  }],

  ['a load the worker controls only registers (for updates)', async () => {
    const { globals, told, registered, observers } = browser({ controlled: true });
    registerServiceWorker(globals);
    await settle();
    deepEqual(registered, ['/sw.js']);
    equal(observers.length, 0);
    deepEqual(told, []);
  }],
];
