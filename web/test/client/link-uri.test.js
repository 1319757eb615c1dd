// What a companion's QR code holds, read as the Java client reads it (protocol/vectors/link-uris.json).

import { bytesEqual, equal, fromHex, ok, throws } from '../assert.js';
import { linkUri, parseLinkUri } from '../../../static/js/client/link-uri.js';

export const tests = [
  ['link-uris.json: every valid link reads to its fields, and writes back to itself', async (ctx) => {
    const v = await ctx.vector('link-uris');
    ok(v.valid.length > 0, 'fixtures');
    for (const c of v.valid) {
      const link = parseLinkUri(c.uri);
      equal(link.address, c.address, c.name);
      bytesEqual(link.provisioningKey, fromHex(c.provisioningKey), c.name);
      bytesEqual(link.identityKey, fromHex(c.identityKey), c.name);
      equal(link.name, c.deviceName, c.name);
      equal(linkUri(link), c.uri, c.name);
    }
  }],

  ['link-uris.json: every invalid link is refused with INVALID_LINK, saying it is not a Quintet link', async (ctx) => {
    const v = await ctx.vector('link-uris');
    ok(v.invalid.length > 0, 'fixtures');
    for (const c of v.invalid) {
      const error = throws(() => parseLinkUri(c.uri), 'INVALID_LINK', c.name);
      ok(error.message.startsWith('not a Quintet link: '), c.name);
    }
  }],

  ['a text that is not a string is refused the same way', () => {
    throws(() => parseLinkUri(undefined), 'INVALID_LINK');
    throws(() => parseLinkUri(42), 'INVALID_LINK');
  }],
];
