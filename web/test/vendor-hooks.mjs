// Node resolves the page's vendored modules as the web jar serves them: static/vendor/X/ is, at run
// time, a directory of an npm package (web/pom.xml copies it there); here it is that package in
// node_modules. Registered by run-node.mjs before any module of the page is imported.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const VENDORED = {
  'noble-hashes': path.join(root, 'node_modules', '@noble', 'hashes'),
  tus: path.join(root, 'node_modules', 'tus-js-client', 'dist'),
};
const staticVendor = pathToFileURL(path.join(root, 'static', 'vendor')).href;

export async function resolve(specifier, context, next) {
  if (context.parentURL && (specifier.startsWith('.') || specifier.startsWith('/static/vendor/'))) {
    const url = specifier.startsWith('/static/vendor/')
      ? `${staticVendor}${specifier.slice('/static/vendor'.length)}`
      : new URL(specifier, context.parentURL).href;
    for (const [name, dir] of Object.entries(VENDORED)) {
      const prefix = `${staticVendor}/${name}/`;
      if (url.startsWith(prefix)) return next(pathToFileURL(path.join(dir, url.slice(prefix.length))).href, context);
    }
  }
  return next(specifier, context);
}
