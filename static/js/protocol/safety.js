// The safety number (section 8): 60 digits two people compare to check each other's account keys.

import { ascii, concat, requireBytes, u16 } from './bytes.js';
import { ErrorCode, fail } from './errors.js';
import { sha512 } from './primitives.js';

const ITERATIONS = 5200;
const E164 = /^\+[0-9]{6,15}$/;

export function isE164(number) {
  return typeof number === 'string' && E164.test(number);
}

// 30 digits for one account: its account key and its number in E.164.
export async function fingerprint(accountKey, number) {
  requireBytes(accountKey, 32, 'account key');
  if (!isE164(number)) fail(ErrorCode.MALFORMED, 'the number is not in E.164 form');
  let hash = concat(u16(0), accountKey, ascii(number));
  for (let i = 0; i < ITERATIONS; i++) hash = await sha512(concat(hash, accountKey));
  let digits = '';
  for (let group = 0; group < 6; group++) {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 256 + hash[group * 5 + i]; // 40 bits: exact in a double
    digits += String(value % 100000).padStart(5, '0');
  }
  return digits;
}

// a and b are { accountKey, number }; the smaller fingerprint comes first, so both sides get the
// same 60 digits.
export async function safetyNumber(a, b) {
  const [fa, fb] = await Promise.all([fingerprint(a.accountKey, a.number), fingerprint(b.accountKey, b.number)]);
  return fa <= fb ? fa + fb : fb + fa;
}

// Twelve groups of five digits, separated by spaces, as people read it aloud.
export function formatSafetyNumber(digits) {
  return digits.match(/.{1,5}/g).join(' ');
}
