// Installs the page's service worker (/sw.js, served at the root so that it covers the whole site),
// which keeps a copy of the page and its files so that the page opens while the relay cannot be
// reached. Where a browser has no service workers, or refuses this one (a certificate it was told to
// accept, for one), the page works as before: it only does not open without the relay.
export function registerServiceWorker({ navigator, location, PerformanceObserver } = globalThis) {
  const container = navigator.serviceWorker;
  if (!container) return;
  // A load that no worker controls (the first one, or a reload that bypassed the worker) fetches its
  // files out of the worker's sight, some of them (a font) even after the worker has taken over:
  // the worker is told of every file this load fetches, and keeps the ones it would have kept.
  if (!container.controller) {
    const tell = (urls) => container.ready.then((registration) => registration.active?.postMessage({ keep: urls }));
    tell([location.href]);
    new PerformanceObserver((entries) => tell(entries.getEntries().map((entry) => entry.name)))
      .observe({ type: 'resource', buffered: true });
  }
  // Also fails, harmlessly, at every load while the relay is down: the installed worker stays.
  container.register('/sw.js').catch((error) => console.warn(`service worker not registered or updated: ${error.message}`));
}
