// The camera scanner's decoder worker where the page's tests run: jsQR, which is not in the
// repository, comes from its npm package at the path the web jar serves it (web/pom.xml).
import { equal } from '../assert.js';

export const tests = [
  ['the scanner\'s worker loads jsQR and finds no code in a blank frame', async () => {
    const worker = new Worker(new URL('../../../static/js/app/qr-scanner-worker.js', import.meta.url));
    try {
      const answer = await new Promise((resolve, reject) => {
        worker.addEventListener('message', (event) => resolve(event.data));
        worker.addEventListener('error', () => reject(new Error('the worker failed (did jsQR load?)')));
        const pixels = new Uint8ClampedArray(64 * 64 * 4).fill(255);
        worker.postMessage({ width: 64, height: 64, pixels: pixels.buffer }, [pixels.buffer]);
      });
      equal(answer, null);
    } finally {
      worker.terminate();
    }
  }],
];
