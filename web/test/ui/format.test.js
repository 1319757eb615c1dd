// Times, numbers, codes and names as the page writes them, in both languages.
import { equal, deepEqual } from '../assert.js';
import {
  chatTime, clockTime, countdown, defaultDeviceName, failureReason, linkCode, normalizeNumber, safetyBlocks,
} from '../../../static/js/app/format.js';
import { createI18n } from '../../../static/js/app/i18n.js';

const strings = { 'error.unexpected': 'an unexpected error', 'time.yesterday': 'Yesterday', 'link.name.default': '{browser} on {os}', 'link.name.fallback': 'Web browser' };
const en = createI18n('en', strings);
const bn = createI18n('bn', { ...strings, 'time.yesterday': 'গতকাল', 'link.name.default': '{os}-এ {browser}' });

export const tests = [
  ['a failure is told in its own words when it has a code or is the browser\'s, never as a script error', () => {
    const refused = Object.assign(new Error('the relay at x cannot be reached'), { code: 'UNREACHABLE' });
    equal(failureReason(en, refused), 'the relay at x cannot be reached');
    equal(failureReason(en, Object.assign(new Error(''), { code: 'TOO_MANY_DEVICES' })), 'TOO_MANY_DEVICES');
    equal(failureReason(en, new DOMException('The camera is in use', 'NotReadableError')), 'The camera is in use');
    equal(failureReason(en, new TypeError("Cannot read properties of undefined (reading 'x')")), 'an unexpected error');
    equal(failureReason(en, 'boom'), 'an unexpected error');
  }],

  ['chat times: today the time, then Yesterday, then the weekday, then the date', () => {
    const now = new Date(2025, 2, 14, 15, 30).getTime(); // a Friday
    equal(chatTime(en, new Date(2025, 2, 14, 9, 5).getTime(), now), clockTime(en, new Date(2025, 2, 14, 9, 5).getTime()));
    equal(chatTime(en, new Date(2025, 2, 13, 23, 59).getTime(), now), 'Yesterday');
    equal(chatTime(en, new Date(2025, 2, 10, 12, 0).getTime(), now), 'Monday');
    equal(chatTime(en, new Date(2025, 1, 1, 12, 0).getTime(), now), '2/1/25');
    equal(chatTime(bn, new Date(2025, 2, 13, 8, 0).getTime(), now), 'গতকাল');
    equal(chatTime(bn, new Date(2025, 2, 10, 12, 0).getTime(), now), 'সোমবার');
  }],

  ['times of day in the language\'s digits', () => {
    const t = new Date(2025, 2, 14, 9, 5).getTime();
    equal(clockTime(en, t).replace(/\s/g, ' '), '9:05 AM');
    equal(clockTime(bn, t).replace(/\s/g, ' '), '৯:০৫ AM');
  }],

  ['a countdown in minutes and seconds, never below zero', () => {
    equal(countdown(en, 180_000), '3:00');
    equal(countdown(en, 61_500), '1:02');
    equal(countdown(en, -5), '0:00');
    equal(countdown(bn, 125_000), '২:০৫');
  }],

  ['a phone number as typed becomes E.164, or nothing', () => {
    equal(normalizeNumber('+8801711000001'), '+8801711000001');
    equal(normalizeNumber(' +880 1711-000.001 '), '+8801711000001');
    equal(normalizeNumber('+1 (555) 010-9999'), '+15550109999');
    equal(normalizeNumber('+৮৮০১৭১১০০০০০১'), '+8801711000001');
    equal(normalizeNumber('01711000001'), null);
    equal(normalizeNumber('+12345'), null);
    equal(normalizeNumber('+1234567890123456'), null);
    equal(normalizeNumber('+88017x1000001'), null);
  }],

  ['the linking code as XXXX-XXXX', () => {
    equal(linkCode('ABCD2345'), 'ABCD-2345');
    equal(linkCode('abcd-2345'), 'ABCD-2345');
    equal(linkCode('ABC'), 'ABC');
  }],

  ['a safety number in blocks of five', () => {
    deepEqual(safetyBlocks('12345 67890 11111'), ['12345', '67890', '11111']);
    equal(safetyBlocks('1'.repeat(60)).length, 12);
    deepEqual(safetyBlocks(''), []);
  }],

  ['a default name for this browser from its user agent', () => {
    const chromeLinux = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    equal(defaultDeviceName(en, chromeLinux), 'Chrome on Linux');
    equal(defaultDeviceName(bn, chromeLinux), 'Linux-এ Chrome');
    equal(defaultDeviceName(en, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0'), 'Edge on Windows');
    equal(defaultDeviceName(en, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'), 'Safari on iOS');
    equal(defaultDeviceName(en, 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0'), 'Firefox on Android');
    equal(defaultDeviceName(en, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15'), 'Safari on macOS');
    equal(defaultDeviceName(en, 'curl/8.0'), 'Web browser');
  }],
];
