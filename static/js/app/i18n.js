// The page's text. The server renders every message of the page's language into
// <template id="strings"> (templates/index.html); scripts look them up by key here.

// Reads the strings the server rendered into the page.
export function readStrings(doc) {
  const strings = {};
  for (const item of doc.getElementById('strings').content.querySelectorAll('data')) {
    strings[item.value] = item.textContent;
  }
  return strings;
}

// lang: the page's language ('en', 'bn'); strings: key -> text with {name} placeholders.
// onMissing(key) is called for a key the strings do not have (the tests make that fail); the key
// itself is shown, which is ugly but keeps the page working.
export function createI18n(lang, strings, { onMissing = () => {} } = {}) {
  const numbers = new Intl.NumberFormat(lang);
  const i18n = {
    lang,
    has: (key) => Object.hasOwn(strings, key),
    // Numbers in params are written in the language's digits (Bengali: ০১২৩...).
    t(key, params = {}) {
      if (!i18n.has(key)) {
        onMissing(key);
        return key;
      }
      return strings[key].replace(/\{(\w+)\}/g, (whole, name) => {
        if (!Object.hasOwn(params, name)) return whole;
        const value = params[name];
        return typeof value === 'number' ? numbers.format(value) : String(value);
      });
    },
    number: (n) => numbers.format(n),
  };
  return i18n;
}
