// Soak test of the page: headless Chromium drives it through its test hooks the way a user
// would, only faster (panels, training in per-frame slices, settings, saving and loading
// weights), for NNPLAY_SOAK_SECONDS (default 600), and watches what only a long run shows:
// memory that keeps growing (the WebAssembly heap's size and what malloc holds in it, and
// the resident memory of the renderer process that runs the page, with V8's JavaScript
// heap shown beside it to tell the two apart) and frame time that creeps. A line every 10 s, a table per minute, then a verdict; exit status 1 on failure.
//
// The run repeats a one-minute cycle, so every minute does the same work: memory sampled
// after the first minute must stay within the limits below of what it was at one minute,
// and the median frame time of the last minute within CREEP_RATIO (and CREEP_SLACK_MS) of
// the second minute's. Runs shorter than MIN_VERDICT_SECONDS only check that the page keeps
// working (every command succeeds, no error in the page or its panels, both trainings
// progress). The cycle mirrors native/app/soak.cpp (the desktop's --soak); change both.
//
// Run: scripts/soak.sh (serves a built page and runs this file). Options: --seconds N;
// NNPLAY_URL is the page, NNPLAY_ARTIFACTS where soak-web.json (every sample) is written.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';

import { artifact, command, launch, loadPage, state, waitState } from './lib/browser.mjs';

const argSeconds = process.argv.indexOf('--seconds');
const SECONDS = Number(argSeconds > 0 ? process.argv[argSeconds + 1] : process.env.NNPLAY_SOAK_SECONDS || 600);
if (!(SECONDS > 0)) {
  console.error('soak.mjs: --seconds (or NNPLAY_SOAK_SECONDS) must be a positive number');
  process.exit(2);
}

const CYCLE_SECONDS = 60;
const SAMPLE_SECONDS = 10;
const FRAME_POLL_SECONDS = 2;  // the frame hook keeps the last 240 frames, about 4 s
const MIN_VERDICT_SECONDS = 180;
const MAX_HEAP_USED_GROWTH_MB = 16;  // what malloc holds in the WebAssembly heap
const MAX_HEAP_SIZE_GROWTH_MB = 32;  // the heap itself (it grows in steps and never shrinks)
const MAX_RSS_GROWTH_MB = 64;        // the renderer process: V8's heaps and caches breathe
const CREEP_RATIO = 1.3;
const CREEP_SLACK_MS = 1.0;

// One minute of what a user does, faster. {ds} is the network lab's dataset (a different
// one each cycle). The page saves into its in-memory file system (/soak), and once a cycle
// by a download (a bare name), as its "Download the current model" button does.
const FULL_CYCLE = [
  [0, 'settings=panel=network&dataset={ds}&epochs=10000000&mtrain=10000&mtest=2000&mepochs=1000'],
  [0, 'network.train'],
  [6, 'act=tanh'],
  [6, 'layers=2-16-16-1'],
  [6, 'network.train'],
  [12, 'lr=0.3'],
  [16, 'network.pause'],
  [17, 'step.open=network'],
  [17, 'step.next'],
  [17, 'step.next'],
  [17, 'step.next'],
  [20, 'panel=mnist'],
  [20, 'mlayers=784-128-10'],
  [20, 'mopt=adam'],
  [20, 'mlr=0.001'],
  [20, 'mnist.train'],
  [27, 'mnist.pause'],
  [27, 'mnist.save_weights=/soak/mlp.safetensors'],
  [27, 'mnist.random_digit'],
  [28, 'mnist.draw=[[[0.53,0.14],[0.52,0.3],[0.5,0.5],[0.49,0.7],[0.48,0.86]]]'],
  [29, 'step.open=mnist'],
  [29, 'step.next'],
  [29, 'panel=mnist'],
  [30, 'mlayers=conv5x5x8,pool2,conv3x3x16,pool2,fc64,fc10'],
  [30, 'mnist.train'],
  [37, 'mnist.pause'],
  [37, 'mnist.save_weights=/soak/cnn.safetensors'],
  [37, 'mnist.load_weights=/soak/mlp.safetensors'],
  [37, 'mnist.sample_next'],
  [39, 'mnist.load_weights=/soak/cnn.safetensors'],
  [39, 'mnist.train'],
  [42, 'mnist.pause'],
  [42, 'mnist.save_weights'],
  [42, 'mnist.load_cnn'],
  [44, 'panel=gates'],
  [44, 'gates.learn'],
  [44, 'xor221.train'],
  [48, 'lang=ko'],
  [48, 'panel=loss'],
  [48, 'scale=200'],
  [52, 'lang=en'],
  [52, 'xor221.pause'],
  [52, 'gates.pause'],
  [52, 'gate=xor'],
  [54, 'panel=network'],
  [54, 'network.train'],
];
// For tracing a leak: NNPLAY_SOAK_SKIP, a regular expression, leaves out the commands it
// matches (for example 'mnist|step' keeps only the network lab and the other panels).
const CYCLE = process.env.NNPLAY_SOAK_SKIP
  ? FULL_CYCLE.filter(([, cmd]) => !new RegExp(process.env.NNPLAY_SOAK_SKIP).test(cmd))
  : FULL_CYCLE;
