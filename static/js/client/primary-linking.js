// The primary's side of linking a companion (docs/linking.md), the twin of the Java client's
// QrLinking, CodeLinking and LinkCompletion:
//   QR:   certify the identity the companion's QR shows, seal the provisioning payload to its
//         provisioning key, hand it to the relay address, and wait for the relay's device-linked
//         with the certificate counter-signed;
//   code: the user typed the code a companion shows; answer the account's pending requests with
//         a reply under that code, and sign the companion in only once its confirmation opened
//         (which proves it holds the code) and the relay linked it with the same certificate.
// Either way the certificate is then signed into the device list, and the history sent.
//
// The relay's events about linking reach the primary on its delivery connection: the device hands
// each to onEvent, which passes it to the attempts under way.

import {
  Delivery, ErrorCode, PRIMARY_DEVICE_ID, ProtocolError, accountHalf, answerCodeHello, codeHelloIdentity,
  issueDeviceCert, normaliseCode, parseDeviceCert, sealProvisioning, verifyDeviceCert,
} from '../protocol/index.js';
import { bytesEqual } from '../protocol/bytes.js';
import { ClientError, ClientErrorCode, RelayError } from './errors.js';
import { fromBase64, fromUtf8, toBase64, utf8 } from './encoding.js';
import { parseLinkUri } from './link-uri.js';

const Event = Delivery.Event;
// How long the primary waits for the companion to finish its side (as the Java client's LinkOptions).
export const LINK_TIMEOUT_MS = 120_000;
// Days of history a new companion gets (as the Java client's LinkOptions).
export const HISTORY_DAYS = 30;

function linkError(code, message, details) {
  return new ClientError(code, message, details);
}

// The provisioning payload (docs/linking.md, "Payloads"), keys in the order the Java client writes them.
function provisioningPayload(number, issued) {
  const { accountKey, deviceId } = parseDeviceCert(issued);
  return utf8(JSON.stringify({ v: 1, number, accountKey: toBase64(accountKey), deviceId, cert: toBase64(issued) }));
}

// The certificate a companion sends back must be exactly the one issued, counter-signed by the
// identity it names; anything else is refused and nothing is signed.
async function requireCounterSigned(issued, returned) {
  if (!bytesEqual(accountHalf(issued), accountHalf(returned))) {
    throw new ProtocolError(ErrorCode.UNTRUSTED_DEVICE,
      `device ${parseDeviceCert(returned).deviceId} came back with another certificate than the one issued`);
  }
  await verifyDeviceCert(returned, parseDeviceCert(issued).accountKey);
}

// One linking attempt's wait for relay events: handle(event, wait) may call wait.resolve or
// wait.reject; timeoutMessage() says what did not happen in time.
class EventWait {
  constructor(watchers, timeoutMs, timeoutMessage, handle) {
    this.promise = new Promise((resolve, reject) => {
      const end = () => {
        clearTimeout(timer);
        watchers.delete(watch);
      };
      this.resolve = (value) => { end(); resolve(value); };
      this.reject = (error) => { end(); reject(error); };
      const timer = setTimeout(() => this.reject(linkError(ClientErrorCode.TIMEOUT, timeoutMessage())), timeoutMs);
      const watch = (event) => {
        Promise.resolve().then(() => handle(event, this)).catch((error) => this.reject(error));
      };
      watchers.add(watch);
    });
  }
}

export class PrimaryLinking {
  #auth;
  #directory;
  #signer;
  #history;
  #source;
  #self;
  #emit;
  #watchers = new Set();

  // self() returns the primary's record; emit(type, detail) raises the device's events.
  constructor({ auth, directory, signer, history, source, self, emit }) {
    this.#auth = auth;
    this.#directory = directory;
    this.#signer = signer;
    this.#history = history;
    this.#source = source;
    this.#self = self;
    this.#emit = emit;
  }

