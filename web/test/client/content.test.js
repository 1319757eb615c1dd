// The content JSON inside the ratchet, as the Java client writes and reads it.

import { deepEqual, equal, fromHex, ok, throws } from '../assert.js';
import {
  ContentLimits, decodeContent, encodeAttachment, encodeContent, encodeHistoryPart, encodeText, splitHistory, textFits,
} from '../../../static/js/client/content.js';
import { toBase64 } from '../../../static/js/client/encoding.js';

// A decoded content in the fixture's shape: an attachment's bytes as base64, as the wire has them.
function shape(content) {
  const wire = (pointer) => {
    const out = { ...pointer };
    for (const field of ['key', 'digest', 'thumbnail']) {
      if (out[field] !== undefined) out[field] = toBase64(out[field]);
    }
    return out;
  };
  if (content.type === 'attachment') return { ...content, attachment: wire(content.attachment) };
  if (content.type === 'history') {
    return { ...content, messages: content.messages.map((m) => (m.attachment ? { ...m, attachment: wire(m.attachment) } : m)) };
  }
  return content;
}
import { MAX_PLAINTEXT } from '../../../static/js/protocol/index.js';

const utf8 = (text) => new TextEncoder().encode(text);
const decode = (value) => decodeContent(utf8(JSON.stringify(value)));

