// What the page's fonts do with Bengali, measured in a document that has the page's style sheet.
// The page's tests call it on their frame's document; the end-to-end test hands it to Playwright's
// page.evaluate, so it uses nothing from outside itself.
//
// Without a font for Bengali every letter is the same empty box, so a line of ten different
// letters is exactly as wide as ten times one letter; with a real font they differ. Each Bengali
// word the page shows must be as wide as the page's face draws it.
export async function bengaliFontFacts(doc = document) {
  const FAMILY = 'Noto Sans Bengali';
  const DISTINCT = 'কখগঘঙচছজঝঞ';
  const SAME = 'ক'.repeat(10);
  const LATIN = 'Use Quintet on this browser';
  const win = doc.defaultView;
  const unquote = (name) => name.trim().replace(/^["']|["']$/g, '');

  // What the page's own text made the browser load, and nothing here asks for more: a browser
  // decides which font draws a letter when it first lays the letter out in a given font, so only
  // text in the page's own fonts, measured as the page's text is, shows what a person sees.
  await doc.fonts.ready;
  await new Promise((resolve) => win.requestAnimationFrame(() => setTimeout(resolve, 0)));
  await doc.fonts.ready;
  const faces = [...doc.fonts].filter((face) => unquote(face.family) === FAMILY)
    .map((face) => ({ weight: face.weight, status: face.status, unicodeRange: face.unicodeRange, display: face.display }));

  const width = (text, style) => {
    const span = doc.createElement('span');
    span.lang = 'bn';
    span.textContent = text;
    // CSSOM, which the page's Content-Security-Policy allows (it refuses style attributes in HTML).
    Object.assign(span.style, { ...style, whiteSpace: 'nowrap', position: 'absolute', top: '0', left: '0' });
    doc.body.append(span);
    const measured = span.getBoundingClientRect().width;
    span.remove();
    return measured;
  };

  // A Bengali word of each element that shows Bengali, as the page drew it, and as the page's face
  // alone draws it. (Measuring the page's own text, not a new line in the page's fonts: a browser
  // keeps what it laid out, and a line laid out before the font came may stay in boxes.)
  const words = [];
  const walker = doc.createTreeWalker(doc.body, win.NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const word = /[\u0980-\u09ff]{3,}/.exec(node.data);
    if (!word || node.parentElement.getClientRects().length === 0) continue;
    const range = doc.createRange();
    range.setStart(node, word.index);
    range.setEnd(node, word.index + word[0].length);
    const { fontWeight, fontSize, fontStyle } = win.getComputedStyle(node.parentElement);
    words.push({
      word: word[0],
      font: `${fontWeight} ${fontSize}`,
      page: range.getBoundingClientRect().width,
      face: width(word[0], { fontFamily: `"${FAMILY}"`, fontWeight, fontSize, fontStyle }),
    });
  }

  const body = win.getComputedStyle(doc.body);
  const withoutFace = body.fontFamily.split(',').filter((name) => unquote(name) !== FAMILY).join(',');
  const base = { fontWeight: '400', fontSize: body.fontSize };
  return {
    pageStack: body.fontFamily,
    faces,
    words,
    // The face itself draws letters, not boxes.
    face: {
      distinct: width(DISTINCT, { ...base, fontFamily: `"${FAMILY}"` }), same: width(SAME, { ...base, fontFamily: `"${FAMILY}"` }),
    },
    // A generic family, which on a machine without a Bengali font shows boxes.
    fallback: { distinct: width(DISTINCT, { ...base, fontFamily: 'monospace' }), same: width(SAME, { ...base, fontFamily: 'monospace' }) },
    latin: {
      page: width(LATIN, { ...base, fontFamily: body.fontFamily }),
      withoutFace: width(LATIN, { ...base, fontFamily: withoutFace }),
    },
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
  if (sameWidth(facts.face.distinct, facts.face.same)) problems.push('the page\'s face draws Bengali as boxes');
  if (facts.words.length === 0) problems.push('the page shows no Bengali text');
  for (const weight of new Set(facts.words.map(({ font }) => font.split(' ')[0]))) {
    const status = facts.faces.find((face) => face.weight === weight)?.status;
    if (status !== 'loaded') problems.push(`the page shows Bengali in weight ${weight}, whose face is ${status}`);
  }
  for (const { word, font, page, face } of facts.words) {
    if (!sameWidth(page, face)) problems.push(`"${word}" (${font}) is not drawn in the page's face: ${page}px, the face: ${face}px`);
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
