// The page's entry point: the one module that opens the real device (the client core keeps
// this browser's keys and messages in IndexedDB and talks to the relay on this origin).
import { openDevice } from '../client/index.js';
import { createI18n, readStrings } from './i18n.js';
import { startApp } from './app.js';
import { registerServiceWorker } from './service-worker.js';

const root = document.getElementById('app');
startApp(root, {
  i18n: createI18n(document.documentElement.lang, readStrings(document)),
  open: openDevice,
  qrEndpoint: root.dataset.qrEndpoint,
});
registerServiceWorker();
