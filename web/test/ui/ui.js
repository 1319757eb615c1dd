// Mounts the page in an iframe of a given size (so that the layout is the one a phone or a desktop
// gets), with a fake device, and gives tests a few ways to look at it and act on it.
import { loadStrings } from './properties.js';

const POLL_MS = 10;

// options: { lang, width, height, open, choose }; open() replaces how the page gets the device (a
// start that fails); choose ('link' or 'phone') is the first screen's choice, made as a person
// makes it, before the test starts. Every string the page asks for must be in the message file:
// a missing key fails the test.
export async function withPage(ctx, device, options, test) {
  const { lang = 'en', width = 1200, height = 800, open, choose } = options;
  const strings = await loadStrings(ctx, lang);
  const missing = [];
  const iframe = document.createElement('iframe');
  iframe.width = String(width);
  iframe.height = String(height);
  iframe.src = new URL('./fixture.html', import.meta.url).href;
  await new Promise((resolve, reject) => {
    iframe.addEventListener('load', resolve, { once: true });
    iframe.addEventListener('error', reject, { once: true });
    document.body.append(iframe);
  });
  try {
    const win = iframe.contentWindow;
    await win.quintetFixture.mount({ lang, strings, device, open, onMissing: (key) => missing.push(key) });
    if (choose) {
      const choice = win.document.querySelector(`[data-testid="choose-${choose}"]`);
      if (!choice) throw new Error(`the first screen offers no choice '${choose}'`);
      choice.click();
      await new Promise((resolve) => win.requestAnimationFrame(() => setTimeout(resolve, 0)));
    }
    await test(pageHelpers(win, strings));
    if (missing.length) throw new Error(`strings missing from messages_${lang}.properties: ${missing.join(', ')}`);
  } finally {
    iframe.remove();
  }
}

function pageHelpers(win, strings) {
  const doc = win.document;
  const one = (testid, within = doc) => within.querySelector(`[data-testid="${testid}"]`);
  const all = (testid, within = doc) => [...within.querySelectorAll(`[data-testid="${testid}"]`)];
  const visible = (el) => Boolean(el) && el.getClientRects().length > 0 && win.getComputedStyle(el).visibility !== 'hidden';

  async function until(check, what, timeoutMs = 3000) {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  return {
    win,
    doc,
    strings,
    one,
    all,
    visible,
    until,
    // Waits for a visible element with that test id.
    shown: (testid, within) => until(() => (visible(one(testid, within)) ? one(testid, within) : null), `${testid} to show`),
    screen: () => doc.getElementById('screen').dataset.screen,
    text: (el) => el.textContent.trim(),
    // Types into a field as a person would: the value, then the events the page listens to.
    type(field, value) {
      field.focus();
      field.value = value;
      field.dispatchEvent(new win.Event('input', { bubbles: true }));
      field.dispatchEvent(new win.Event('change', { bubbles: true }));
    },
    // Lets pending promises and a frame of rendering happen.
    settle: () => new Promise((resolve) => win.requestAnimationFrame(() => setTimeout(resolve, 0))),
  };
}
