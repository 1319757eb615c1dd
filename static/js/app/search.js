// Searching the messages this browser holds, on the device itself: a MiniSearch full-text index
// (words split at spaces and punctuation in any script, so Bengali as well as English; a word
// typed in part finds the whole; a small typo is forgiven), built from the client core's texts
// when first used and kept up to date from its events. Nothing of it leaves the browser.
import MiniSearch from '/static/vendor/minisearch/index.js';

const FIELDS = ['body'];
const STORED = ['peer', 'body', 'timestamp', 'outgoing'];

export function messageSearch(device) {
  let index = null;
  let building = null;

  const searchable = (message) => !message.deleted && !message.unsupported && typeof message.body === 'string' && message.body !== '';

  function build() {
    building ??= (async () => {
      const fresh = new MiniSearch({ fields: FIELDS, storeFields: STORED, idField: 'id' });
      fresh.addAll((await device.allMessages()).filter(searchable));
      index = fresh;
    })();
    return building;
  }

  function put(message) {
    if (!index || !message?.id) return;
    if (index.has(message.id)) index.discard(message.id);
    if (searchable(message)) index.add(message);
  }

  device.addEventListener('message', (event) => put(event.detail));
  device.addEventListener('message-changed', (event) => put(event.detail));
  device.addEventListener('message-removed', (event) => {
    if (index?.has(event.detail.id)) index.discard(event.detail.id);
  });
  // Another account's history, or a new link: start again from what is stored.
  device.addEventListener('history-done', () => {
    index = null;
    building = null;
  });

  return {
    // The best hits first: [{ id, peer, body, timestamp, outgoing }].
    async search(query, { limit = 50 } = {}) {
      const text = query.trim();
      if (text === '') return [];
      await build();
      return index.search(text, { prefix: true, fuzzy: (term) => (term.length > 3 ? 0.2 : 0), combineWith: 'AND' })
        .slice(0, limit)
        .map(({ id, peer, body, timestamp, outgoing }) => ({ id, peer, body, timestamp, outgoing }));
    },
  };
}
