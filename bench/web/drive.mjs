// Runs one benchmark page in Debian's headless Chromium (playwright-core from tests/e2e,
// launched with the project's flags from tests/e2e/lib/browser.mjs) and prints what the
// page's program printed, so that bench/run-web-bench.sh logs browser and node runs alike.
//   node bench/web/drive.mjs nnplay <nnplay-bench arguments...>   (nnplay.html)
//   node bench/web/drive.mjs tfjs loop|fit <epochs>               (tfjs.html)
//   node bench/web/drive.mjs tfjs-cnn [tfjs_cnn.mjs options...]    (tfjs.html, the CNN)
// NNPLAY_BENCH_URL is the served folder (build/web-bench/site); a fresh browser per run,
// like a fresh node process.
import { readdirSync, readFileSync } from 'node:fs';

import { launch } from '../../tests/e2e/lib/browser.mjs';

// Peak resident memory (VmHWM) of this run's renderer processes, in KiB: the processes whose
// ancestors include this node process (so another browser on the machine is not counted).
function rendererPeakKb() {
  const parent = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^PPid:\s+(\d+)/m)?.[1] || 0);
  const ours = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 10; p = parent(p), ++hops) if (p === process.pid) return true;
    return false;
  };
  let peak = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer') || !ours(pid)) continue;
      const hwm = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m)?.[1] || 0);
      peak = Math.max(peak, hwm);
    } catch {
      // the process ended while it was being read
    }
  }
  return peak;
}

const [what, ...rest] = process.argv.slice(2);
const base = process.env.NNPLAY_BENCH_URL || 'http://127.0.0.1:8090/';
const limitS = Number(process.env.NNPLAY_BENCH_TIMEOUT_S || 300);

const timer = setTimeout(() => {
  console.error(`drive.mjs: no result after ${limitS} s`);
  process.exit(124);
}, limitS * 1000);

const browser = await launch();
let rc = 1;
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  console.log(`BROWSER ${browser.version()}`);
  let result;
  if (what === 'nnplay') {
    await page.goto(new URL('nnplay.html', base).href);
    await page.waitForFunction(() => typeof window.runNnplayBench === 'function');
    result = await page.evaluate((args) => window.runNnplayBench(args), rest);
  } else if (what === 'tfjs') {
    await page.goto(new URL('tfjs.html', base).href);
    await page.waitForFunction(() => window.tfjsPageReady === true);
    result = await page.evaluate((o) => window.runTfjsBench(o), { mode: rest[0], epochs: Number(rest[1] || 3) });
  } else if (what === 'tfjs-cnn') {
    // The node program's options (--layers, --lr, --lr-every, --lr-gamma, --epochs,
    // --train-limit, --steps, --backend).
    const keys = { '--layers': 'layers', '--lr': 'lr', '--lr-every': 'lrEvery', '--lr-gamma': 'lrGamma',
                   '--epochs': 'epochs', '--train-limit': 'trainLimit',
                   '--steps': 'maxSteps', '--backend': 'backend' };
    const o = {};
    for (let i = 0; i < rest.length; i += 2) {
      if (!keys[rest[i]]) throw new Error(`drive.mjs tfjs-cnn: unknown option ${rest[i]}`);
      o[keys[rest[i]]] = rest[i] === '--layers' || rest[i] === '--backend' ? rest[i + 1] : Number(rest[i + 1]);
    }
    await page.goto(new URL('tfjs.html', base).href);
    await page.waitForFunction(() => window.tfjsPageReady === true);
    result = await page.evaluate((opts) => window.runTfjsCnnBench(opts), o);
  } else {
    throw new Error('usage: drive.mjs nnplay ARGS... | tfjs loop|fit EPOCHS | tfjs-cnn OPTIONS...');
  }
  for (const line of result.lines) console.log(line);
  for (const p of problems) console.log(`PROBLEM ${p}`);
  console.log(`PEAK_RSS_KB ${rendererPeakKb()}`);
  rc = result.rc;
} catch (e) {
  console.error(`drive.mjs: ${e.stack || e}`);
} finally {
  await browser.close();
  clearTimeout(timer);
}
// No process.exit(): it could cut off output still queued for a pipe.
process.exitCode = rc;
