// Linking by QR code: the code (a new one each time the client core rotates the address), the
// steps to scan it, and the same link as text for a primary on a command line. While the client
// core reconnects to the relay, the code (whose address died with the connection) makes way for a
// note, and the new connection's code follows.
import { h } from './dom.js';
import { failureView, reasonOf } from './link-failure.js';

export function qrPanel(app, scope, { deviceName, control }) {
  const { device, i18n, t } = app;
  const image = h('img', {
    class: 'qr-image', alt: t('link.qr.alt'), width: 264, height: 264, hidden: true, dataset: { testid: 'qr-image' },
  });
  const waiting = h('p', { class: 'qr-waiting', role: 'status', dataset: { testid: 'qr-waiting' } }, t('link.qr.waiting'));
  const frame = h('div', { class: 'qr-frame' }, waiting, image);
  const uri = h('code', { class: 'qr-uri', dataset: { testid: 'qr-uri' } });
  const cli = h('details', { class: 'qr-cli', hidden: true },
    h('summary', {}, t('link.qr.cli')),
    h('p', {}, t('link.qr.cliHint')),
    uri);
  let attempt = 0;

  function show(link) {
    image.src = `${app.qrEndpoint}?data=${encodeURIComponent(link)}`;
    uri.textContent = link;
    image.hidden = false;
    cli.hidden = false;
    waiting.hidden = true;
    delete waiting.dataset.reconnecting;
  }

  function reconnecting() {
    image.hidden = true;
    cli.hidden = true;
    waiting.textContent = t('link.reconnecting');
    waiting.dataset.reconnecting = 'true';
    waiting.hidden = false;
  }

  function fail(reason) {
    image.hidden = true;
    cli.hidden = true;
    waiting.hidden = true;
    frame.querySelector('.link-failure')?.remove();
    frame.append(failureView(i18n, reason, restart));
  }

  // Also the first start: nothing is under way then, so nothing is stopped.
  function restart() {
    const mine = ++attempt;
    frame.querySelector('.link-failure')?.remove();
    image.hidden = true;
    cli.hidden = true;
    waiting.textContent = t('link.qr.waiting');
    delete waiting.dataset.reconnecting;
    waiting.hidden = false;
    app.linkStarting();
    // A late rejection of an attempt that was since replaced says nothing about the current one.
    control.restart(() => device.startQrLink({ name: deviceName() }))
      .catch((err) => mine === attempt && fail(reasonOf(err)));
  }

  scope.listen(device, 'qr', (event) => show(event.detail.uri));
  scope.listen(device, 'link-reconnecting', reconnecting);
  scope.listen(device, 'link-failed', (event) => fail(reasonOf(event.detail)));
  restart();

  return {
    steps: [t('link.step1'), t('link.step2'), t('link.step3')],
    visual: h('div', { class: 'qr' }, frame, cli),
    // A new name goes into a new code.
    nameChanged: restart,
  };
}
