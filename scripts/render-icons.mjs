#!/usr/bin/env node
// Renders the page's raster icons from its one drawing, static/img/icon.svg, with Debian's headless
// Chromium (or $CHROMIUM_PATH) through playwright-core, into static/img/. The PNGs are committed: run
// this again after changing the drawing.
//   node scripts/render-icons.mjs
// Installing the page as an app needs raster icons (Chromium asks for 192 and 512 px); a launcher
// that cuts icons to its own shape needs a "maskable" one, whose colour fills the square and whose
// drawing keeps inside the middle 80% circle; iOS takes a square without transparency and rounds
// it itself.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const images = fileURLToPath(new URL('../static/img/', import.meta.url));
const drawing = fs.readFileSync(path.join(images, 'icon.svg'), 'utf8');

// fullBleed: the background square without its rounded corners. scale: the dots' size around the
// centre (0.8 brings the outermost dot from 42% of the width from the centre to 34%, inside the
// maskable safe zone's 40%).
const ICONS = [
  { file: 'icon-192.png', size: 192, fullBleed: false, scale: 1 },
  { file: 'icon-512.png', size: 512, fullBleed: false, scale: 1 },
  { file: 'icon-maskable-512.png', size: 512, fullBleed: true, scale: 0.8 },
  { file: 'apple-touch-icon.png', size: 180, fullBleed: true, scale: 1 },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size }, deviceScaleFactor: 1 });
    await page.setContent(`<!DOCTYPE html><html><body style="margin:0">${drawing}</body></html>`);
    await page.evaluate(({ size, fullBleed, scale }) => {
      const svg = document.querySelector('svg');
      svg.setAttribute('width', size);
      svg.setAttribute('height', size);
      svg.style.display = 'block';
      if (fullBleed) svg.querySelector('rect').removeAttribute('rx');
      const { x, y, width, height } = svg.viewBox.baseVal;
      const [cx, cy] = [x + width / 2, y + height / 2];
      svg.querySelector('g').setAttribute('transform', `translate(${cx} ${cy}) scale(${scale}) translate(${-cx} ${-cy})`);
    }, icon);
    await page.screenshot({ path: path.join(images, icon.file), omitBackground: true });
    await page.close();
    console.log(`static/img/${icon.file}: ${icon.size}x${icon.size}`);
  }
} finally {
  await browser.close();
}
