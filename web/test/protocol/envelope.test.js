// envelope.json: the envelope codec (section 9).
import { bytesEqual, deepEqual, equal, fromHex, ok, throws } from '../assert.js';
import { MAX_CONTENT, decodeEnvelope, encodeEnvelope } from '../../../static/js/protocol/index.js';

function fieldsFromVector(f) {
  return { ...f, messageId: fromHex(f.messageId), content: fromHex(f.content) };
}

export const tests = [
  ['envelope.json: valid envelopes encode byte for byte and decode to their fields', async (ctx) => {
    const v = await ctx.vector('envelope');
    ok(v.valid.length > 0, 'valid envelopes');
    for (const e of v.valid) {
      const fields = fieldsFromVector(e.fields);
      bytesEqual(encodeEnvelope(fields), fromHex(e.bytes), 'encoding');
      deepEqual(decodeEnvelope(fromHex(e.bytes)), fields, 'decoding');
    }
  }],

  ['envelope.json: every invalid envelope has its code', async (ctx) => {
    const v = await ctx.vector('envelope');
    ok(v.invalid.length > 0, 'invalid envelopes');
    for (const e of v.invalid) throws(() => decodeEnvelope(fromHex(e.bytes)), e.error, e.name);
  }],

  ['the encoder refuses what the decoder refuses', async (ctx) => {
    const v = await ctx.vector('envelope');
    const good = fieldsFromVector(v.valid[0].fields);
    const cases = [
      ['kind 4', { kind: 4 }, 'MALFORMED'],
      ['message id of 15 bytes', { messageId: new Uint8Array(15) }, 'MALFORMED'],
      ['source of 5 digits', { source: '+12345' }, 'MALFORMED'],
      ['source of 16 digits', { source: '+1234567890123456' }, 'MALFORMED'],
      ['non-ASCII digit', { source: '+12345678\u0661' }, 'MALFORMED'],
      ['device 0', { sourceDevice: 0 }, 'MALFORMED'],
      ['device 2^32', { destinationDevice: 2 ** 32 }, 'MALFORMED'],
      ['timestamp -1', { timestamp: -1 }, 'MALFORMED'],
      ['timestamp above 2^53 - 1', { serverTimestamp: 2 ** 53 }, 'MALFORMED'],
      ['receipt with content', { kind: 3 }, 'MALFORMED'],
      ['message without content', { content: new Uint8Array(0) }, 'MALFORMED'],
      ['content over the limit', { content: new Uint8Array(MAX_CONTENT + 1) }, 'TOO_LARGE'],
    ];
    for (const [name, change, code] of cases) throws(() => encodeEnvelope({ ...good, ...change }), code, name);
    const largest = encodeEnvelope({ ...good, source: '+123456789012345', content: new Uint8Array(MAX_CONTENT) });
    equal(decodeEnvelope(largest).content.length, MAX_CONTENT, 'the largest envelope');
    const longer = new Uint8Array(largest.length + 1);
    longer.set(largest);
    throws(() => decodeEnvelope(longer), 'TOO_LARGE', 'one byte over the largest envelope');
  }],

  ['an envelope with a u64 above 2^53 - 1 is refused rather than rounded', async (ctx) => {
    const v = await ctx.vector('envelope');
    const bytes = fromHex(v.valid[0].bytes);
    bytes[18] = 0x00;
    bytes[19] = 0x20; // timestamp = 2^53 + ...
    throws(() => decodeEnvelope(bytes), 'MALFORMED');
  }],
];