  // A relay event about linking (the delivery connection's).
  onEvent(event) {
    for (const watch of [...this.#watchers]) watch(event);
    if (event.type === Event.PAIRING_REQUEST && typeof event.pairingId === 'string') {
      this.#emit('pairing-request', { pairingId: event.pairingId, expiresAt: expiresAt(event) });
    } else if (event.type === Event.PAIRING_ENDED && typeof event.pairingId === 'string') {
      this.#emit('pairing-ended', { pairingId: event.pairingId });
    }
  }

  // The code-linking requests that wait for this primary: [{ pairingId, expiresAt }].
  async pairingRequests() {
    const { requests = [] } = await this.#auth.call('GET', '/v1/pairing');
    return requests.filter((r) => typeof r?.pairingId === 'string')
      .map((r) => ({ pairingId: r.pairingId, expiresAt: expiresAt(r) }));
  }

  // QR: uri is what the companion's QR code holds. Resolves to { deviceId, name, texts, parts }.
  async linkByQr(uri, { historyDays = HISTORY_DAYS, timeoutMs = LINK_TIMEOUT_MS } = {}) {
    const link = parseLinkUri(uri);
    const deviceId = await this.#nextDeviceId();
    const issued = await this.#issue(link.identityKey, deviceId);
    const sealed = await sealProvisioning(this.#source, link.provisioningKey, provisioningPayload(this.#self().number, issued));
    // Watching before the relay has the message: the companion may link faster than the answer comes.
    const linked = new EventWait(this.#watchers, timeoutMs, () => `the companion did not link within ${timeoutMs / 1000} s`,
      async (event, wait) => {
        if (event.type !== Event.DEVICE_LINKED || event.deviceId !== deviceId) return;
        const cert = fromBase64(event.cert, 'cert');
        await requireCounterSigned(issued, cert);
        wait.resolve(cert);
      });
    this.#auth.call('PUT', `/v1/provisioning/${link.address}`, { message: toBase64(sealed) }).catch((error) => {
      linked.reject(error instanceof RelayError && error.status === 404
        ? linkError(ClientErrorCode.CODE_EXPIRED, 'the code changed or expired: scan the current one')
        : error);
    });
    return this.#complete(await linked.promise, historyDays);
  }

  // Phone number + code: code is what the user typed (any case, spaces and '-' allowed). Resolves
  // as linkByQr; WRONG_CODE (with attemptsLeft), NO_REQUEST, LINK_ENDED or TIMEOUT otherwise.
  //
  // The primary cannot tell from a request whether the code is its own (nothing in it is
  // testable), so when several requests wait it answers each: only the companion that shows the
  // code can open its reply; the others count a wrong code.
  async linkByCode(typed, { historyDays = HISTORY_DAYS, timeoutMs = LINK_TIMEOUT_MS } = {}) {
    let code;
    try {
      code = normaliseCode(typed);
    } catch (error) {
      throw linkError(ClientErrorCode.INVALID_CODE, error.message);
    }
    const deviceId = await this.#nextDeviceId();
    const open = new Set(); // the requests answered, until they fail or end
    const replies = new Map(); // pairingId -> { exchange, issued }
    let answered = false;
    let attemptsLeft = -1;
    let confirmed = null;
    let linkedCert = null;
    const number = this.#self().number;
    const answer = async (request, wait) => {
      const { pairingId } = request;
      if (typeof pairingId !== 'string' || open.has(pairingId) || typeof request.hello !== 'string') return;
      let hello;
      let issued;
      try {
        hello = fromBase64(request.hello, 'hello');
        issued = await this.#issue(codeHelloIdentity(hello), deviceId);
      } catch {
        return; // a malformed hello is no request to answer
      }
      answered = true;
      open.add(pairingId);
      try {
        const exchange = await answerCodeHello(this.#source, code, hello, provisioningPayload(number, issued));
        // Known before the relay has the reply: its answer to it may come before the HTTP answer.
        replies.set(pairingId, { exchange, issued });
        await this.#auth.call('POST', `/v1/pairing/${encodeURIComponent(pairingId)}/reply`, { reply: toBase64(exchange.reply) });
      } catch (error) {
        // The request ended meanwhile, or its hello was malformed: no longer one to wait for.
        open.delete(pairingId);
        endIfNoneLeft(wait, error);
      }
    };
    const forget = (pairingId) => {
      replies.delete(pairingId);
      return open.delete(pairingId);
    };
    const endIfNoneLeft = (wait, why) => {
      if (open.size === 0 && confirmed === null) wait.reject(why);
    };
    const completeWhenBoth = (wait) => {
      if (confirmed === null || linkedCert === null) return;
      if (bytesEqual(confirmed, linkedCert)) wait.resolve(confirmed);
      else {
        wait.reject(new ProtocolError(ErrorCode.UNTRUSTED_DEVICE,
          `device ${deviceId} was linked on the relay with another certificate than the one the companion confirmed`));
      }
    };
    const wait = new EventWait(this.#watchers, timeoutMs, () => (answered
      ? `no companion confirmed the code within ${timeoutMs / 1000} s`
      : `no companion asked to link ${number} within ${timeoutMs / 1000} s`),
    async (event, self) => {
      const { pairingId } = event;
      switch (event.type) {
        case Event.PAIRING_REQUEST:
          if (!answered) await answer(event, self);
          break;
        case Event.PAIRING_WRONG_CODE:
          if (forget(pairingId)) {
            attemptsLeft = Math.max(attemptsLeft, Number.isInteger(event.attemptsLeft) ? event.attemptsLeft : 0);
            endIfNoneLeft(self, linkError(ClientErrorCode.WRONG_CODE, attemptsLeft > 0
              ? `the companion shows another code; try again (${attemptsLeft} attempts left)`
              : 'the companion shows another code, and no attempts are left: start linking again on it',
            { attemptsLeft }));
          }
          break;
        case Event.PAIRING_ENDED:
          if (forget(pairingId)) {
            endIfNoneLeft(self, linkError(ClientErrorCode.LINK_ENDED,
              `the linking request ended (${event.reason ?? 'ENDED'}); start again on the companion`));
          }
          break;
        case Event.PAIRING_CONFIRM: {
          const reply = replies.get(pairingId);
          if (!reply) break;
          const confirmation = JSON.parse(fromUtf8(await reply.exchange.openConfirm(fromBase64(event.confirm, 'confirm'))));
          const cert = fromBase64(confirmation?.cert, 'cert');
          await requireCounterSigned(reply.issued, cert);
          confirmed = cert;
          completeWhenBoth(self);
          break;
        }
        case Event.DEVICE_LINKED:
          if (event.deviceId === deviceId) {
            linkedCert = fromBase64(event.cert, 'cert');
            completeWhenBoth(self);
          }
          break;
        default:
          // Other events are not about this attempt.
      }
    });
    // Watching first: a request that comes while the pending ones are fetched is answered too.
    try {
      const { requests = [] } = await this.#auth.call('GET', '/v1/pairing');
      for (const request of requests) await answer(request, wait);
      // A companion shows its code only once the relay holds its request, so none pending means
      // none is coming for this code: say so now rather than after the whole timeout.
      if (!answered) {
        wait.reject(linkError(ClientErrorCode.NO_REQUEST,
          `no device asked to link ${number}; enter the number on the new device first, then type the code it shows`));
      }
    } catch (error) {
      wait.reject(error);
    }
    return this.#complete(await wait.promise, historyDays);
  }

  // The relay names the next id (an id is never used twice for a number, not even across
  // registrations) and refuses a companion beyond its limit, which is checked here first so that
  // the user hears it before anything is shown or scanned.
  async #nextDeviceId() {
    const { account, answer } = await this.#directory.fetch(this.#self().number);
    const companions = Object.keys(account.registrationIds).length - 1;
    const allowed = Number.isInteger(answer.maxCompanions) ? answer.maxCompanions : Infinity;
    if (companions >= allowed) {
      throw linkError(ClientErrorCode.TOO_MANY_DEVICES,
        `this account has ${companions} linked devices, as many as the relay allows; remove one first`);
    }
    const afterListed = account.devices[account.devices.length - 1].id + 1;
    const named = Number.isInteger(answer.nextDeviceId) ? answer.nextDeviceId : 0;
    // The highest of the three: a relay that names a used id does not make this primary re-use it.
    return Math.max(named, await this.#signer.nextCompanionId(), afterListed);
  }

  #issue(identityKey, deviceId) {
    return issueDeviceCert(this.#self().identity, deviceId, identityKey, Date.now());
  }

  // Signs the device in and sends it the history, with progress ('history-sending').
  async #complete(cert, historyDays) {
    const { deviceId } = parseDeviceCert(cert);
    if (deviceId === PRIMARY_DEVICE_ID) throw new ProtocolError(ErrorCode.UNTRUSTED_DEVICE, 'a companion is not device 1');
    const { answer } = await this.#signer.add(cert);
    const name = answer.devices.find((d) => d.deviceId === deviceId)?.name ?? '';
    this.#emit('device-linked', { deviceId, name });
    const sent = await this.#history.send(deviceId, historyDays,
      (progress) => this.#emit('history-sending', { deviceId, ...progress }));
    return { deviceId, name, ...sent };
  }
}

function expiresAt(request) {
  return Number.isFinite(request.expiresInSeconds) ? Date.now() + request.expiresInSeconds * 1000 : null;
}
