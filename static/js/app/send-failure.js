// Why a text was not sent, in words the user can act on, when the relay said why: the client
// core's 'message-status' event with status 'failed' (static/js/client/messaging.js). A full
// queue (QUEUE_FULL) names whose device it is: this account's phone, another of its devices (which
// the phone can remove), or the peer's. Other refusals keep the bubble's "Not sent" alone: null.
export function sendFailureText(i18n, detail) {
  if (detail?.status !== 'failed' || detail.error !== 'QUEUE_FULL') return null;
  const queues = Array.isArray(detail.queues) ? detail.queues : [];
  const own = queues.find((queue) => queue.own);
  if (own) {
    return own.deviceId === 1 ? i18n.t('send.queueFull.phone') : i18n.t('send.queueFull.ownDevice', { device: own.deviceId });
  }
  const peer = queues[0];
  return peer ? i18n.t('send.queueFull.peer', { number: peer.number }) : i18n.t('send.queueFull.unknown');
}
