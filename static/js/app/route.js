// Which screen the page shows. The device's state says most of it; what happened in this tab
// says the rest, so that the page is right whichever way the client core reports linking:
// - choice: what the person chose on the first screen, 'phone' (register this device as the
//   account's phone) or 'link' (link this browser to a phone); null until they choose;
// - linkStarted: this tab asked for a QR or code link (its own state may say 'linking' meanwhile);
// - linkedEvent: the primary provisioned this device ('linked'); history may still be coming;
// - relinking: after a log-out, the user asked to start again.
export function chooseScreen({ state, choice = null, linkStarted = false, linkedEvent = false, relinking = false }) {
  if (state === 'linked') return 'main';
  if (state === 'logged-out' && !relinking) return 'logged-out';
  if (state === 'registering') return 'register';
  if (linkedEvent || (state === 'linking' && !linkStarted)) return 'syncing';
  if (state === 'linking' || choice === 'link') return 'link';
  if (choice === 'phone') return 'register';
  return 'welcome';
}