export const tests = [
  ['a text encodes as the Java client writes it, peer only when given', () => {
    equal(new TextDecoder().decode(encodeText('hello', 1700000000000)),
      '{"v":1,"type":"text","body":"hello","ts":1700000000000}');
    equal(new TextDecoder().decode(encodeText('hi "you"', 5, '+8801811000002')),
      '{"v":1,"type":"text","body":"hi \\"you\\"","ts":5,"peer":"+8801811000002"}');
  }],

  ['a text decodes; bodies in any script survive', () => {
    deepEqual(decodeContent(encodeText('আমি ভালো আছি 👍', 7)), { type: 'text', body: 'আমি ভালো আছি 👍', ts: 7, peer: null });
    deepEqual(decodeContent(encodeText('x', 7, '+8801811000002')), { type: 'text', body: 'x', ts: 7, peer: '+8801811000002' });
  }],

  ['malformed or unsupported content is refused with the protocol\'s codes', () => {
    throws(() => decodeContent(utf8('not json')), 'MALFORMED');
    throws(() => decodeContent(Uint8Array.of(0xff, 0xfe)), 'MALFORMED');
    throws(() => decode([1, 2]), 'MALFORMED');
    throws(() => decode({ v: 2, type: 'text', body: 'x', ts: 1 }), 'UNSUPPORTED_VERSION');
    throws(() => decode({ type: 'text', body: 'x', ts: 1 }), 'UNSUPPORTED_VERSION');
    throws(() => decode({ v: 1, body: 'x', ts: 1 }), 'MALFORMED');
    throws(() => decode({ v: 1, type: 'text', ts: 1 }), 'MALFORMED');
    throws(() => decode({ v: 1, type: 'text', body: 'x' }), 'MALFORMED');
    throws(() => decode({ v: 1, type: 'text', body: 'x', ts: 1.5 }), 'MALFORMED');
    throws(() => decode({ v: 1, type: 'text', body: 'x', ts: 1, peer: 'bob' }), 'MALFORMED');
  }],

  ['a content type of a later client decodes to its type, marked unknown', () => {
    deepEqual(decode({ v: 1, type: 'call-log', ts: 1, calls: [] }), { type: 'call-log', peer: null, unknown: true });
  }],

  ['contents.json: every valid content decodes to its fields, every invalid one is refused with its code', async (ctx) => {
    const v = await ctx.vector('contents');
    ok(v.valid.length > 0 && v.invalid.length > 0, 'fixtures');
    for (const c of v.valid) deepEqual(shape(decodeContent(utf8(c.plaintext))), c.content, c.name);
    for (const c of v.invalid) {
      const bytes = c.hex === undefined ? utf8(c.plaintext) : fromHex(c.hex);
      throws(() => decodeContent(bytes), c.error, c.name);
    }
  }],

  ['contents.json: every valid content of a type this client writes encodes back to its plaintext', async (ctx) => {
    const v = await ctx.vector('contents');
    let checked = 0;
    for (const c of v.valid) {
      const content = decodeContent(utf8(c.plaintext));
      let encoded;
      if (content.type === 'text') {
        if (/"ts":5\.0|"sticker"/.test(c.plaintext)) continue; // written otherwise than a client writes them
        encoded = encodeText(content.body, content.ts, content.peer ?? undefined, content.quote);
      } else if (content.type === 'attachment') {
        encoded = encodeAttachment(content);
      } else if (content.type === 'history' || content.unknown) {
        continue;
      } else {
        encoded = encodeContent(content);
      }
      equal(new TextDecoder().decode(encoded), c.plaintext, c.name);
      checked++;
    }
    ok(checked >= 15, `${checked} contents encoded`);
  }],

  ['a content that its receiver would refuse is never encoded', () => {
    throws(() => encodeContent({ type: 'reaction', target: 'nope', emoji: '👍', ts: 1 }), 'MALFORMED');
  }],

  ['contents.json: the bounds of the contents are the Java client\'s', async (ctx) => {
    const v = await ctx.vector('contents');
    deepEqual({ ...ContentLimits }, v.limits);
  }],

  ['a history part decodes with its entries checked', () => {
    const entry = {
      peer: '+8801811000002', from: '+8801711000001', fromDevice: 1, outgoing: true, body: 'old', ts: 3,
      id: '0123456789abcdef0123456789abcdef',
    };
    deepEqual(decode({ v: 1, type: 'history', part: 1, parts: 2, messages: [entry] }),
      { type: 'history', part: 1, parts: 2, messages: [{ ...entry, status: 'sent', reactions: [] }], profiles: [] });
    deepEqual(decode({ v: 1, type: 'history', part: 1, parts: 1, messages: [] }).messages, []);
    throws(() => decode({ v: 1, type: 'history', part: 3, parts: 2, messages: [] }), 'MALFORMED');
    throws(() => decode({ v: 1, type: 'history', part: 0, parts: 2, messages: [] }), 'MALFORMED');
    throws(() => decode({ v: 1, type: 'history', part: 1, parts: 1 }), 'MALFORMED');
    for (const [field, bad] of [['peer', 'x'], ['from', 5], ['fromDevice', 0], ['outgoing', 'yes'], ['body', null],
      ['ts', -1], ['id', 'XYZ']]) {
      throws(() => decode({ v: 1, type: 'history', part: 1, parts: 1, messages: [{ ...entry, [field]: bad }] }),
        'MALFORMED', field);
    }
  }],

  ['contents.json: a primary cuts its history into parts as the Java client does, and every part decodes', async (ctx) => {
    const v = await ctx.vector('contents');
    ok(v.historySplits.length > 0, 'fixtures');
    for (const c of v.historySplits) {
      const texts = historyTexts(c.texts);
      const parts = splitHistory(texts, '+8801711000001', {});
      deepEqual(parts.map((p) => p.messages.length), c.parts, c.name);
      parts.forEach((p, i) => {
        equal(p.part, i + 1, c.name);
        equal(p.parts, parts.length, c.name);
        const encoded = encodeHistoryPart(p);
        ok(encoded.length <= MAX_PLAINTEXT, `${c.name}: part ${p.part} fits a message`);
        deepEqual(decodeContent(encoded), { type: 'history', ...p }, c.name);
      });
    }
  }],

  ['a text fits while its longer copy is at most MAX_PLAINTEXT bytes', () => {
    const overhead = encodeText('', 1, '+8801811000002').length;
    equal(textFits('a'.repeat(MAX_PLAINTEXT - overhead), 1, '+8801811000002'), true);
    equal(textFits('a'.repeat(MAX_PLAINTEXT - overhead + 1), 1, '+8801811000002'), false);
  }],
];

// The fixture's texts (protocol/vectors/README.md, contents.json): the i-th of them all has the
// id i in hex, the time 1700000000000 + i and its group's body repeated.
function historyTexts(groups) {
  const texts = [];
  for (const { count, body, repeat } of groups) {
    for (let n = 0; n < count; n++) {
      const i = texts.length;
      texts.push({
        id: i.toString(16).padStart(32, '0'), peer: '+8801711000001', from: '+8801811000002', fromDevice: 1,
        outgoing: false, body: body.repeat(repeat), ts: 1700000000000 + i, status: 'read', reactions: [],
      });
    }
  }
  return texts;
}
