// Registering this browser as the account's phone: the number (with what registering it means
// for an account it may already have), then the 6-digit code the server sent, then the account
// is this device's. Refusals are explained in the person's words, with what to do next.
import { MAX_NAME_LENGTH } from '../client/index.js';
import { h, replaceChildren } from './dom.js';
import { countdown, defaultDeviceName, failureReason, normalizeNumber } from './format.js';


// The text for a refusal of a code request or of a code; attemptsLeft and retryAfterSeconds
// come with the relay's refusals that have them.
export function registerFailureText(i18n, err) {
  const code = String(err?.code ?? 'other');
  const key = `register.failed.${code}`;
  if (code === 'WRONG_CODE') return i18n.t(key, { count: Number(err.details?.attemptsLeft ?? 0) });
  if (code === 'RATE_LIMITED') {
    const seconds = Number(err.details?.retryAfterSeconds);
    return i18n.t(key, { time: countdown(i18n, Number.isFinite(seconds) ? seconds * 1000 : 60_000) });
  }
  return i18n.has(key) ? i18n.t(key) : i18n.t('register.failed.other', { reason: failureReason(i18n, err) });
}

export function renderRegisterScreen(app) {
  const { device, i18n, t } = app;
  const body = h('div', { class: 'register-body' });
  const error = h('p', { class: 'field-error', role: 'alert', dataset: { testid: 'register-error' } });
  let busy = false;

  function field(id, label, input, hint) {
    return [h('label', { for: id }, label), input, hint ? h('p', { id: `${id}-hint`, class: 'hint' }, hint) : null];
  }

  function showError(err) {
    error.textContent = typeof err === 'string' ? err : registerFailureText(i18n, err);
  }

  // While a request is out, its button says so and a second click does nothing.
  async function run(button, work) {
    if (busy) return;
    busy = true;
    button.disabled = true;
    error.textContent = '';
    try {
      await work();
    } catch (err) {
      showError(err);
    } finally {
      busy = false;
      button.disabled = false;
    }
  }

  const numberInput = h('input', {
    id: 'register-number', type: 'tel', inputmode: 'tel', autocomplete: 'tel', required: true,
    'aria-describedby': 'register-number-hint', dataset: { testid: 'register-number' },
  });
  const nameInput = h('input', {
    id: 'register-name', type: 'text', maxLength: MAX_NAME_LENGTH, autocomplete: 'off',
    value: defaultDeviceName(app.i18n, navigator.userAgent), dataset: { testid: 'register-name' },
  });
  const sendButton = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'register-send' } },
    t('register.send'));

  function numberStep() {
    const form = h('form', {
      class: 'register-form', novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        const number = normalizeNumber(numberInput.value);
        if (!number) {
          numberInput.setAttribute('aria-invalid', 'true');
          showError(t('number.invalid'));
          numberInput.focus();
          return;
        }
        numberInput.removeAttribute('aria-invalid');
        run(sendButton, async () => codeStep(await device.requestRegistrationCode(number)));
      },
    },
    field('register-number', t('register.number.label'), numberInput, t('number.hint')),
    field('register-name', t('link.name.label'), nameInput, t('register.name.hint')),
    h('p', { class: 'warning', dataset: { testid: 'register-warning' } }, t('register.warning')),
    error,
    h('div', { class: 'form-actions' },
      sendButton,
      h('button', { type: 'button', class: 'button link', dataset: { testid: 'register-back' }, onclick: () => app.choose(null) },
        t('register.back'))));
    replaceChildren(body, form);
    numberInput.focus();
  }

  function codeStep({ number, sentBy }) {
    const codeInput = h('input', {
      id: 'register-code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxLength: 7,
      required: true, dataset: { testid: 'register-code' },
    });
    const registerButton = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'register-submit' } },
      t('register.submit'));
    const again = h('button', {
      type: 'button', class: 'button link', dataset: { testid: 'register-again' },
      onclick: () => run(again, async () => {
        await device.requestRegistrationCode(number);
        app.notices.show(t('register.sentAgain', { number }));
      }),
    }, t('register.again'));
    const form = h('form', {
      class: 'register-form', novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        run(registerButton, () => device.register({ code: codeInput.value, name: nameInput.value.trim() || defaultDeviceName(i18n, navigator.userAgent) }));
      },
    },
    h('p', { dataset: { testid: 'register-sent' } }, t(sentBy === 'log' ? 'register.sent.log' : 'register.sent.sms', { number })),
    field('register-code', t('register.code.label'), codeInput),
    error,
    h('div', { class: 'form-actions' },
      registerButton,
      again,
      h('button', {
        type: 'button', class: 'button link', dataset: { testid: 'register-other-number' },
        onclick: () => {
          device.cancelRegistration();
          numberStep();
        },
      }, t('register.otherNumber'))));
    replaceChildren(body, form);
    codeInput.focus();
  }

  // A code asked for already (the screen was drawn again): straight to typing it.
  if (device.state === 'registering' && device.registeringNumber) {
    numberInput.value = device.registeringNumber;
    codeStep({ number: device.registeringNumber, sentBy: null });
  } else {
    numberStep();
  }

  return h('section', { class: 'card register-card', 'aria-labelledby': 'register-title', dataset: { testid: 'register' } },
    h('h1', { id: 'register-title', tabindex: -1 }, t('register.title')),
    h('p', {}, t('register.intro')),
    body);
}
