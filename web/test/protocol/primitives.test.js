// The WebCrypto primitives as the protocol uses them, and the byte helpers.
import { bytesEqual, equal, fromHex, ok, rejects, throws } from '../assert.js';
import { Reader, context, readU64, u64 } from '../../../static/js/protocol/bytes.js';
import { ProtocolError } from '../../../static/js/protocol/index.js';
import { ctr, gcmOpen, gcmSeal, x25519 } from '../../../static/js/protocol/primitives.js';

const subtle = globalThis.crypto.subtle;

// The u-coordinates of small order (RFC 7748), canonical and not, as the protocol must refuse them.
const SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];

export const tests = [
  ['X25519 refuses every small-order key and every key with bit 255 set as INVALID_KEY', async () => {
    const pair = await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
    for (const hex of SMALL_ORDER) {
      for (const top of [0, 0x80]) {
        const key = fromHex(hex);
        key[31] |= top;
        await rejects(x25519(pair.privateKey, key), 'INVALID_KEY', `${hex} | ${top}`);
      }
    }
    const other = await subtle.generateKey({ name: 'X25519' }, true, ['deriveBits']);
    const pub = new Uint8Array(await subtle.exportKey('raw', other.publicKey));
    equal(pub[31] & 0x80, 0, 'a generated public key has bit 255 clear');
    equal((await x25519(pair.privateKey, pub)).length, 32, 'a full-order key agrees');
    pub[31] |= 0x80;
    await rejects(x25519(pair.privateKey, pub), 'INVALID_KEY', 'the same key with bit 255 set');
    await rejects(x25519(pair.privateKey, pub.slice(0, 31)), 'INVALID_KEY', 'a short key');
  }],

  ['AES-CTR increments the whole 128-bit counter block', async () => {
    const key = new Uint8Array(32);
    const out = await ctr(key, new Uint8Array(16).fill(0xff), new Uint8Array(32));
    // AES-256 of the zero block under the zero key: the second block's counter wrapped to zero.
    bytesEqual(out.slice(16), fromHex('dc95c078a2408989ad48a21492842087'), 'block after FF..FF');
    const iv = fromHex('000000000000000000000000ffffffff');
    const carried = await ctr(key, iv, new Uint8Array(32));
    const expected = await ctr(key, fromHex('000000000000000000000001' + '00000000'), new Uint8Array(16));
    bytesEqual(carried.slice(16), expected, 'the carry crosses 32 bits');
  }],

  ['GCM refuses a changed tag or associated data as AUTH_FAILED', async () => {
    const key = new Uint8Array(32).fill(1);
    const nonce = new Uint8Array(12).fill(2);
    const sealed = await gcmSeal(key, nonce, new Uint8Array([1, 2, 3]), new Uint8Array([9]));
    equal(sealed.length, 19, 'ciphertext and tag');
    bytesEqual(await gcmOpen(key, nonce, sealed, new Uint8Array([9])), new Uint8Array([1, 2, 3]), 'opens');
    await rejects(gcmOpen(key, nonce, sealed, new Uint8Array([8])), 'AUTH_FAILED', 'other AD');
    const tampered = sealed.slice();
    tampered[18] ^= 0x80;
    await rejects(gcmOpen(key, nonce, tampered, new Uint8Array([9])), 'AUTH_FAILED', 'tag');
  }],

  ['labels and integers are encoded as section 1 says', async () => {
    bytesEqual(context('device-list'), new TextEncoder().encode('Quintet v1 device-list\0'), 'ctx');
    bytesEqual(u64(2 ** 53 - 1), fromHex('001fffffffffffff'), 'u64 max safe');
    equal(readU64(fromHex('001fffffffffffff'), 0), 2 ** 53 - 1, 'read back');
    throws(() => readU64(fromHex('0020000000000000'), 0), 'MALFORMED', 'above 2^53 - 1');
    throws(() => u64(-1), 'MALFORMED', 'negative');
    throws(() => Reader.open(new Uint8Array(0), 'X'), 'MALFORMED', 'empty');
    throws(() => Reader.open(Uint8Array.of(2), 'X', 1), 'UNSUPPORTED_VERSION', 'version before type');
    throws(() => Reader.open(Uint8Array.of(1, 2, 0), 'X', 1, 2), 'MALFORMED', 'type before length');
    throws(() => Reader.open(Uint8Array.of(1, 1, 0), 'X', 1, 2), 'TOO_LARGE', 'length limit');
    ok(new ProtocolError('DUPLICATE') instanceof Error, 'ProtocolError is an Error');
    let refused = null;
    try {
      new ProtocolError('NOT_A_CODE'); // eslint-disable-line no-new
    } catch (err) {
      refused = err;
    }
    ok(refused instanceof TypeError, 'a ProtocolError carries only a code of the specification');
  }],
];
