// Sets up a fake relay, accounts and a companion for the client tests.

import { MemoryStorage, openDevice } from '../../../static/js/client/index.js';
import { FakeRelay, RELAY_ORIGIN } from './fake-relay.js';
import { TestDevice, recordEvents, waitFor } from './test-device.js';

export const ALICE = '+8801711000001';
export const BOB = '+8801811000002';

export const EVENTS = ['state', 'qr', 'code', 'wrong-code', 'linked', 'link-failed', 'link-reconnecting', 'message', 'message-status',
  'receipt', 'devices-changed', 'history-progress', 'history-done', 'logged-out', 'connection'];

export function open(relay, storage) {
  return openDevice({ relayUrl: RELAY_ORIGIN, storage, WebSocketImpl: relay.WebSocket, fetch: relay.fetch });
}

// A relay with Alice's phone and Bob's phone, and a companion (not linked yet) with its events.
export async function accounts() {
  const relay = new FakeRelay();
  const alice = await TestDevice.primary(relay, ALICE);
  const bob = await TestDevice.primary(relay, BOB);
  const storage = new MemoryStorage();
  const companion = await open(relay, storage);
  const events = recordEvents(companion, EVENTS);
  return { relay, alice, bob, storage, companion, events };
}

// The same, with the companion linked to Alice's account by QR and online.
export async function linked() {
  const setup = await accounts();
  const { companion, alice, events } = setup;
  await companion.startQrLink({ name: 'Firefox on Linux' });
  await alice.linkByQr((await events.nth('qr')).uri);
  await waitFor(() => companion.state === 'linked' && companion.online, 'the companion to be linked and online');
  return setup;
}
