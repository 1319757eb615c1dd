// What the page's fonts do with Bengali, measured in a document that has the page's style sheet.
// The page's tests call it on their frame's document; the end-to-end test hands it to Playwright's
// page.evaluate, so it uses nothing from outside itself.
//
// Without a font for Bengali every letter is the same empty box, so a line of ten different
// letters is exactly as wide as ten times one letter; with a real font they differ.
export async function bengaliFontFacts(doc = document) {
  const FAMILY = 'Noto Sans Bengali';
  const DISTINCT = 'কখগঘঙচছজঝঞ';
  const SAME = 'ক'.repeat(10);
  const LATIN = 'Use Quintet on this browser';
  const win = doc.defaultView;
  const unquote = (name) => name.trim().replace(/^["']|["']$/g, '');

  // What the page's own text made the browser load, before anything here asks for more.
  await doc.fonts.ready;
  const faces = [...doc.fonts].filter((face) => unquote(face.family) === FAMILY)
    .map((face) => ({ weight: face.weight, status: face.status, unicodeRange: face.unicodeRange, display: face.display }));

  const pageStack = win.getComputedStyle(doc.body).fontFamily;
  const withoutFace = pageStack.split(',').filter((name) => unquote(name) !== FAMILY).join(',');
  // Every face of the page's stack in use here is loaded before measuring (font-display: swap
  // would otherwise measure the fallback while the font is still on its way).
  // A face that cannot be loaded is reported by its status.
  await doc.fonts.load(`400 32px ${pageStack}`, DISTINCT).catch(() => {});

  const width = (text, family) => {
    const span = doc.createElement('span');
    span.lang = 'bn';
    span.textContent = text;
    // CSSOM, which the page's Content-Security-Policy allows (it refuses style attributes in HTML).
    Object.assign(span.style, {
      fontFamily: family, fontSize: '32px', fontWeight: '400', whiteSpace: 'nowrap', position: 'absolute', top: '0', left: '0',
    });
    doc.body.append(span);
    const measured = span.getBoundingClientRect().width;
    span.remove();
    return measured;
  };

  return {
    pageStack,
    faces,
    page: { distinct: width(DISTINCT, pageStack), same: width(SAME, pageStack) },
    // The page's face alone, by its name.
    face: { distinct: width(DISTINCT, `"${FAMILY}"`) },
    // A generic family, which on a machine without a Bengali font shows boxes.
    fallback: { distinct: width(DISTINCT, 'monospace'), same: width(SAME, 'monospace') },
    latin: { page: width(LATIN, pageStack), withoutFace: width(LATIN, withoutFace) },
  };
}

// Widths are equal when they differ by less than a hair (sub-pixel layout).
const sameWidth = (a, b) => Math.abs(a - b) < 0.5;

// "U+980-9FE, U+25CC" -> [[0x980, 0x9fe], [0x25cc, 0x25cc]]
function ranges(unicodeRange) {
  return unicodeRange.split(',').map((part) => {
    const [from, to = from] = part.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(from, 16), parseInt(to, 16)];
  });
}

export const WEIGHTS = ['400', '500', '600', '700'];

// What is wrong with the facts bengaliFontFacts measured: nothing, when the page brings a Bengali
// font of its own for Bengali only. Tells too whether this machine has a Bengali font itself.
export function fontProblems(facts) {
  const problems = [];
  const weights = facts.faces.map((face) => face.weight).sort();
  if (weights.join() !== WEIGHTS.join()) problems.push(`the page's Bengali faces have weights ${weights}, not ${WEIGHTS}`);
  for (const face of facts.faces) {
    const covered = ranges(face.unicodeRange);
    if (!covered.some(([from, to]) => from <= 0x0995 && 0x09fe <= to)) problems.push(`face ${face.weight} leaves out Bengali letters`);
    if (covered.some(([from]) => from < 0x0250)) problems.push(`face ${face.weight} also covers Latin: ${face.unicodeRange}`);
    if (face.display !== 'swap') problems.push(`face ${face.weight} has font-display ${face.display}`);
  }
  const regular = facts.faces.find((face) => face.weight === '400');
  if (regular?.status !== 'loaded') problems.push(`the page's Bengali text did not load the regular face (${regular?.status})`);
  if (sameWidth(facts.page.distinct, facts.page.same)) {
    problems.push(`Bengali shows as boxes: ten different letters are as wide as ten of one (${facts.page.distinct}px)`);
  }
  if (!sameWidth(facts.page.distinct, facts.face.distinct)) {
    problems.push(`Bengali is not drawn in the page's face (${facts.page.distinct}px, the face: ${facts.face.distinct}px)`);
  }
  if (!sameWidth(facts.latin.page, facts.latin.withoutFace)) {
    problems.push(`Latin text changed font (${facts.latin.page}px, without the face: ${facts.latin.withoutFace}px)`);
  }
  return problems;
}

// Whether this machine would show boxes without the page's font, which is what makes the width
// check above a proof that the page's font is what renders.
export function machineHasNoBengaliFont(facts) {
  return sameWidth(facts.fallback.distinct, facts.fallback.same);
}
