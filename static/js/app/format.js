// Formatting that depends on the language but not on the page: times, numbers, codes, names.

const DAY_MS = 24 * 3600 * 1000;

function startOfDay(ms) {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

// A message's time of day: "14:05", "২:০৫ PM".
export function clockTime(i18n, ms) {
  return new Intl.DateTimeFormat(i18n.lang, { hour: 'numeric', minute: '2-digit' }).format(ms);
}

// A file's size as people read it: 840 B, 12.3 KB, 4.5 MB (decimal units, as file managers show them).
export function fileSize(i18n, bytes) {
  const [value, unit] = bytes < 1000 ? [bytes, 'B'] : bytes < 1e6 ? [bytes / 1e3, 'KB'] : bytes < 1e9 ? [bytes / 1e6, 'MB']
    : [bytes / 1e9, 'GB'];
  const digits = unit === 'B' || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(i18n.lang, { maximumFractionDigits: digits }).format(value)} ${unit}`;
}

// A chat list's time, as chat apps show it: the time today, "Yesterday", the weekday within a
// week, the date before that.
export function chatTime(i18n, ms, now = Date.now()) {
  const days = Math.round((startOfDay(now) - startOfDay(ms)) / DAY_MS);
  if (days <= 0) return clockTime(i18n, ms);
  if (days === 1) return i18n.t('time.yesterday');
  if (days < 7) return new Intl.DateTimeFormat(i18n.lang, { weekday: 'long' }).format(ms);
  return new Intl.DateTimeFormat(i18n.lang, { dateStyle: 'short' }).format(ms);
}

// A conversation's heading for a day: "Today", "Yesterday", the weekday within a week, the date.
export function dayHeading(i18n, ms, now = Date.now()) {
  const days = Math.round((startOfDay(now) - startOfDay(ms)) / DAY_MS);
  if (days <= 0) return i18n.t('time.today');
  if (days === 1) return i18n.t('time.yesterday');
  if (days < 7) return new Intl.DateTimeFormat(i18n.lang, { weekday: 'long' }).format(ms);
  return new Intl.DateTimeFormat(i18n.lang, { dateStyle: 'medium' }).format(ms);
}

// A date with its time, for the devices list.
export function dateTime(i18n, ms) {
  return new Intl.DateTimeFormat(i18n.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

// "4:59" for a countdown, in the language's digits.
export function countdown(i18n, ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const seconds = new Intl.NumberFormat(i18n.lang, { minimumIntegerDigits: 2 }).format(total % 60);
  return `${i18n.number(Math.floor(total / 60))}:${seconds}`;
}

const BENGALI_ZERO = 0x09e6;

// What a person types as a phone number, as the relay wants it (E.164: + and 6 to 15 digits), or
// null. Spaces, dashes, dots and brackets are dropped; Bengali digits count as digits.
export function normalizeNumber(text) {
  const ascii = text.replace(/[\u09e6-\u09ef]/g, (d) => String(d.charCodeAt(0) - BENGALI_ZERO));
  const compact = ascii.replace(/[\s().-]/g, '');
  return /^\+[0-9]{6,15}$/.test(compact) ? compact : null;
}

// The linking code as the phone asks for it: XXXX-XXXX.
export function linkCode(code) {
  const plain = String(code).replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return plain.length === 8 ? `${plain.slice(0, 4)}-${plain.slice(4)}` : String(code);
}

// A safety number in blocks of five digits, as both phones show it.
export function safetyBlocks(number) {
  const digits = String(number).replace(/\D/g, '');
  return digits.match(/.{1,5}/g) ?? [];
}

const BROWSERS = [
  [/Edg\//, 'Edge'], [/OPR\//, 'Opera'], [/Firefox\//, 'Firefox'], [/SamsungBrowser\//, 'Samsung Internet'],
  [/Chromium\//, 'Chromium'], [/Chrome\//, 'Chrome'], [/Safari\//, 'Safari'],
];
const SYSTEMS = [
  [/Android/, 'Android'], [/iPhone|iPad|iPod/, 'iOS'], [/CrOS/, 'ChromeOS'], [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'], [/Linux/, 'Linux'],
];

// A name for this browser in the account's device list until the user picks one: "Chrome on
// Linux". Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
export function defaultDeviceName(i18n, userAgent) {
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const os = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && os) return i18n.t('link.name.default', { browser, os });
  return browser ?? i18n.t('link.name.fallback');
}

// What a failure says to the person. The client core's errors carry a code and a message meant to
// be read, and so do the browser's own (a blocked database, a refused camera); anything else is a
// fault of the page itself, whose text (a TypeError's) would mean nothing to them.
export function failureReason(i18n, err) {
  // (Not instanceof: an error may come from another frame's realm.)
  if (typeof err?.code === 'string' || Object.prototype.toString.call(err) === '[object DOMException]') {
    return String(err.message || err.code || err.name);
  }
  return i18n.t('error.unexpected');
}

