// The JS protocol benchmarks, shared by the Node command line (protocol-bench.mjs) and the browser
// page (protocol-bench.html). Each benchmark prepares its inputs, runs warm-up iterations, then
// times its iterations one after the other (every operation is awaited before the next starts).
import {
  acceptSession, counterSignDeviceCert, createIdentity, createSignedPreKey, encodeBundle, initiateSession,
  issueDeviceCert, MemoryPreKeyStore, secureSource, signDeviceList, verifyDeviceList,
} from '../../static/js/protocol/index.js';

const MESSAGE_SIZE = 200;

async function responder(source) {
  const identity = await createIdentity(source);
  const store = new MemoryPreKeyStore();
  const signedPreKey = await createSignedPreKey(source, identity, 1);
  store.addSignedPreKey(signedPreKey);
  // No one-time prekey, so that the same bundle sets up any number of sessions.
  return { identity, store, bundle: encodeBundle(identity.publicKey, signedPreKey.record) };
}

async function sessionSetUp() {
  const source = secureSource();
  const alice = await createIdentity(source);
  const bob = await responder(source);
  const first = new Uint8Array(MESSAGE_SIZE);
  return async () => {
    const session = await initiateSession(source, alice, bob.bundle);
    await acceptSession(source, bob.identity, bob.store, await session.encrypt(first));
  };
}

// Alice and Bob past the set-up, Alice's next messages on one sending chain.
async function establishedPair() {
  const source = secureSource();
  const alice = await createIdentity(source);
  const bob = await responder(source);
  const aliceSession = await initiateSession(source, alice, bob.bundle);
  const { session: bobSession } = await acceptSession(source, bob.identity, bob.store,
    await aliceSession.encrypt(new Uint8Array(1)));
  await aliceSession.decrypt(await bobSession.encrypt(new Uint8Array(1)));
  return { aliceSession, bobSession };
}

async function ratchetEncrypt() {
  const { aliceSession } = await establishedPair();
  const plaintext = new Uint8Array(MESSAGE_SIZE);
  return () => aliceSession.encrypt(plaintext);
}

// The messages are made beforehand, so only decryption is timed; each one is the next on the
// receiving chain, so no key is skipped.
async function ratchetDecrypt(count) {
  const { aliceSession, bobSession } = await establishedPair();
  const plaintext = new Uint8Array(MESSAGE_SIZE);
  const messages = [];
  for (let i = 0; i < count; i++) messages.push(await aliceSession.encrypt(plaintext));
  let next = 0;
  return () => bobSession.decrypt(messages[next++]);
}

async function deviceListVerify() {
  const source = secureSource();
  const account = await createIdentity(source);
  const certFor = async (device, id) =>
    counterSignDeviceCert(device, await issueDeviceCert(account, id, device.publicKey, Date.now()));
  const certs = [await certFor(account, 1)];
  for (let id = 2; id <= 5; id++) certs.push(await certFor(await createIdentity(source), id));
  const list = await signDeviceList(account, { listVersion: 1, timestamp: Date.now(), certs });
  return () => verifyDeviceList(list, account.sign.publicKey);
}

export const BENCHMARKS = [
  { name: 'session set-up (initiate + accept)', warmup: 50, iterations: 500, prepare: sessionSetUp },
  { name: `ratchet encrypt, ${MESSAGE_SIZE} bytes`, warmup: 500, iterations: 5000, prepare: ratchetEncrypt },
  { name: `ratchet decrypt, ${MESSAGE_SIZE} bytes`, warmup: 500, iterations: 5000, prepare: ratchetDecrypt },
  { name: 'device list verification, 5 devices', warmup: 50, iterations: 500, prepare: deviceListVerify },
];

// Runs every benchmark; report(result) is called after each. scale multiplies the iteration
// counts (e.g. 0.1 for a quick run).
export async function runBenchmarks({ scale = 1, report = () => {} } = {}) {
  const results = [];
  for (const b of BENCHMARKS) {
    const warmup = Math.max(1, Math.round(b.warmup * scale));
    const iterations = Math.max(1, Math.round(b.iterations * scale));
    const op = await b.prepare(warmup + iterations);
    for (let i = 0; i < warmup; i++) await op();
    const started = performance.now();
    for (let i = 0; i < iterations; i++) await op();
    const elapsedMs = performance.now() - started;
    const result = {
      name: b.name,
      iterations,
      opsPerSecond: Math.round((iterations / elapsedMs) * 1000),
      meanMicros: Math.round((elapsedMs * 1000) / iterations * 10) / 10,
    };
    results.push(result);
    await report(result);
  }
  return results;
}
