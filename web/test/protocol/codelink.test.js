// codelink.json: phone number + code linking (section 7.2).
import { bytesEqual, equal, fromHex, ok, rejects, throws } from '../assert.js';
import {
  CODE_ALPHABET, answerCodeHello, createIdentity, normaliseCode, secureSource, startCodeLink, testSource,
} from '../../../static/js/protocol/index.js';
import { utf8 } from './helpers.js';

// The companion as the vector's seed makes it: identity first, then the code link.
async function companionFor(v) {
  const source = testSource(fromHex(v.companion.seed));
  const identity = await createIdentity(source);
  return startCodeLink(source, identity.publicKey);
}

// Each primary answer starts from a fresh TestSource(primary.seed), as in the vector.
function answer(v, typed, hello) {
  return answerCodeHello(testSource(fromHex(v.primary.seed)), typed, hello, fromHex(v.replyPayload));
}

const SLOW = { timeout: 120_000 };

export const tests = [
  ['codelink.json: code, hello, reply and confirmation are recomputed byte for byte and open', async (ctx) => {
    const v = await ctx.vector('codelink');
    const companion = await companionFor(v);
    equal(companion.code, v.code, 'code');
    bytesEqual(companion.hello, fromHex(v.hello), 'hello');
    const primary = await answer(v, v.code, companion.hello);
    bytesEqual(primary.reply, fromHex(v.reply), 'reply');
    bytesEqual(await companion.openReply(primary.reply), fromHex(v.replyPayload), 'reply payload');
    const confirm = await companion.confirm(fromHex(v.confirmPayload));
    bytesEqual(confirm, fromHex(v.confirm), 'confirmation');
    bytesEqual(await primary.openConfirm(confirm), fromHex(v.confirmPayload), 'confirmation payload');
    bytesEqual(primary.companionIdentity, fromHex(v.hello).slice(66, 130), 'companion identity');
  }, SLOW],

  ['codelink.json: a wrong code gives the vector\'s reply, which the companion refuses', async (ctx) => {
    const v = await ctx.vector('codelink');
    const companion = await companionFor(v);
    const wrong = await answer(v, v.wrongCode.typed, companion.hello);
    bytesEqual(wrong.reply, fromHex(v.wrongCode.reply), 'reply after the wrong code');
    await rejects(companion.openReply(wrong.reply), v.wrongCode.error, 'companion');
    // The refusal left the companion able to finish with the right code.
    const primary = await answer(v, v.code, companion.hello);
    bytesEqual(await companion.openReply(primary.reply), fromHex(v.replyPayload), 'then the right reply');
  }, SLOW],

  ['codelink.json: every rejection has its code, at its stage', async (ctx) => {
    const v = await ctx.vector('codelink');
    const companion = await companionFor(v);
    const primary = await answer(v, v.code, companion.hello);
    ok(v.rejections.length > 0, 'rejections');
    const stages = { hello: [], respond: [], reply: [], confirm: [] };
    for (const r of v.rejections) {
      ok(stages[r.stage], `${r.name}: unknown stage ${r.stage}`);
      stages[r.stage].push(r);
    }
    for (const r of stages.hello) {
      // A changed hello: the primary answers it (the vector's reply), the companion refuses the answer.
      const tampered = await answer(v, v.code, fromHex(r.hello));
      bytesEqual(tampered.reply, fromHex(r.reply), `${r.name}: reply`);
      await rejects(companion.openReply(tampered.reply), r.error, r.name);
    }
    for (const r of stages.respond) await rejects(answer(v, v.code, fromHex(r.hello)), r.error, r.name);
    for (const r of stages.reply) await rejects(companion.openReply(fromHex(r.message)), r.error, r.name);
    await companion.openReply(primary.reply);
    for (const r of stages.confirm) await rejects(primary.openConfirm(fromHex(r.message)), r.error, r.name);
    // None of the refusals spoiled either side.
    const confirm = await companion.confirm(fromHex(v.confirmPayload));
    bytesEqual(confirm, fromHex(v.confirm), 'confirmation after the refusals');
    bytesEqual(await primary.openConfirm(fromHex(v.confirm)), fromHex(v.confirmPayload), 'confirmation opens');
  }, SLOW],

  ['codelink.json: codes are normalised or refused as the vector says', async (ctx) => {
    const v = await ctx.vector('codelink');
    ok(v.normalise.length > 0, 'normalise cases');
    for (const n of v.normalise) {
      if (n.error) throws(() => normaliseCode(n.input), n.error, JSON.stringify(n.input));
      else equal(normaliseCode(n.input), n.code, JSON.stringify(n.input));
    }
  }],

  ['normalising upper-cases ASCII only and refuses other characters', async () => {
    // U+017F (long s) and U+0131 (dotless i) upper-case to ASCII letters under Unicode rules.
    throws(() => normaliseCode('\u017fBCD-EFGH'), 'INVALID_CODE', 'long s');
    throws(() => normaliseCode('ABCD\u00a0EFGH'), 'INVALID_CODE', 'no-break space');
    throws(() => normaliseCode('ABCD\tEFGH'), 'INVALID_CODE', 'tab');
    throws(() => normaliseCode(12345678), 'INVALID_CODE', 'not a string');
    equal(normaliseCode('a-b-c-d-e-f-g-h'), 'ABCDEFGH', 'dashes anywhere');
    equal(CODE_ALPHABET.length, 32, 'alphabet size');
    await rejects(answerCodeHello(secureSource(), 'ABCD-EFG0', new Uint8Array(130), new Uint8Array(0)), 'INVALID_CODE',
      'the primary refuses a bad code before anything else');
  }],

  ['linking with secure keys: the right code links, a wrong code fails at the companion', async () => {
    const source = secureSource();
    const identity = await createIdentity(source);
    const companion = await startCodeLink(source, identity.publicKey);
    ok(/^[1-9A-HJ-NP-TV-Z]{4}-[1-9A-HJ-NP-TV-Z]{4}$/.test(companion.code), companion.code);
    const code = normaliseCode(companion.code);
    const wrongCode = (code[0] === '1' ? '2' : '1') + code.slice(1);
    const wrong = await answerCodeHello(source, wrongCode, companion.hello, utf8('payload'));
    await rejects(companion.openReply(wrong.reply), 'AUTH_FAILED', 'wrong code');
    let early = null;
    await companion.confirm(utf8('too early')).catch((err) => { early = err; });
    ok(early instanceof Error && early.code === undefined, 'no confirmation before a reply opened');
    const primary = await answerCodeHello(source, companion.code.toLowerCase(), companion.hello, utf8('reply'));
    bytesEqual(await companion.openReply(primary.reply), utf8('reply'), 'reply');
    bytesEqual(await primary.openConfirm(await companion.confirm(utf8('confirm'))), utf8('confirm'), 'confirm');
  }, SLOW],
];
