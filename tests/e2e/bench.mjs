// Measures the web page's budgets and prints them (numbers, not a pass/fail test):
//   - time from navigation to the first drawn frame (budget: 1 s), median of 3 loads, in
//     English and in Korean;
//   - the page's download before compression, fonts included (budget: 3 MB): nnplay.wasm
//     (which embeds the subset fonts), nnplay.js, the glue and the HTML; and gzipped;
//   - frame time while the network lab trains (budget: 16.7 ms): the C++ frame's own work
//     (events, panels, training slice, drawing) and the interval between browser frames,
//     beside the interval for a page that only clears a WebGL2 canvas of the same size; at
//     1280x800 in both languages, and at 640x400;
//   - the MNIST panel training the small CNN on the subset: frame time, and one epoch's
//     training time and wall-clock time (goal: 5 s);
//   - the MNIST panel: the packed subset's load from 127.0.0.1 (budget: 1 s), one training
//     epoch on its 10,000 images in the page (budget: 1 s), drawing to prediction (budget:
//     one frame, 16.7 ms at 60 Hz), and the WebAssembly heap with the subset loaded (128 MB).
// Run through scripts/bench-web.sh, which serves the page.
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

import { BASE_URL, SITE_DIR, command, launch, openPage, state, waitFrames, waitReady, waitState } from './lib/browser.mjs';

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
for (const f of ['nnplay.wasm', 'nnplay.js', 'nnplay-glue.js', 'gl-state-shadow.js', 'index.html']) {
  const bytes = statSync(join(SITE_DIR, f)).size;
  sizes[f] = { bytes, gzip: gzipSync(readFileSync(join(SITE_DIR, f)), { level: 9 }).length };
}
const moduleBytes = sizes['nnplay.wasm'].bytes + sizes['nnplay.js'].bytes;
const pageBytes = Object.values(sizes).reduce((a, f) => a + f.bytes, 0);
const pageGzip = Object.values(sizes).reduce((a, f) => a + f.gzip, 0);
const LANGS = ['en', 'ko'];

