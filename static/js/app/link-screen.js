// The screen of a browser that is not linked yet, like WhatsApp Web's: steps on one side, the QR
// code on the other; or the phone-number way, which needs no camera. The device name is the one
// the account's device list will show for this browser.
import { MAX_NAME_LENGTH } from '../client/index.js';
import { h, replaceChildren } from './dom.js';
import { defaultDeviceName } from './format.js';
import { qrPanel } from './qr-panel.js';
import { codePanel } from './code-panel.js';
import { linkControl } from './link-control.js';


export function renderLinkScreen(app, scope) {
  const { t } = app;
  const nameInput = h('input', {
    id: 'device-name', type: 'text', maxLength: MAX_NAME_LENGTH, autocomplete: 'off',
    value: defaultDeviceName(app.i18n, navigator.userAgent),
    'aria-describedby': 'device-name-hint', dataset: { testid: 'device-name' },
  });
  const deviceName = () => nameInput.value.trim() || defaultDeviceName(app.i18n, navigator.userAgent);
  let appliedName = deviceName();
  const nameForm = h('form', {
    class: 'name-form',
    onsubmit: (event) => {
      event.preventDefault();
      applyName();
    },
  },
  h('label', { for: 'device-name' }, t('link.name.label')),
  nameInput,
  h('p', { id: 'device-name-hint', class: 'hint' }, t('link.name.hint')));
  scope.listen(nameInput, 'change', applyName);

  const steps = h('ol', { class: 'steps' });
  const visual = h('div', { class: 'link-visual' });
  const switcher = h('button', { type: 'button', class: 'button link', dataset: { testid: 'link-switch' } });
  const control = linkControl(app.device);
  let mode = null;
  let panel = null;
  let panelScope = null;

  function applyName() {
    if (deviceName() === appliedName) return;
    appliedName = deviceName();
    panel.nameChanged();
  }

  function show(next) {
    panelScope?.dispose();
    panelScope = scope.child();
    mode = next;
    panel = (mode === 'qr' ? qrPanel : codePanel)(app, panelScope, { deviceName, control });
    replaceChildren(steps, panel.steps.map((step) => h('li', {}, step)));
    replaceChildren(visual, panel.visual);
    switcher.textContent = t(mode === 'qr' ? 'link.useCode' : 'link.useQr');
  }

  switcher.addEventListener('click', () => {
    // The code way starts with a form: nothing is under way until it is sent.
    if (mode === 'qr') control.stop();
    show(mode === 'qr' ? 'code' : 'qr');
    panel.focus?.();
  });
  show('qr');

  return h('section', { class: 'link-screen', 'aria-labelledby': 'link-title' },
    h('div', { class: 'card link-card' },
      h('div', { class: 'link-text' },
        h('h1', { id: 'link-title', tabindex: -1 }, t('link.title')),
        steps,
        nameForm,
        switcher,
        h('button', {
          type: 'button', class: 'button link', dataset: { testid: 'link-back' },
          onclick: () => control.stop().then(() => app.choose(null)),
        }, t('link.back'))),
      visual),
    h('p', { class: 'e2e' }, t('link.e2e')));
}
