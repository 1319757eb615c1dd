// Which screen the page shows. The companion's state says most of it; what happened in this tab
// says the rest, so that the page is right whichever way the client core reports linking:
// - linkStarted: this tab asked for a QR or code link (its own state may say 'linking' meanwhile);
// - linkedEvent: the primary provisioned this device ('linked'); history may still be coming;
// - relinking: after a log-out, the user asked to link this browser again.
export function chooseScreen({ state, linkStarted = false, linkedEvent = false, relinking = false }) {
  if (state === 'linked') return 'main';
  if (state === 'logged-out' && !relinking) return 'logged-out';
  if (linkedEvent || (state === 'linking' && !linkStarted)) return 'syncing';
  return 'link';
}
