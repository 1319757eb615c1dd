// Linking by phone number and code: the account's number, then the 8-character code to type on
// the phone, wrong-code and expiry messages, and a way back to another number. While the client
// core reconnects to the relay, the code (whose request died with the connection) makes way for a
// note, and the new request's code follows.
import { h, replaceChildren } from './dom.js';
import { countdown, linkCode, normalizeNumber } from './format.js';
import { failureView, reasonOf } from './link-failure.js';

export function codePanel(app, scope, { deviceName, control }) {
  const { device, i18n, t } = app;
  const visual = h('div', { class: 'code' });
  let attempt = 0;
  let number = '';
  let pairing = false; // a request is out (a code is shown or coming)
  let flow = scope.child();

  const numberInput = h('input', {
    id: 'link-number', type: 'tel', inputmode: 'tel', autocomplete: 'tel', required: true,
    'aria-describedby': 'link-number-hint link-number-error', dataset: { testid: 'link-number' },
  });
  const numberError = h('p', { id: 'link-number-error', class: 'field-error', role: 'alert' });
  const form = h('form', { class: 'number-form', novalidate: true, onsubmit: submit },
    h('label', { for: 'link-number' }, t('link.number.label')),
    numberInput,
    h('p', { id: 'link-number-hint', class: 'hint' }, t('number.hint')),
    numberError,
    h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'link-number-submit' } },
      t('link.number.submit')));

  // The form replaces what had the focus (a button that went with the code): it takes it over.
  function showForm(failure) {
    pairing = false;
    flow.dispose();
    flow = scope.child();
    replaceChildren(visual, failure ?? null, form);
    (failure?.querySelector('button') ?? numberInput).focus();
  }

  function submit(event) {
    event.preventDefault();
    const normalized = normalizeNumber(numberInput.value);
    if (!normalized) {
      numberInput.setAttribute('aria-invalid', 'true');
      numberError.textContent = t('number.invalid');
      numberInput.focus();
      return;
    }
    numberInput.removeAttribute('aria-invalid');
    numberError.textContent = '';
    number = normalized;
    start();
  }

  function start() {
    const mine = ++attempt;
    pairing = true;
    replaceChildren(visual, h('p', { class: 'code-waiting', role: 'status' }, t('link.code.waiting')));
    app.linkStarting();
    control.restart(() => device.startCodeLink({ number, name: deviceName() }))
      .catch((err) => mine === attempt && fail(reasonOf(err)));
  }

  // Back to the form, which is also how to try again; only a timed-out socket gets its own
  // Reload button, as on the QR side.
  function fail(reason) {
    showForm(failureView(i18n, reason, reason === 'TIMEOUT' ? start : null));
  }

  function changeNumberButton() {
    return h('button', {
      type: 'button', class: 'button link', dataset: { testid: 'change-number' },
      onclick: () => {
        ++attempt;
        control.stop();
        showForm();
      },
    }, t('link.code.changeNumber'));
  }

  function reconnecting() {
    if (!pairing) return;
    flow.dispose();
    flow = scope.child();
    replaceChildren(visual,
      h('p', { class: 'code-waiting', role: 'status', dataset: { testid: 'link-reconnecting' } }, t('link.reconnecting')),
      changeNumberButton());
  }

  function showCode({ code, expiresAt }) {
    flow.dispose();
    flow = scope.child();
    const left = h('p', { class: 'code-expiry' });
    const wrong = h('p', { class: 'field-error', role: 'alert', dataset: { testid: 'wrong-code' } });
    const tick = () => {
      left.textContent = t('link.code.expires', { time: countdown(i18n, expiresAt - Date.now()) });
    };
    if (Number.isFinite(expiresAt)) {
      tick();
      flow.every(1000, tick);
    }
    flow.listen(device, 'wrong-code', (event) => {
      wrong.textContent = t('link.code.wrong', { count: Number(event.detail?.attemptsLeft ?? 0) });
    });
    replaceChildren(visual,
      h('p', { class: 'code-label', id: 'link-code-label' }, t('link.code.label')),
      h('p', { class: 'link-code', 'aria-labelledby': 'link-code-label', dataset: { testid: 'link-code' } },
        linkCode(code)),
      h('p', { class: 'code-number' }, number),
      left,
      wrong,
      changeNumberButton());
    // On a phone the code is below the steps: bring it into view.
    visual.scrollIntoView({ block: 'nearest' });
  }

  scope.listen(device, 'code', (event) => showCode(event.detail));
  scope.listen(device, 'link-reconnecting', reconnecting);
  scope.listen(device, 'link-failed', (event) => fail(reasonOf(event.detail)));
  replaceChildren(visual, form);

  return {
    steps: [t('link.step1'), t('link.code.step2'), t('link.code.step3')],
    visual,
    focus: () => numberInput.focus(),
    // A request already out carries the old name: ask again with the new one.
    nameChanged() {
      if (pairing) start();
    },
  };
}