const browser = await launch();
try {
  const firstFrames = { en: [], ko: [] };
  for (let i = 0; i < 3; i++) {
    for (const lang of LANGS) {
      const { page, context } = await openPage(browser, { viewport: { width: 1280, height: 800 } });
      await page.goto(new URL(`?lang=${lang}`, BASE_URL).href);
      await waitReady(page);
      firstFrames[lang].push(await page.evaluate(() => window.nnplay.firstFrameMs));
      await context.close();
    }
  }

  // The tutorial's XOR network with a high epoch limit, so it still trains while the
  // last 240 frames (what the stats keep) are sampled; then the same panel paused.
  // Software WebGL's cost grows with the canvas's pixels, so a small canvas is measured too.
  const measure = async (viewport, lang = 'en') => {
    const { page, context } = await openPage(browser, { viewport });
    await page.goto(new URL(`?panel=network&epochs=200000&lang=${lang}`, BASE_URL).href);
    await waitReady(page);
    await command(page, 'network.train');
    await page.waitForTimeout(5000);
    const raf = await rafGaps(page);
    const training = await page.evaluate(() => ({ stats: window.nnplay.frameStats(), net: window.nnplay.state().network }));
    await command(page, 'network.pause');
    await page.waitForTimeout(5000);
    const idleRaf = await rafGaps(page);
    const idle = await page.evaluate(() => ({ stats: window.nnplay.frameStats(), net: window.nnplay.state().network }));
    await context.close();
    // The browser's own floor at this size: a page whose only work is to clear a
    // full-window WebGL2 canvas each frame, in the same browser.
    const ref = await openPage(browser, { viewport });
    await ref.page.setContent('<body style="margin:0;overflow:hidden"><canvas id="c" style="width:100vw;height:100vh;display:block"></canvas></body>');
    await ref.page.evaluate(() => {
      const c = document.getElementById('c');
      c.width = innerWidth * devicePixelRatio;
      c.height = innerHeight * devicePixelRatio;
      const gl = c.getContext('webgl2');
      const frame = (t) => { gl.clearColor(0.1, 0.1, 0.12 + 0.01 * Math.sin(t / 500), 1); gl.clear(gl.COLOR_BUFFER_BIT); requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
    });
    await ref.page.waitForTimeout(2000);
    const floorRaf = await rafGaps(ref.page);
    await ref.context.close();
    return { raf, idleRaf, floorRaf, training, idle };
  };
  const big = await measure({ width: 1280, height: 800 });
  const bigKo = await measure({ width: 1280, height: 800 }, 'ko');
  const small = await measure({ width: 640, height: 400 });

  // The MNIST panel's small CNN (the model combo's "small CNN"), from the seed on the
  // subset: the first epoch's training time (its steps alone) and its wall-clock time from
  // "train" to its last step and to the end of its evaluation; then, 2 s into the second
  // epoch (so that the 240 frames the stats keep are all training frames), the frame.
  const SMALL_CNN = '?panel=mnist&mlayers=conv5x5x8%2Cpool2%2Cconv3x3x16%2Cpool2%2Cfc64%2Cfc10&mopt=adam&mlr=0.005&mbatch=32&mepochs=2';
  const cnn = await openPage(browser, { viewport: { width: 1280, height: 800 } });
  await cnn.page.goto(new URL(SMALL_CNN, BASE_URL).href);
  await waitReady(cnn.page);
  await waitState(cnn.page, (s) => s.mnist.data.state === 'ready' && !s.mnist.waiting_for_page_weights,
                  { what: 'the MNIST subset', timeout: 60000 });
  await command(cnn.page, 'mnist.reset');
  const cnnStart = Date.now();
  await command(cnn.page, 'mnist.train');
  await waitState(cnn.page, (s) => s.mnist.epoch >= 1, { what: 'one CNN epoch', timeout: 300000, interval: 20 });
  const cnnTrainWall = (Date.now() - cnnStart) / 1000;
  const cnnEvaluated = (await waitState(cnn.page, (s) => s.mnist.eval_at_epoch >= 1 && s.mnist.eval_count > 0,
                                        { what: 'the first CNN epoch evaluated', timeout: 300000, interval: 20 })).mnist;
  const cnnWall = (Date.now() - cnnStart) / 1000;
  await cnn.page.waitForTimeout(2000);
  const cnnFrames = await cnn.page.evaluate(() => window.nnplay.frameStats());
  const cnnStill = (await state(cnn.page)).mnist.running;
  await cnn.context.close();

  // The MNIST panel: three page loads for the subset's load time, then on the last page
  // three epochs of the tutorial's linear model from the seed, and strokes on the pad.
  const mnistLoads = [];
  let mnistPage;
  for (let i = 0; i < 3; i++) {
    if (mnistPage) await mnistPage.context.close();
    mnistPage = await openPage(browser, { viewport: { width: 1280, height: 800 } });
    await mnistPage.page.goto(new URL('?panel=mnist&mepochs=3', BASE_URL).href);
    await waitReady(mnistPage.page);
    await waitState(mnistPage.page, (s) => s.mnist.data.state === 'ready' && !s.mnist.waiting_for_page_weights,
                    { what: 'the MNIST subset', timeout: 60000 });
    mnistLoads.push(await mnistPage.page.evaluate(() => window.nnplay.mnist));
  }
  const mp = mnistPage.page;
  await command(mp, 'mnist.reset');
  await command(mp, 'mnist.train');
  const trained = (await waitState(mp, (s) => !s.mnist.running && s.mnist.epoch === 3 && !s.mnist.evaluating,
                                   { what: 'three MNIST epochs', timeout: 300000 })).mnist;
  const latencies = [];
  for (const strokes of ['[[[0.52,0.15],[0.5,0.5],[0.48,0.85]]]', '[[[0.3,0.2],[0.7,0.2],[0.45,0.85]]]',
                         '[[[0.5,0.2],[0.5,0.8]],[[0.2,0.5],[0.8,0.5]]]']) {
    for (let i = 0; i < 5; i++) {
      await command(mp, 'mnist.clear');
      await command(mp, `mnist.draw=${strokes}`);
      await waitFrames(mp, 1);
      latencies.push((await state(mp)).mnist.pad.latency_ms);
    }
  }
  const heapBytes = await mp.evaluate(() => (window.Module.HEAP8 ? window.Module.HEAP8.length : NaN));
  await mnistPage.context.close();

  const line = (s) => `mean ${fmt(s.mean, 2)} ms, p50 ${fmt(s.p50, 2)}, p95 ${fmt(s.p95, 2)}, max ${fmt(s.max, 2)} (${s.samples} frames)`;
  console.log('nnplay web budgets (headless Chromium, WebGL2 on SwiftShader, this machine)');
  for (const lang of LANGS)
    console.log(`  first frame after navigation, lang=${lang} : median ${fmt(median(firstFrames[lang]), 0)} ms ` +
                `(runs: ${firstFrames[lang].map((x) => fmt(x, 0)).join(', ')})   budget 1000 ms`);
  console.log(`  the page's download          : ${fmt(pageBytes / 1048576, 2)} MB, fonts included ` +
              `(wasm ${fmt(sizes['nnplay.wasm'].bytes / 1024, 0)} KiB, js ${fmt(sizes['nnplay.js'].bytes / 1024, 0)} KiB, ` +
              `the rest ${fmt((pageBytes - moduleBytes) / 1024, 0)} KiB; gzip -9 ${fmt(pageGzip / 1048576, 2)} MB)   budget 3 MB`);
  const rafLine = (g) => `mean ${fmt(g.reduce((a, b) => a + b, 0) / g.length, 2)} ms, p50 ${fmt(median(g), 2)} ms, p95 ${fmt(pct(g, 0.95), 2)} ms`;
  for (const [name, m] of [['1280x800', big], ['1280x800 lang=ko', bigKo], ['640x400', small]]) {
    console.log(`  ${name} page, network training : frame ${line(m.training.stats.frame)}   budget 16.7 ms`);
    console.log(`    draw data per frame            : ${m.training.stats.vertices} vertices, ${m.training.stats.indices} indices`);
    console.log(`    of which App::frame()          : ${line(m.training.stats.app)}`);
    console.log(`    of which WebGL calls           : ${line(m.training.stats.gl)}`);
    console.log(`    browser frame interval         : ${rafLine(m.raf)}; ` +
                `${m.training.net.epoch} epochs in ~6 s`);
    console.log(`  ${name} page, network paused   : frame ${line(m.idle.stats.frame)}`);
    console.log(`    of which App::frame()          : ${line(m.idle.stats.app)}`);
    console.log(`    of which WebGL calls           : ${line(m.idle.stats.gl)}`);
    console.log(`    browser frame interval         : ${rafLine(m.idleRaf)}`);
    console.log(`  ${name} empty WebGL2 page (clear only), browser frame interval: ${rafLine(m.floorRaf)}`);
  }
  const loadMs = mnistLoads.map((l) => l.loadMs);
  console.log(`  MNIST subset load (${fmt(mnistLoads[0].bytes / 1048576, 2)} MB gzipped IDX): median ${fmt(median(loadMs), 0)} ms ` +
              `fetched, inflated and parsed (runs: ${loadMs.map((x) => fmt(x, 0)).join(', ')}; fetch alone ` +
              `${mnistLoads.map((l) => fmt(l.fetchMs, 0)).join(', ')})   budget 1000 ms`);
  console.log(`  MNIST epoch on ${trained.train_count} images in the page (784-10, SGD, batch 100): ` +
              `${trained.epoch_seconds.map((x) => fmt(x, 3)).join(', ')} s of training, test accuracy ` +
              `${fmt(trained.test_acc, 4)} after 3   budget 1 s`);
  console.log(`  MNIST drawing to prediction : median ${fmt(median(latencies), 3)} ms, max ${fmt(Math.max(...latencies), 3)} ms ` +
              `(${latencies.length} drawings)   budget one frame (16.7 ms)`);
  console.log(`  WebAssembly heap with the subset and a trained model: ${fmt(heapBytes / 1048576, 1)} MB   budget 128 MB`);
  console.log(`  1280x800 page, MNIST small CNN training : frame ${line(cnnFrames.frame)}   budget 16.7 ms` +
              (cnnStill ? '' : '  (the run had ended: frames include idle ones)'));
  console.log(`    of which App::frame()          : ${line(cnnFrames.app)}`);
  console.log(`  small CNN epoch on ${cnnEvaluated.train_count} images in the page: ${fmt(cnnEvaluated.epoch_seconds[0], 2)} s of training, ` +
              `${fmt(cnnTrainWall, 2)} s on the wall clock to its last step, ${fmt(cnnWall, 2)} s with the evaluation of ` +
              `${cnnEvaluated.eval_count} test images; test accuracy ${fmt(cnnEvaluated.test_acc, 4)}   goal 5 s`);
} finally {
  await browser.close();
}
