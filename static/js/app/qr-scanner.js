// Reading QR codes with the device's camera: how a primary takes in a companion's link code.
//
//   const scanner = startQrScanner(video, { onCode(text) {}, onError(reason) {} });
//   scanner.stop();
//
// Opens the camera (the rear one, where a phone has several), shows it in `video` (muted, inline)
// and reads a few frames a second. onCode(text) runs once for each distinct text read; scanning
// goes on until stop(), since what a text means is the caller's to decide. onError(reason) runs at
// most once, and the scanner has stopped by then. The reasons:
//   'insecure'  no navigator.mediaDevices: the page is not a secure context
//   'absent'    no camera, or none that can give what was asked
//   'denied'    the user or the browser's policy refused the camera
//   'failed'    anything else: the camera is busy elsewhere, it stopped while scanning (unplugged,
//               its permission withdrawn), decoding broke down
// stop() releases the camera, ends the decoding and takes the stream off `video`; it may be called
// any number of times, also before the camera is open. No callback runs after it, nor before
// startQrScanner has returned.
//
// Frames are decoded by the browser's BarcodeDetector where it reads QR codes, otherwise by jsQR
// in a worker (qr-scanner-worker.js), so that searching a frame never stalls the page.

const FRAME_INTERVAL_MS = 200;
// A code filling a third of the picture still has a few pixels per module at this size, and jsQR
// searches a frame of it in tens of milliseconds.
const MAX_FRAME_SIDE = 800;

const REASONS = {
  NotFoundError: 'absent',
  OverconstrainedError: 'absent',
  NotAllowedError: 'denied',
  SecurityError: 'denied',
};

export function startQrScanner(video, { onCode, onError }) {
  let stopped = false;
  let stream = null;
  let decoder = null;
  let timer = null;
  const seen = new Set();

  function stop() {
    stopped = true;
    clearTimeout(timer);
    decoder?.close();
    for (const track of stream?.getTracks() ?? []) track.stop();
    if (stream && video.srcObject === stream) video.srcObject = null;
  }

  function fail(reason) {
    if (stopped) return;
    stop();
    onError(reason);
  }

  async function start() {
    if (stopped) return;
    if (!navigator.mediaDevices?.getUserMedia) return fail('insecure');
    let opened;
    try {
      opened = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } } });
    } catch (err) {
      return fail(REASONS[err?.name] ?? 'failed');
    }
    if (stopped) {
      for (const track of opened.getTracks()) track.stop();
      return;
    }
    stream = opened;
    // A camera unplugged, or its permission withdrawn, ends its track: the picture would freeze.
    for (const track of stream.getVideoTracks()) track.addEventListener('ended', () => fail('failed'));
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    try {
      await video.play();
      const chosen = await frameDecoder();
      if (stopped) return chosen.close();
      decoder = chosen;
    } catch {
      return fail('failed');
    }
    scan();
  }

  async function scan() {
    let texts;
    try {
      texts = video.readyState >= video.HAVE_CURRENT_DATA ? await decoder.decode(video) : [];
    } catch {
      return fail('failed');
    }
    for (const text of texts) {
      if (stopped || !text || seen.has(text)) continue;
      seen.add(text);
      onCode(text);
    }
    if (!stopped) timer = setTimeout(scan, FRAME_INTERVAL_MS);
  }

  Promise.resolve().then(start);
  return { stop };
}

// { decode(video) -> Promise<texts>, close() }
async function frameDecoder() {
  if ('BarcodeDetector' in globalThis && (await BarcodeDetector.getSupportedFormats()).includes('qr_code')) {
    const detector = new BarcodeDetector({ formats: ['qr_code'] });
    return {
      decode: async (video) => (await detector.detect(video)).map((code) => code.rawValue),
      close() {},
    };
  }
  return workerDecoder();
}

function workerDecoder() {
  const worker = new Worker(new URL('./qr-scanner-worker.js', import.meta.url));
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let pending = null;
  let broken = null;

  worker.addEventListener('message', ({ data }) => {
    pending?.resolve(data === null ? [] : [data]);
    pending = null;
  });
  // Also how a worker whose jsQR did not load ends, which may be before any frame was sent.
  worker.addEventListener('error', () => {
    broken = new Error('the QR decoder stopped');
    pending?.reject(broken);
    pending = null;
  });

  return {
    decode(video) {
      if (broken) return Promise.reject(broken);
      const scale = Math.min(1, MAX_FRAME_SIDE / Math.max(video.videoWidth, video.videoHeight));
      const width = Math.round(video.videoWidth * scale);
      const height = Math.round(video.videoHeight * scale);
      if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
      context.drawImage(video, 0, 0, width, height);
      const { data } = context.getImageData(0, 0, width, height);
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage({ width, height, pixels: data.buffer }, [data.buffer]);
      });
    },
    close() {
      worker.terminate();
      pending?.resolve([]);
      pending = null;
    },
  };
}
