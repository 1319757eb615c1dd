// Telling the person a message came while they look elsewhere: the tab's title counts the unread
// messages of every chat, and with their permission (asked for on a click in Settings, never on
// load) a desktop notification names the sender. None for a chat open in a tab that has the
// focus or for a muted chat, and none once turned off in Settings (kept in this browser).
import { isMuted } from '../client/index.js';

const SETTING_KEY = 'quintet.notifications';

// The tab's title: "(3) Quintet Web" while 3 messages are unread.
export function watchUnread(app) {
  const { device, doc } = app;
  const base = doc.title;
  async function update() {
    let unread = 0;
    try {
      for (const { unread: count } of await device.conversations()) unread += count;
    } catch {
      return;
    }
    doc.title = unread > 0 ? `(${app.i18n.number(unread)}) ${base}` : base;
  }
  for (const type of ['message', 'message-changed', 'message-removed', 'conversation-read', 'state', 'history-done']) {
    device.addEventListener(type, update);
  }
  // The conversation on screen marks itself read when it shows.
  app.unreadChanged = update;
  update();
}

export function startNotifications(app) {
  const { device, doc, t } = app;
  const win = doc.defaultView;
  const storage = win.localStorage;
  const api = () => win.Notification;

  const alerts = {
    // 'unsupported', 'denied', 'off' (allowed, but turned off here), 'on', or 'ask' (never asked).
    get state() {
      const Notification = api();
      if (typeof Notification !== 'function') return 'unsupported';
      if (Notification.permission === 'denied') return 'denied';
      if (storage?.getItem(SETTING_KEY) === 'off') return 'off';
      return Notification.permission === 'granted' ? 'on' : 'ask';
    },
    // Asks for the permission (a click's handler calls this) and turns notifications on.
    async enable() {
      storage?.setItem(SETTING_KEY, 'on');
      if (api().permission !== 'granted') await api().requestPermission();
      return alerts.state;
    },
    disable() {
      storage?.setItem(SETTING_KEY, 'off');
    },
  };

  device.addEventListener('message', (event) => {
    const message = event.detail;
    if (!message || message.outgoing || message.unsupported || alerts.state !== 'on') return;
    const looking = doc.visibilityState === 'visible' && doc.hasFocus() && app.openChat?.() === message.peer;
    if (looking) return;
    notify(message).catch(() => {});
  });

  async function notify(message) {
    const conversation = (await device.conversations()).find((c) => c.peer === message.peer);
    if (isMuted(conversation)) return;
    const notification = new (api())(app.nameOf(message.peer), {
      body: message.body, tag: `quintet-${message.peer}`, lang: app.i18n.lang,
    });
    notification.onclick = () => {
      win.focus();
      app.showChat?.(message.peer);
      notification.close();
    };
  }
  return alerts;
}
