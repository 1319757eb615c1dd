// delivery.json and limits.json: the wire contract and the protocol's bounds, the same in both
// languages. Every constant the Java side declares is here with the same value, and nothing more.
import { bytesEqual, deepEqual, equal, fromHex, ok, throws } from '../assert.js';
import * as Limits from '../../../static/js/protocol/limits.js';
import { Delivery } from '../../../static/js/protocol/index.js';
import { MAX_ENVELOPE } from '../../../static/js/protocol/envelope.js';

function sameConstants(actual, expected, what) {
  deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${what}: the same names`);
  for (const [name, value] of Object.entries(expected)) equal(actual[name], value, `${what}.${name}`);
}

export const tests = [
  ['delivery.json: paths, frame layout, close codes, reasons and frame names are the same', async (ctx) => {
    const v = await ctx.vector('delivery');
    equal(Delivery.DELIVERY_PATH, v.paths.delivery, 'delivery path');
    equal(Delivery.PROVISIONING_PATH, v.paths.provisioning, 'provisioning path');
    equal(Delivery.ENVELOPE_FRAME, v.frame.envelopeFrame, 'envelope frame');
    equal(Delivery.FRAME_HEADER, v.frame.header, 'frame header');
    equal(Delivery.MAX_FRAME, v.frame.max, 'largest frame');
    equal(Delivery.ONLINE_FRAME, v.frame.onlineFrame, 'online frame');
    equal(Delivery.ONLINE_FRAME_HEADER, v.frame.onlineHeader, 'online frame header');
    sameConstants(Delivery.Close, v.close, 'Close');
    sameConstants(Delivery.Reason, v.reason, 'Reason');
    deepEqual([...Delivery.LOGOUT_REASONS], v.logoutReasons, 'logout reasons');
    sameConstants(Delivery.Event, v.event, 'Event');
    sameConstants(Delivery.ProvisioningFrame, v.provisioningFrame, 'ProvisioningFrame');
  }],

  ['delivery.json: envelope frames, queued and online, encode and parse byte for byte; bad ones are refused', async (ctx) => {
    const v = await ctx.vector('delivery');
    ok(v.validFrames.length > 0 && v.invalidFrames.length > 0, 'frames');
    for (const f of v.validFrames) {
      const frame = fromHex(f.frame);
      const parsed = Delivery.parseEnvelopeFrame(frame);
      equal(parsed.seq, f.seq, 'seq');
      equal(parsed.online, f.online, 'online');
      bytesEqual(parsed.envelope, fromHex(f.envelope), 'envelope');
      bytesEqual(Delivery.encodeEnvelopeFrame(f.seq, fromHex(f.envelope)), frame, 'encoding');
    }
    for (const f of v.invalidFrames) throws(() => Delivery.parseEnvelopeFrame(fromHex(f.frame)), f.error, f.name);
  }],

  ['delivery.json: the logout reason of every close, and the reconnect delays', async (ctx) => {
    const v = await ctx.vector('delivery');
    for (const c of v.logouts) {
      equal(Delivery.logoutReason(c.code, c.reason), c.logout, `${c.code} ${JSON.stringify(c.reason)}`);
      ok(Delivery.isLogout(c.code), `${c.code} is a logout`);
    }
    ok(!Delivery.isLogout(Delivery.Close.REPLACED) && !Delivery.isLogout(Delivery.Close.GOING_AWAY), 'not logouts');
    equal(Delivery.Keepalive.PING_INTERVAL_MS, v.keepalive.pingIntervalMs, 'ping interval');
    equal(Delivery.Keepalive.IDLE_TIMEOUT_MS, v.keepalive.idleTimeoutMs, 'idle timeout');
    equal(Delivery.Reconnect.FIRST_MS, v.reconnect.firstMs, 'first delay');
    equal(Delivery.Reconnect.LAST_MS, v.reconnect.lastMs, 'last delay');
    equal(Delivery.Reconnect.JITTER, v.reconnect.jitter, 'jitter');
    for (const c of v.reconnect.delays) {
      equal(Delivery.reconnectDelayMs(c.attempt, c.random), c.delayMs, `attempt ${c.attempt}, random ${c.random}`);
    }
  }],

  ['limits.json: every bound of Limits.java, with the same value', async (ctx) => {
    const v = await ctx.vector('limits');
    const { MAX_ENVELOPE: maxEnvelope, ...javaLimits } = v.limits;
    sameConstants(Limits, javaLimits, 'Limits');
    equal(MAX_ENVELOPE, maxEnvelope, 'largest envelope');
  }],
];
