// The QR scanner's decoder (qr-scanner.js) where the browser has no BarcodeDetector: jsQR, off the
// page's main thread. A classic worker, because jsQR's browser build is a script that defines a
// global; web/pom.xml copies it into the web jar from its npm package.
importScripts('../../vendor/jsqr/jsQR.js');

// A frame's RGBA pixels in; the text of the code found in it, or null, out.
self.addEventListener('message', ({ data: { width, height, pixels } }) => {
  // jsQR's default also searches the inverted picture: a command line draws its code light on
  // dark, which a terminal with a light background shows inverted.
  const code = jsQR(new Uint8ClampedArray(pixels), width, height);
  self.postMessage(code ? code.data : null);
});
