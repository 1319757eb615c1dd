// Building the page's elements. Text always goes in as text nodes, never as HTML: message bodies,
// device names and numbers come from other people's devices.

// h('button', { type: 'button', class: 'x', dataset: { testid: 'y' }, onclick: fn }, 'text', child)
// Props that are functions named on* become listeners; `false`, null and undefined are left out.
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function replaceChildren(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// Collects what a screen sets up (listeners, timers, child scopes) so that leaving the screen
// undoes all of it at once.
export class Scope {
  #cleanups = [];

  listen(target, type, fn) {
    target.addEventListener(type, fn);
    this.#cleanups.push(() => target.removeEventListener(type, fn));
    return fn;
  }

  every(ms, fn) {
    const id = setInterval(fn, ms);
    this.#cleanups.push(() => clearInterval(id));
  }

  child() {
    const scope = new Scope();
    this.#cleanups.push(() => scope.dispose());
    return scope;
  }

  onDispose(fn) {
    this.#cleanups.push(fn);
  }

  dispose() {
    for (const cleanup of this.#cleanups.splice(0).reverse()) cleanup();
  }
}
