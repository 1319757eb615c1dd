// The phone's "Link a device": the camera reads the QR code the other device shows (or its link
// is pasted, for a device that shows no camera-readable code, such as a terminal), or the code a
// device shows that asked by this number is typed. Then the device is signed in and gets the
// recent messages, with their progress, until "Linked".
import { h, replaceChildren } from './dom.js';
import { failureReason } from './format.js';
import { startQrScanner } from './qr-scanner.js';

// mode: 'scan' (the camera), 'paste' or 'code'. Resolves once the dialog closed.
export function openLinkDeviceDialog(app, { mode = 'scan', opener } = {}) {
  const { device, t } = app;
  const body = h('div', { class: 'link-device-body' });
  const status = h('p', { class: 'link-device-status', role: 'status', dataset: { testid: 'link-device-status' } });
  const error = h('p', { class: 'field-error', role: 'alert', dataset: { testid: 'link-device-error' } });
  const modes = h('p', { class: 'link-device-modes' });
  const close = h('button', { type: 'button', class: 'button', dataset: { testid: 'link-device-close' }, onclick: () => dialog.close() },
    t('linkDevice.cancel'));
  const dialog = h('dialog', { class: 'dialog link-device-dialog', 'aria-labelledby': 'link-device-title', dataset: { testid: 'link-device-dialog' } },
    h('h2', { id: 'link-device-title' }, t('linkDevice.title')),
    body, status, error, modes,
    h('div', { class: 'dialog-actions' }, close));
  let scanner = null;
  let linking = false;
  let closed = false;

  function stopScanner() {
    scanner?.stop();
    scanner = null;
  }

  function modeButton(next, label) {
    return h('button', {
      type: 'button', class: 'button link', dataset: { testid: `link-device-${next}` }, onclick: () => show(next),
    }, label);
  }

  function show(next) {
    stopScanner();
    error.textContent = '';
    status.textContent = '';
    replaceChildren(modes,
      next !== 'scan' ? modeButton('scan', t('linkDevice.useCamera')) : null,
      next !== 'paste' ? modeButton('paste', t('linkDevice.usePaste')) : null,
      next !== 'code' ? modeButton('code', t('linkDevice.useCode')) : null);
    if (next === 'scan') showCamera();
    else if (next === 'paste') showPaste();
    else showCode();
  }

  function showCamera() {
    const video = h('video', { class: 'scanner-video', muted: true, playsInline: true, autoplay: true, dataset: { testid: 'scanner-video' } });
    video.setAttribute('playsinline', '');
    replaceChildren(body, h('p', {}, t('linkDevice.scan.hint')), video);
    status.textContent = t('linkDevice.scan.starting');
    scanner = startQrScanner(video, {
      onCode: (text) => {
        if (linking) return;
        if (!text.startsWith('quintet://link?')) {
          error.textContent = t('linkDevice.scan.notALink');
          return;
        }
        link(() => device.linkDevice(text));
      },
      onError: (reason) => {
        scanner = null;
        replaceChildren(body, h('p', { dataset: { testid: 'camera-problem', reason } }, t(`linkDevice.camera.${reason}`)));
        status.textContent = '';
      },
    });
    video.addEventListener('playing', () => {
      if (!linking) status.textContent = t('linkDevice.scan.looking');
    }, { once: true });
  }

  function showPaste() {
    const input = h('textarea', {
      id: 'link-device-uri', rows: 3, spellcheck: false, autocomplete: 'off', dataset: { testid: 'link-device-uri' },
    });
    const submit = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'link-device-submit' } }, t('linkDevice.link'));
    replaceChildren(body, h('form', {
      class: 'link-device-form', novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        link(() => device.linkDevice(input.value.trim()), submit);
      },
    }, h('label', { for: 'link-device-uri' }, t('linkDevice.paste.label')), h('p', { class: 'hint' }, t('linkDevice.paste.hint')),
    input, submit));
    input.focus();
  }

  function showCode() {
    const input = h('input', {
      id: 'link-device-code', type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: false,
      maxLength: 9, dataset: { testid: 'link-device-code' },
    });
    const submit = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'link-device-code-submit' } },
      t('linkDevice.link'));
    replaceChildren(body, h('form', {
      class: 'link-device-form', novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        link(() => device.linkDeviceByCode(input.value), submit);
      },
    }, h('label', { for: 'link-device-code' }, t('linkDevice.code.label')), h('p', { class: 'hint' }, t('linkDevice.code.hint')),
    input, submit));
    input.focus();
  }

  function link(start, button) {
    if (linking) return;
    linking = true;
    if (button) button.disabled = true;
    error.textContent = '';
    status.textContent = t('linkDevice.linking');
    const progress = (event) => {
      status.textContent = t('linkDevice.history', { part: event.detail.part, parts: event.detail.parts });
    };
    device.addEventListener('history-sending', progress);
    start().then((linked) => {
      stopScanner();
      replaceChildren(body, h('p', { class: 'link-device-done', dataset: { testid: 'link-device-done' } },
        t('linkDevice.done', { name: linked.name || t('devices.unnamed') })));
      replaceChildren(modes);
      status.textContent = '';
      close.textContent = t('linkDevice.close');
      close.focus();
    }, (err) => {
      status.textContent = '';
      error.textContent = linkFailureText(app, err);
      if (button) button.disabled = false;
    }).finally(() => {
      device.removeEventListener('history-sending', progress);
      linking = false;
    });
  }

  app.doc.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      closed = true;
      stopScanner();
      dialog.remove();
      opener?.focus();
      resolve(closed);
    });
    dialog.showModal();
    show(mode);
  });
}

// Why linking did not work, in the person's words.
export function linkFailureText(app, err) {
  const { i18n } = app;
  const code = String(err?.code ?? 'other');
  const key = `linkDevice.failed.${code}`;
  if (code === 'WRONG_CODE') return i18n.t(key, { count: Number(err.attemptsLeft ?? 0) });
  return i18n.has(key) ? i18n.t(key) : i18n.t('linkDevice.failed.other', { reason: failureReason(i18n, err) });
}
