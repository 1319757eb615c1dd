// The page's service worker, served at /sw.js so that its scope is the whole site. It keeps a copy
// of the app shell (the page, its scripts, styles, fonts, icons and manifest) so that the page opens
// while the relay cannot be reached and shows the chats this browser holds in IndexedDB.
//
// The network comes first: online, every load gets the relay's current files (an upgrade shows at
// once) and refreshes the copy; the copy answers only when the network fails, or when a proxy in
// front of a relay that is down answers with a 5xx.
//
// Only the shell's paths are handled. Everything else goes to the network as if there were no
// worker, and is never put in the cache: the API under /v1/ (tokens, keys, messages), /qr.svg (a
// QR code holds linking data), /metrics, /healthz, this file, and every request but GET. (The
// WebSockets never pass through a service worker.)
//
// A classic script, not a module: every browser that has service workers runs it.
'use strict';

const CACHE_PREFIX = 'quintet-shell-';
// A new name when what the cache holds changes meaning: activating drops the other versions.
const CACHE = `${CACHE_PREFIX}v1`;

function isShell(url) {
  return url.origin === self.location.origin
    && (url.pathname === '/' || url.pathname === '/manifest.webmanifest' || url.pathname.startsWith('/static/'));
}

function handles(request) {
  return request.method === 'GET' && isShell(new URL(request.url));
}

// 200 only: a partial (206), an error or a redirect is no copy of a file.
function storable(response) {
  return response.status === 200 && response.type === 'basic';
}

// Puts fresh copies of the shell's files among `urls` in the cache; a file that cannot be fetched now
// is left out (the next load that fetches it through this worker adds it).
async function keep(urls) {
  const cache = await caches.open(CACHE);
  const wanted = new Set();
  for (const url of urls) {
    if (typeof url !== 'string') continue;
    const request = new Request(url);
    if (handles(request)) wanted.add(request.url);
  }
  await Promise.all([...wanted].map(async (url) => {
    try {
      const response = await fetch(url, { cache: 'no-cache' });
      if (storable(response)) await cache.put(url, response);
    } catch {
      // offline: see above
    }
  }));
}

async function cached(request) {
  const cache = await caches.open(CACHE);
  // The page varies by Accept-Language and Cookie, which a service worker's request does not show.
  const options = { ignoreVary: true };
  const exact = await cache.match(request, options);
  // A page asked for with another ?lang= than the one kept is the kept one, in its language.
  if (exact || request.mode !== 'navigate') return exact;
  return cache.match(request, { ...options, ignoreSearch: true });
}

async function networkFirst(event) {
  const { request } = event;
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const copy = await cached(request);
    if (copy) return copy;
    throw error;
  }
  if (storable(response)) {
    const copy = response.clone();
    event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
  } else if (response.status >= 500) {
    return (await cached(request)) ?? response;
  }
  return response;
}

// The start URL, and what an older version of this worker kept: an upgrade goes on opening offline.
self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const older = (await caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE);
    const held = await Promise.all(older.map(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)));
    await keep(['/', ...held.flat()]);
    // Nothing here serves an old file while the network answers, so the new version may take over at once.
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    // The page that installed this worker is controlled from now on, not from its next load.
    await self.clients.claim();
  })());
});

// A page this worker did not control at its load (the one that installed it) fetched its files out
// of the worker's sight: it names them here ({ keep: [url, ...] }); only the shell's are kept.
self.addEventListener('message', (event) => {
  const urls = event.data?.keep;
  if (Array.isArray(urls)) event.waitUntil(keep(urls));
});

self.addEventListener('fetch', (event) => {
  if (handles(event.request)) event.respondWith(networkFirst(event));
});
