// A modal dialog on the browser's own <dialog>: it keeps focus inside, Escape closes it, and the
// page behind cannot be clicked. Resolves to the value of the button that closed it, or null
// (Escape, Close). Focus goes back to the element that opened it.
import { h } from './dom.js';

// actions: [{ label, value, testid, look }] with look 'primary' or 'danger'; the first action
// gets the focus, so put the safe choice (Cancel) first.
export function openDialog(app, { title, body, actions, testid, opener }) {
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title', dataset: { testid } },
    h('h2', { id: 'dialog-title' }, title),
    body,
    h('form', { method: 'dialog', class: 'dialog-actions' },
      actions.map(({ label, value, testid: buttonId, look }, i) => h('button', {
        value, class: look ? `button ${look}` : 'button', autofocus: i === 0, dataset: { testid: buttonId },
      }, label))));
  app.doc.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(dialog.returnValue || null);
    });
    dialog.showModal();
  });
}