const DATASETS = ['xor', 'circle', 'spiral', 'gaussians', 'xor-quadrants'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const MB = 1024 * 1024;

function percentile(values, q) {
  if (values.length === 0) return NaN;
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor(q * v.length))];
}

// ---------------------------------------------------------------------------------------
// The browser's processes, from /proc: every descendant of this node process (Playwright
// starts Chromium as its child), with its Chromium role (--type=renderer, gpu-process, ...)
// and resident memory.
function processTree(rootPid) {
  const parent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name in /proc/PID/stat is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while the list was read.
    }
  }
  const tree = [];
  const within = (pid) => {
    for (let p = pid; p > 1; p = parent.get(p) ?? 0) if (p === rootPid) return true;
    return false;
  };
  for (const pid of parent.keys()) {
    if (!within(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const type = (cmdline.match(/--type=([a-z-]+)/) || [null, 'other'])[1];
      const rss = Number((readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/) || [0, 0])[1]) / 1024;
      tree.push({ pid, type, rss });
    } catch {
      // Ended meanwhile.
    }
  }
  return tree;
}

// The resident part of the renderer's mappings exactly as large as the WebAssembly heap:
// V8 maps the heap's accessible part as one region of its size inside a larger
// reservation, so this is how much of the heap the page has touched; the rest of the
// renderer is the browser's own.
function residentOfMappingsSized(pid, bytes) {
  const kb = Math.round(bytes / 1024);
  let total = 0;
  let match = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    if (line.startsWith('Size:')) match = Number(line.split(/\s+/)[1]) === kb;
    else if (match && line.startsWith('Rss:')) total += Number(line.split(/\s+/)[1]);
  }
  return total / 1024;
}

// The page's renderer is the largest one (it holds the WebAssembly heap); the GPU process
// draws the page's WebGL with SwiftShader.
function browserMemory(rootPid, heapBytes) {
  const tree = processTree(rootPid);
  const renderers = tree.filter((p) => p.type === 'renderer').sort((a, b) => b.rss - a.rss);
  const gpu = tree.filter((p) => p.type === 'gpu-process').reduce((s, p) => s + p.rss, 0);
  let wasm = NaN;
  try {
    if (renderers[0]) wasm = residentOfMappingsSized(renderers[0].pid, heapBytes);
  } catch {
    // The renderer ended meanwhile; the sample says NaN.
  }
  return { renderer: renderers[0]?.rss ?? NaN, wasm, renderers: renderers.length, gpu };
}

// ---------------------------------------------------------------------------------------

