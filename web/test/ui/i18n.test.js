// The message files: both languages say everything, in their own script, with the same
// placeholders; and the translator fills them in with the language's digits.
import { equal, ok, deepEqual } from '../assert.js';
import { parseProperties, loadStrings } from './properties.js';
import { createI18n } from '../../../static/js/app/i18n.js';
import { failureText } from '../../../static/js/app/link-failure.js';
import { reasonKey } from '../../../static/js/app/logged-out-screen.js';
import { sendFailureText } from '../../../static/js/app/send-failure.js';

const LANGS = ['en', 'bn'];
// Names that stay as they are in every language.
const SAME_IN_EVERY_LANGUAGE = new Set(['app.brand', 'lang.en', 'lang.bn']);
const BENGALI = /[\u0980-\u09ff]/;
const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

export const tests = [
  ['the files keep to the simple format that Java and the tests read alike', async (ctx) => {
    for (const lang of LANGS) {
      const text = await ctx.file(`templates/i18n/messages_${lang}.properties`);
      ok(!text.includes('\\'), `messages_${lang}: no backslash escapes`);
      for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
        ok(/^[a-z][A-Za-z0-9_.-]*=\S/.test(line), `messages_${lang}: ${line}`);
      }
      const keys = text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('=')[0]);
      equal(new Set(keys).size, keys.length, `messages_${lang}: no key twice`);
    }
  }],

  ['English and Bengali have the same keys and placeholders', async (ctx) => {
    const [en, bn] = await Promise.all(LANGS.map((lang) => loadStrings(ctx, lang)));
    deepEqual(Object.keys(bn).sort(), Object.keys(en).sort());
    for (const key of Object.keys(en)) deepEqual(placeholders(bn[key]), placeholders(en[key]), key);
  }],

  ['Bengali is written in Bengali', async (ctx) => {
    const bn = await loadStrings(ctx, 'bn');
    const untranslated = Object.entries(bn).filter(([key, text]) => !SAME_IN_EVERY_LANGUAGE.has(key) && !BENGALI.test(text));
    deepEqual(untranslated, []);
  }],

  ['every #{key} in the template is in the messages', async (ctx) => {
    const template = await ctx.file('templates/index.html');
    const en = await loadStrings(ctx, 'en');
    const keys = [...template.matchAll(/#\{([^}]+)\}/g)].map((m) => m[1]);
    ok(keys.length >= 3);
    for (const key of keys) ok(key in en, key);
  }],

  ['placeholders are filled in, numbers in the language\'s digits', async () => {
    const strings = parseProperties('a=part {part} of {parts}\nb=Hello {name}, {name}\n');
    const en = createI18n('en', strings);
    equal(en.t('a', { part: 2, parts: 10 }), 'part 2 of 10');
    equal(en.t('b', { name: '{part}' }), 'Hello {part}, {part}');
    equal(createI18n('bn', strings).t('a', { part: 2, parts: 10 }), 'part ২ of ১০');
    equal(en.t('a'), 'part {part} of {parts}', 'a missing parameter stays visible');
  }],

  ['a missing key is reported, and shown as the key', async () => {
    const missing = [];
    const i18n = createI18n('en', { a: 'A' }, { onMissing: (key) => missing.push(key) });
    equal(i18n.t('no.such.key'), 'no.such.key');
    deepEqual(missing, ['no.such.key']);
    ok(i18n.has('a') && !i18n.has('toString'), 'only the file\'s own keys');
  }],

  ['each reason a link fails for, as the client core names them, has its own words', async (ctx) => {
    const en = createI18n('en', await loadStrings(ctx, 'en'));
    for (const reason of ['TIMEOUT', 'EXPIRED', 'TOO_MANY_WRONG_CODES', 'DECLINED', 'RATE_LIMITED', 'UNKNOWN_ACCOUNT',
      'INVALID_NUMBER', 'TOO_MANY_DEVICES', 'UNREACHABLE', 'CONNECTION_LOST']) {
      ok(!failureText(en, reason).includes(reason), reason);
    }
    ok(failureText(en, 'STORAGE_FAILED').includes('STORAGE_FAILED'), 'others are named');
  }],

  ['a text refused for a full queue says whose device, in words, in both languages', async (ctx) => {
    const full = (...queues) => ({ id: 'm', status: 'failed', error: 'QUEUE_FULL', queues });
    const bob = { number: '+8801811000002', deviceId: 2, limit: 'envelopes', max: 10000, own: false };
    const phone = { number: '+8801711000001', deviceId: 1, limit: 'bytes', max: 268435456, own: true };
    const laptop = { ...phone, deviceId: 3 };
    for (const lang of LANGS) {
      const i18n = createI18n(lang, await loadStrings(ctx, lang));
      const texts = [full(bob), full(phone), full(laptop), full(bob, laptop), full()].map((d) => sendFailureText(i18n, d));
      for (const text of texts) ok(text && !text.includes('QUEUE_FULL') && !text.includes('{'), `${lang}: ${text}`);
      equal(new Set(texts).size, 4, `${lang}: the peer's, the phone's, another own device's, and one without names`);
      ok(texts[0].includes(bob.number), `${lang}: the peer's number`);
      ok(texts[2].includes(lang === 'bn' ? '৩' : '3'), `${lang}: the own device's id, in the language's digits`);
      equal(texts[3], texts[2], `${lang}: an own device first, as its user can do something about it`);
      equal(sendFailureText(i18n, { id: 'm', status: 'failed', error: 'INVALID_REQUEST' }), null);
      equal(sendFailureText(i18n, { id: 'm', status: 'sent' }), null);
    }
  }],

  ['each reason the relay logs a device out for (docs/relay-api.md) has its own words', async (ctx) => {
    const en = createI18n('en', await loadStrings(ctx, 'en'));
    const doc = await ctx.file('docs/relay-api.md');
    const listed = doc.match(/The close reason is a machine-readable word:([^.]*)\./)[1];
    const reasons = [...listed.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).filter((r) => r !== 'replaced');
    ok(reasons.length >= 5, `reasons in the API doc: ${reasons}`);
    for (const reason of reasons) equal(reasonKey(en, reason), `loggedOut.reason.${reason}`);
    equal(reasonKey(en, 'PRIMARY_INACTIVE'), 'loggedOut.reason.primary-inactive');
    equal(reasonKey(en, 'something-new'), 'loggedOut.reason.other');
    equal(reasonKey(en, undefined), 'loggedOut.reason.other');
  }],
];
