// Reads the page's message files (templates/i18n/*.properties) the way java.util.Properties does,
// for the subset they use: `key=value` lines, `#` comments, blank lines, no backslashes
// (i18n.test.js checks that the files keep to it).
export function parseProperties(text) {
  const entries = {};
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(line)) continue;
    const at = line.indexOf('=');
    if (at < 0) throw new Error(`not key=value: ${JSON.stringify(line)}`);
    entries[line.slice(0, at).trim()] = line.slice(at + 1).replace(/^\s+/, '');
  }
  return entries;
}

export async function loadStrings(ctx, lang) {
  return parseProperties(await ctx.file(`templates/i18n/messages_${lang}.properties`));
}
