// Measures the web page's budgets and prints them (numbers, not a pass/fail test):
//   - time from navigation to the first drawn frame (budget: 2 s), median of 3 loads;
//   - size of nnplay.wasm + nnplay.js before compression (budget: 3 MB), and gzipped;
//   - frame time while the network lab trains (budget: 20 ms): the C++ frame's own work
//     (events, panels, training slice, drawing) and the interval between browser frames.
// Run through scripts/bench-web.sh, which serves the page.
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

import { BASE_URL, SITE_DIR, command, launch, openPage, waitReady } from './lib/browser.mjs';

const fmt = (n, digits = 1) => Number(n).toFixed(digits);
const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const median = (xs) => pct(xs, 0.5);

// Intervals between the next 120 browser frames (requestAnimationFrame), in ms.
const rafGaps = (page) => page.evaluate(() => new Promise((resolve) => {
  const gaps = [];
  let last = performance.now();
  const tick = (t) => {
    gaps.push(t - last);
    last = t;
    if (gaps.length < 120) requestAnimationFrame(tick);
    else resolve(gaps);
  };
  requestAnimationFrame(tick);
}));

const sizes = {};
for (const f of ['nnplay.wasm', 'nnplay.js', 'nnplay-glue.js', 'index.html']) {
  const bytes = statSync(join(SITE_DIR, f)).size;
  sizes[f] = { bytes, gzip: gzipSync(readFileSync(join(SITE_DIR, f)), { level: 9 }).length };
}
const moduleBytes = sizes['nnplay.wasm'].bytes + sizes['nnplay.js'].bytes;
const moduleGzip = sizes['nnplay.wasm'].gzip + sizes['nnplay.js'].gzip;

const browser = await launch();
try {
  const firstFrames = [];
  for (let i = 0; i < 3; i++) {
    const { page, context } = await openPage(browser, { viewport: { width: 1280, height: 800 } });
    await page.goto(BASE_URL);
    await waitReady(page);
    firstFrames.push(await page.evaluate(() => window.nnplay.firstFrameMs));
    await context.close();
  }

  // The tutorial's XOR network with a high epoch limit, so it still trains while the
  // last 240 frames (what the stats keep) are sampled; then the same panel paused.
  // Software WebGL's cost grows with the canvas's pixels, so a small canvas is measured too.
  const measure = async (viewport) => {
    const { page, context } = await openPage(browser, { viewport });
    await page.goto(new URL('?panel=network&epochs=200000', BASE_URL).href);
    await waitReady(page);
    await command(page, 'network.train');
    await page.waitForTimeout(5000);
    const raf = await rafGaps(page);
    const training = await page.evaluate(() => ({ stats: window.nnplay.frameStats(), net: window.nnplay.state().network }));
    await command(page, 'network.pause');
    await page.waitForTimeout(5000);
    const idle = await page.evaluate(() => ({ stats: window.nnplay.frameStats(), net: window.nnplay.state().network }));
    await context.close();
    return { raf, training, idle };
  };
  const big = await measure({ width: 1280, height: 800 });
  const small = await measure({ width: 640, height: 400 });

  const line = (s) => `mean ${fmt(s.mean, 2)} ms, p50 ${fmt(s.p50, 2)}, p95 ${fmt(s.p95, 2)}, max ${fmt(s.max, 2)} (${s.samples} frames)`;
  console.log('nnplay web budgets (headless Chromium, WebGL2 on SwiftShader, this machine)');
  console.log(`  first frame after navigation : median ${fmt(median(firstFrames), 0)} ms ` +
              `(runs: ${firstFrames.map((x) => fmt(x, 0)).join(', ')})   budget 2000 ms`);
  console.log(`  nnplay.wasm + nnplay.js      : ${fmt(moduleBytes / 1048576, 2)} MB ` +
              `(wasm ${fmt(sizes['nnplay.wasm'].bytes / 1024, 0)} KiB, js ${fmt(sizes['nnplay.js'].bytes / 1024, 0)} KiB; ` +
              `gzip -9 ${fmt(moduleGzip / 1048576, 2)} MB)   budget 3 MB`);
  for (const [name, m] of [['1280x800', big], ['640x400', small]]) {
    console.log(`  ${name} page, network training : frame ${line(m.training.stats.frame)}   budget 20 ms`);
    console.log(`    of which App::frame()          : ${line(m.training.stats.app)}`);
    console.log(`    browser frame interval         : p50 ${fmt(median(m.raf), 2)} ms, p95 ${fmt(pct(m.raf, 0.95), 2)} ms; ` +
                `${m.training.net.epoch} epochs in ~6 s`);
    console.log(`  ${name} page, network paused   : frame ${line(m.idle.stats.frame)}`);
    console.log(`    of which App::frame()          : ${line(m.idle.stats.app)}`);
  }
} finally {
  await browser.close();
}