async function main() {
  const browser = await launch();
  const rootPid = process.pid;
  const { page, problems } = await loadPage(browser, '', { viewport: { width: 1280, height: 800 } });
  // V8's heap of the page (the glue's and the tests' JavaScript, the JSON state reports).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const jsHeap = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (name) => (metrics.find((m) => m.name === name)?.value ?? NaN) / MB;
    return { used: get('JSHeapUsedSize'), total: get('JSHeapTotalSize') };
  };
  const start = Date.now();
  const now = () => (Date.now() - start) / 1000;

  const failed = [];
  const errors = new Set();
  let commands = 0;
  const send = async (cmd) => {
    commands += 1;
    if (!(await command(page, cmd))) failed.push(cmd);
  };

  // Progress: only increases count (a reset starts the figures again).
  const progress = { lastEpoch: 0, lastImages: 0 };
  let networkEpochs = 0;
  let mnistImages = 0;
  const readState = async () => {
    const st = await state(page);
    for (const e of [st.network.error, st.network.config_error, st.mnist.error, st.mnist.train_error,
                     st.mnist.data.error, st.step?.error]) {
      if (e && errors.size < 20) errors.add(e);
    }
    const epoch = st.network.epoch || 0;
    const images = st.mnist.images_trained || 0;
    if (epoch > progress.lastEpoch) networkEpochs += epoch - progress.lastEpoch;
    if (images > progress.lastImages) mnistImages += images - progress.lastImages;
    progress.lastEpoch = epoch;
    progress.lastImages = images;
    return st;
  };

  // Before the first cycle: open the MNIST panel, so that the glue fetches its subset.
  await send('settings=panel=mnist&mtrain=10000&mtest=2000');
  await waitState(page, (st) => st.mnist.data.state === 'ready' || st.mnist.data.state === 'failed',
                  { timeout: 60000, what: "the MNIST panel's data" });
  const cycleStart = now();

  const samples = [];
  const framePolls = [];  // { t, p50 } of the hook's rolling window
  let nextStep = 0;
  let cycle = 0;
  let nextSample = SAMPLE_SECONDS;
  let nextPoll = FRAME_POLL_SECONDS;
  console.log(`soak.mjs: ${SECONDS} s of panels, training, settings and weights in ${process.env.NNPLAY_URL || 'the page'}; ` +
              `a line every ${SAMPLE_SECONDS} s`);
  for (;;) {
    const t = now();
    if (t >= SECONDS) break;
    const inCycle = t - cycleStart - cycle * CYCLE_SECONDS;
    while (nextStep < CYCLE.length && CYCLE[nextStep][0] <= inCycle) {
      await send(CYCLE[nextStep][1].replace('{ds}', DATASETS[cycle % DATASETS.length]));
      nextStep += 1;
      await readState();
    }
    if (inCycle >= CYCLE_SECONDS) {
      cycle += 1;
      nextStep = 0;
    }
    if (t >= nextPoll) {
      const f = await page.evaluate(() => window.nnplay.frameStats());
      if (f.frame?.samples > 0) framePolls.push({ t, p50: f.frame.p50, p95: f.frame.p95 });
      while (nextPoll <= t) nextPoll += FRAME_POLL_SECONDS;
    }
    if (t >= nextSample) {
      const f = await page.evaluate(() => window.nnplay.frameStats());
      const mem = browserMemory(rootPid, f.heap.size);
      const js = await jsHeap();
      const st = await readState();
      const s = {
        t,
        heapSize: f.heap.size / MB,
        heapUsed: f.heap.used / MB,
        renderer: mem.renderer,
        wasmResident: mem.wasm,
        rendererRest: mem.renderer - mem.wasm,
        renderers: mem.renderers,
        gpu: mem.gpu,
        jsUsed: js.used,
        jsTotal: js.total,
        p50: f.frame.p50,
        p95: f.frame.p95,
        max: f.frame.max,
        frames: f.frames,
        epoch: st.network.epoch,
        images: st.mnist.images_trained,
      };
      samples.push(s);
      console.log(`soak: ${t.toFixed(0).padStart(5)} s  heap ${s.heapSize.toFixed(1).padStart(6)} MB  ` +
                  `used ${s.heapUsed.toFixed(1).padStart(6)} MB  renderer rss ${s.renderer.toFixed(1).padStart(6)} MB ` +
                  `(heap ${s.wasmResident.toFixed(1)}, rest ${s.rendererRest.toFixed(1)})  ` +
                  `gpu rss ${s.gpu.toFixed(1).padStart(6)} MB  js heap ${s.jsUsed.toFixed(1)}/${s.jsTotal.toFixed(1)} MB  ` +
                  `frame p50 ${s.p50.toFixed(2).padStart(6)}  ` +
                  `p95 ${s.p95.toFixed(2).padStart(6)} ms  frames ${s.frames}  network epoch ${s.epoch}  ` +
                  `mnist images ${s.images}  failed ${failed.length}`);
      while (nextSample <= t) nextSample += SAMPLE_SECONDS;
    }
    await sleep(100);
  }
  await readState();
  for (const p of problems) errors.add(p);

  // Per minute: the largest memory figures sampled in it and the median of its frame polls.
  const fullMinutes = Math.floor(SECONDS / 60);
  const minutes = [];
  console.log('soak: minute  heap_mb  heap_used_mb  renderer_rss_mb  (heap_resident  rest)  gpu_rss_mb  js_heap_mb  ' +
              'frame_p50_ms  frame_p95_ms');
  for (let m = 0; m < fullMinutes; m++) {
    const inMinute = (x) => x.t > m * 60 && x.t <= (m + 1) * 60 + 0.5;
    const ss = samples.filter(inMinute);
    const polls = framePolls.filter(inMinute);
    const row = {
      minute: m + 1,
      heapSize: Math.max(...ss.map((s) => s.heapSize)),
      heapUsed: Math.max(...ss.map((s) => s.heapUsed)),
      renderer: Math.max(...ss.map((s) => s.renderer)),
      wasmResident: Math.max(...ss.map((s) => s.wasmResident)),
      rendererRest: Math.max(...ss.map((s) => s.rendererRest)),
      gpu: Math.max(...ss.map((s) => s.gpu)),
      jsTotal: Math.max(...ss.map((s) => s.jsTotal)),
      p50: percentile(polls.map((p) => p.p50), 0.5),
      p95: percentile(polls.map((p) => p.p95), 0.5),
    };
    minutes.push(row);
    console.log(`soak: ${String(row.minute).padStart(6)}  ${row.heapSize.toFixed(1).padStart(7)}  ` +
                `${row.heapUsed.toFixed(1).padStart(12)}  ${row.renderer.toFixed(1).padStart(15)}  ` +
                `(${row.wasmResident.toFixed(1).padStart(13)}  ${row.rendererRest.toFixed(1).padStart(5)})  ` +
                `${row.gpu.toFixed(1).padStart(10)}  ${row.jsTotal.toFixed(1).padStart(10)}  ` +
                `${row.p50.toFixed(2).padStart(12)}  ${row.p95.toFixed(2).padStart(12)}`);
  }

  const verdictProblems = [];
  if (failed.length) verdictProblems.push(`${failed.length} of ${commands} commands failed (${failed.slice(0, 5).join('; ')})`);
  for (const e of errors) verdictProblems.push(`error: ${e}`);
  if (networkEpochs <= 0) verdictProblems.push('the network lab never trained');
  if (mnistImages <= 0) verdictProblems.push('MNIST never trained');
  const measured = [];
  if (SECONDS >= MIN_VERDICT_SECONDS && fullMinutes >= 3) {
    // Memory: every sample after the first minute against the one at one minute.
    const base = samples.find((s) => s.t >= 60 - 0.5);
    const later = samples.filter((s) => s.t > base.t);
    const growth = (key) => Math.max(...later.map((s) => s[key])) - base[key];
    for (const [key, name, limit] of [['heapUsed', 'heap used', MAX_HEAP_USED_GROWTH_MB],
                                      ['heapSize', 'heap size', MAX_HEAP_SIZE_GROWTH_MB],
                                      ['renderer', 'renderer RSS', MAX_RSS_GROWTH_MB]]) {
      const g = growth(key);
      const text = `${name} grew ${g.toFixed(1)} MB after minute 1 (${base[key].toFixed(1)} MB at ${base.t.toFixed(0)} s; limit ${limit} MB)`;
      measured.push(text);
      if (g > limit) verdictProblems.push(text);
    }
    // Not judged, shown to tell where renderer memory went: the heap's touched pages, or
    // the browser's own.
    for (const [key, name] of [['wasmResident', "the renderer's resident heap pages"], ['rendererRest', 'the rest of the renderer']]) {
      measured.push(`${name} grew ${growth(key).toFixed(1)} MB (${base[key].toFixed(1)} MB at ${base.t.toFixed(0)} s; not judged)`);
    }
    const second = minutes[1].p50;
    const last = minutes[fullMinutes - 1].p50;
    const text = `frame p50 ${last.toFixed(2)} ms in the last minute vs ${second.toFixed(2)} ms in minute 2 ` +
                 `(limit x${CREEP_RATIO} + ${CREEP_SLACK_MS} ms)`;
    measured.push(text);
    if (!(last <= second * CREEP_RATIO + CREEP_SLACK_MS)) verdictProblems.push(`frame time crept: ${text}`);
  } else {
    measured.push(`shorter than ${MIN_VERDICT_SECONDS} s: memory and frame time not judged`);
  }
  measured.push(`${commands} commands, ${networkEpochs} network epochs, ${mnistImages} MNIST images trained`);
  writeFileSync(artifact('soak-web.json'), JSON.stringify({ seconds: SECONDS, samples, framePolls, minutes, failed,
                                                          errors: [...errors] }, null, 1));
  await browser.close();
  if (verdictProblems.length === 0) {
    console.log(`soak: verdict: PASS: ${measured.join('; ')}`);
    return 0;
  }
  console.log(`soak: verdict: FAIL: ${measured.join('; ')}`);
  for (const p of verdictProblems) console.log(`soak: FAIL: ${p}`);
  return 1;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`soak.mjs: ${e.stack || e}`);
  process.exit(1);
});
