// Online envelopes (docs/relay-api.md, "Sending"): a connected companion takes one in like any
// other envelope and shows it, but acknowledges nothing; a device that is not connected never gets it.

import { deepEqual, equal } from '../assert.js';
import { ALICE, BOB, linked } from './setup.js';
import { waitFor } from './test-device.js';

function acknowledgements(socket) {
  return socket.sent.map((data) => JSON.parse(data)).filter((frame) => frame.type === 'ack');
}

export const tests = [
  ['an online text reaches the connected companion, which shows it and acknowledges only the queued text after it', async () => {
    const { bob, alice, relay, companion, events } = await linked();
    const socket = relay.device(ALICE, 2).socket;
    const acknowledged = acknowledgements(socket).length;

    const id = await bob.sendText(ALICE, 'typing', 1_700_000_000_000, { online: true });
    const shown = await events.nth('message');
    equal(shown.id, id);
    equal(shown.body, 'typing');
    equal(shown.from, BOB);

    await bob.sendText(ALICE, 'queued after it');
    equal((await events.nth('message', 2)).body, 'queued after it');
    await waitFor(() => relay.device(ALICE, 2).queue.length === 0, 'the queued text to be acknowledged');
    equal(acknowledgements(socket).length - acknowledged, 1, 'one acknowledgement: the queued text\'s');

    // Alice's phone had no connection: only the queued text waits for it.
    await alice.receive();
    deepEqual(alice.received.map((r) => r.content.body), ['queued after it']);
    await companion.close();
  }],
];
