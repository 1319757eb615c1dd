// How the page installs its service worker: always /sw.js, and only a load the worker did not see
// names its files to it (a controlled load's requests went through the worker, which kept them).
import { deepEqual } from '../assert.js';
import { registerServiceWorker } from '../../../static/js/app/service-worker.js';

const ORIGIN = 'https://relay.example';

// The globals registerServiceWorker takes, with a worker that records what it is told.
function browser({ controlled }) {
  const told = [];
  const registered = [];
  const registration = { active: { postMessage: (message) => told.push(message) } };
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
    performance: {
      getEntriesByType: (type) => (type === 'resource'
        ? [`${ORIGIN}/static/css/app.css`, `${ORIGIN}/static/js/app/main.js`, `${ORIGIN}/qr.svg?data=x`].map((name) => ({ name }))
        : []),
    },
  };
  return { globals, told, registered };
}

const settle = () => new Promise((resolve) => { setTimeout(resolve, 0); });

export const tests = [
  ['a load no worker controlled registers /sw.js and names the page and what it loaded', async () => {
    const { globals, told, registered } = browser({ controlled: false });
    registerServiceWorker(globals);
    await settle();
    deepEqual(registered, ['/sw.js']);
    // The worker, not the page, decides what of it to keep (it keeps no /qr.svg).
    deepEqual(told, [{
      keep: [`${ORIGIN}/?lang=bn`, `${ORIGIN}/static/css/app.css`, `${ORIGIN}/static/js/app/main.js`, `${ORIGIN}/qr.svg?data=x`],
    }]);
  }],

  ['a load the worker controlled only registers (for updates)', async () => {
    const { globals, told, registered } = browser({ controlled: true });
    registerServiceWorker(globals);
    await settle();
    deepEqual(registered, ['/sw.js']);
    deepEqual(told, []);
  }],
];
