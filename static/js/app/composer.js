// Writing a message: Enter sends, Shift+Enter starts a new line. While an input method is
// composing (Bengali keyboards often are), Enter belongs to it and sends nothing. Above the field,
// what is being answered (a reply's quote) or edited, each with a way out; while the person types,
// the peer is told, at most once every few seconds, and told again when they stop. Beside the field,
// a file to attach (its caption the text typed) and a voice note to record.
import { h, replaceChildren } from './dom.js';

// "typing…" is said again this often while typing goes on, and taken back after this long without a key.
const TYPING_REPEAT_MS = 4_000;
const TYPING_IDLE_MS = 5_000;

// onSend(text, { replyTo, editing }): replyTo or editing is the message chosen; onTyping(boolean);
// onFile(file, { caption, voiceNote, duration }): a file chosen, or a voice note recorded.
export function composer(app, { onSend, onTyping = () => {}, onFile = () => {} }) {
  const { t } = app;
  const picker = h('input', {
    type: 'file', class: 'visually-hidden', tabindex: -1, 'aria-hidden': 'true', dataset: { testid: 'file-input' },
    onchange: () => {
      for (const file of picker.files) sendFile(file);
      picker.value = '';
    },
  });
  const attach = h('button', {
    type: 'button', class: 'button icon attach emoji', 'aria-label': t('composer.attach'), title: t('composer.attach'),
    dataset: { testid: 'attach' }, onclick: () => picker.click(),
  }, '\u{1F4CE}');
  const record = h('button', {
    type: 'button', class: 'button icon record emoji', 'aria-label': t('composer.record'), title: t('composer.record'),
    'aria-pressed': 'false', dataset: { testid: 'record' }, onclick: () => toggleRecording(),
  }, '\u{1F3A4}');
  let recorder = null;
  const input = h('textarea', {
    id: 'composer-input', rows: 1, placeholder: t('composer.placeholder'), 'aria-label': t('composer.label'),
    'aria-describedby': 'composer-hint', dir: 'auto', dataset: { testid: 'composer-input' },
  });
  const context = h('div', { class: 'composer-context', hidden: true, dataset: { testid: 'composer-context' } });
  const form = h('form', { class: 'composer', dataset: { testid: 'composer' }, onsubmit: submit },
    context,
    picker,
    attach,
    input,
    record,
    h('button', { type: 'submit', class: 'button primary send', dataset: { testid: 'composer-send' } }, t('composer.send')),
    h('p', { id: 'composer-hint', class: 'visually-hidden' }, t('composer.hint')));
  let mode = null; // { kind: 'reply' | 'edit', message }
  let typing = false;
  let lastTypingAt = 0;
  let idle = null;

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === 'Escape' && mode) {
      clear();
    }
  });
  input.addEventListener('input', () => {
    if (input.value.trim() === '') {
      stopTyping();
      return;
    }
    const now = Date.now();
    if (!typing || now - lastTypingAt >= TYPING_REPEAT_MS) {
      typing = true;
      lastTypingAt = now;
      onTyping(true);
    }
    clearTimeout(idle);
    idle = setTimeout(stopTyping, TYPING_IDLE_MS);
  });

  function stopTyping() {
    clearTimeout(idle);
    if (!typing) return;
    typing = false;
    onTyping(false);
  }

  function set(kind, message) {
    mode = { kind, message };
    const who = message.outgoing ? t('message.you') : app.nameOf(message.from);
    const label = kind === 'reply' ? t('composer.replyingTo', { name: who }) : t('composer.editing');
    replaceChildren(context,
      h('div', { class: 'composer-context-text' }, h('span', { class: 'composer-context-label' }, label),
        h('span', { class: 'composer-context-body', dir: 'auto' }, message.body)),
      h('button', {
        type: 'button', class: 'button link', 'aria-label': t('composer.cancel'), dataset: { testid: 'composer-cancel' },
        onclick: clear,
      }, '\u00d7'));
    context.hidden = false;
    if (kind === 'edit') input.value = message.body;
    input.focus();
  }

  function clear() {
    if (mode?.kind === 'edit') input.value = '';
    mode = null;
    context.hidden = true;
    replaceChildren(context);
    input.focus();
  }

  function submit(event) {
    event.preventDefault();
    const text = input.value.trim();
    if (text === '') return;
    const chosen = mode;
    input.value = '';
    mode = null;
    context.hidden = true;
    replaceChildren(context);
    stopTyping();
    onSend(text, chosen?.kind === 'reply' ? { replyTo: chosen.message } : chosen?.kind === 'edit' ? { editing: chosen.message } : {});
    input.focus();
  }

  // A file goes with the text typed so far as its caption.
  function sendFile(file, extra = {}) {
    const caption = input.value.trim();
    input.value = '';
    stopTyping();
    onFile(file, { caption, ...extra });
  }

  // A voice note: the first press records (the browser asks for the microphone), the second sends.
  async function toggleRecording() {
    if (recorder) {
      recorder.stop();
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      app.notices.show(t('composer.noMicrophone'), { tone: 'error' });
      return;
    }
    const chunks = [];
    const started = Date.now();
    recorder = new MediaRecorder(stream);
    recorder.addEventListener('dataavailable', (event) => chunks.push(event.data));
    recorder.addEventListener('stop', () => {
      for (const track of stream.getTracks()) track.stop();
      const type = (recorder.mimeType || 'audio/webm').split(';')[0];
      recorder = null;
      record.setAttribute('aria-pressed', 'false');
      record.setAttribute('aria-label', t('composer.record'));
      record.classList.remove('recording');
      const note = new Blob(chunks, { type });
      if (note.size > 0) sendFile(note, { voiceNote: true, duration: Date.now() - started, fileName: undefined });
    });
    recorder.start();
    record.setAttribute('aria-pressed', 'true');
    record.setAttribute('aria-label', t('composer.stopRecording'));
    record.classList.add('recording');
  }

  return {
    el: form,
    sendFile,
    focus: () => input.focus(),
    reply: (message) => set('reply', message),
    edit: (message) => set('edit', message),
    stop: () => {
      stopTyping();
      recorder?.stop();
    },
  };
}
