// TensorFlow.js reference for the CNN part of bench/run-web-bench.sh (WORKLOADS=cnn): the
// same convolutional network nnplay-bench's cnn workload trains, written as a hand-written
// TF.js training loop, on the first N MNIST training images (the page's subset: 10,000).
//   network: a layer list as nnplay writes it (engine/include/nnplay/layer_list.h), e.g. the
//            recipe's conv5x5x24,pool2,conv3x3x32,pool2,fc256,fc10 or the page's small CNN
//            conv5x5x8,pool2,conv3x3x16,pool2,fc64,fc10: a ReLU after every conv and every
//            fc but the last, flattened before the first fc, as nnplay expands the list;
//            weights and biases drawn from U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (PyTorch's
//            default, which nnplay follows), seeded;
//   training: Adam (betas 0.9, 0.999, eps 1e-8, nnplay's), batch 32, a fresh seeded
//            permutation each epoch, drop_last (312 steps on 10,000 images), softmax
//            cross-entropy, the loss read every step as nnplay's trainer reads it;
//   data:    pixels/255 as one float tensor [N, 28, 28, 1] and one-hot labels, made before
//            the clock starts; each step gathers its 32 rows from them.
// TF.js's WebAssembly backend (4.22) has Conv2D but no Conv2DBackpropFilter kernel, so it
// cannot train a convolution: with --backend wasm (the default) one training step on two
// images is tried first, and if it throws, the line
//   BACKEND_FALLBACK from=wasm to=cpu error=<the exception's message>
// is printed and the run trains on TF.js's CPU backend (plain JavaScript) instead. The
// probe runs before any timing.
// --steps N times only the first N steps of each epoch (0: all of them), for the networks
// whose whole epoch takes the CPU backend too long to repeat; the per-step time
// (step_ms_median) is then the figure to compare.
// The same module runs in node (below) and in the page bench/web/tfjs.html. It prints the
// lines nnplay-bench prints (TIME epoch <k> <s>, TIME eval <s>, RESULT key=value ...).
//
// node: node bench/reference/tfjs_cnn.mjs [--layers LIST] [--lr LR] [--epochs E]
//         [--lr-every K --lr-gamma G] [--train-limit N] [--steps N] [--backend wasm|cpu]
//         [--data DIR] [--seed S]
// --lr-every/--lr-gamma: the learning rate times G every K epochs, as nnplay's schedule
// (the recipe's: 1, 0.2; it matters only from the second epoch on).
import { MNIST_FILES, mnistFromIdx, useWasmBackend } from './tfjs_softmax.mjs';

export const RECIPE_CNN = 'conv5x5x24,pool2,conv3x3x32,pool2,fc256,fc10';

// The tokens both benchmarked networks use: convKxKxC (stride 1, no padding), poolK (stride
// K) and fcN. Anything else is refused rather than guessed.
export function parseLayers(text) {
  return text.split(',').map((tok) => {
    let m;
    if ((m = tok.match(/^conv(\d+)x(\d+)x(\d+)$/))) return { kind: 'conv', kh: +m[1], kw: +m[2], out: +m[3] };
    if ((m = tok.match(/^pool(\d+)$/))) return { kind: 'pool', k: +m[1] };
    if ((m = tok.match(/^fc(\d+)$/))) return { kind: 'fc', out: +m[1] };
    throw new Error(`tfjs_cnn: layer token "${tok}" is not supported here (convKxKxC, poolK, fcN)`);
  });
}

// Variables for each conv and fc, drawn as PyTorch draws them; returns the variables and a
// forward function from [B, H, W, 1] images to [B, classes] logits.
function buildModel(tf, layers, seed, rows, cols) {
  const vars = [];
  let seedNext = seed;
  const uniform = (shape, fanIn) => {
    const bound = 1 / Math.sqrt(fanIn);
    return tf.variable(tf.randomUniform(shape, -bound, bound, 'float32', seedNext++));
  };
  let h = rows, w = cols, c = 1, flat = 0;
  const plan = layers.map((l, i) => {
    const last = i === layers.length - 1;
    if (l.kind === 'conv') {
      const fanIn = c * l.kh * l.kw;
      const p = { ...l, W: uniform([l.kh, l.kw, c, l.out], fanIn), b: uniform([l.out], fanIn) };
      h = h - l.kh + 1; w = w - l.kw + 1; c = l.out;
      vars.push(p.W, p.b);
      return p;
    }
    if (l.kind === 'pool') {
      h = Math.floor(h / l.k); w = Math.floor(w / l.k);
      return l;
    }
    const fanIn = flat || h * w * c;
    const p = { ...l, relu: !last, W: uniform([fanIn, l.out], fanIn), b: uniform([l.out], fanIn) };
    flat = l.out;
    vars.push(p.W, p.b);
    return p;
  });
  let params = 0;
  for (const v of vars) params += v.size;
  const forward = (x) => {
    let y = x;
    for (const p of plan) {
      if (p.kind === 'conv') y = tf.relu(tf.add(tf.conv2d(y, p.W, 1, 'valid'), p.b));
      else if (p.kind === 'pool') y = tf.maxPool(y, p.k, p.k, 'valid');
      else {
        if (y.rank > 2) y = tf.reshape(y, [y.shape[0], -1]);
        y = tf.add(tf.matMul(y, p.W), p.b);
        if (p.relu) y = tf.relu(y);
      }
    }
    return y;
  };
  return { vars, forward, params };
}

// Seeded permutation (mulberry32 + Fisher-Yates), as in tfjs_softmax.mjs.
function rng32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function permutation(n, rand) {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

const now = () => performance.now() / 1000;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? 0 : n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
};

// One gradient of the network on two blank images: throws where the backend lacks a
// kernel that training needs (the wasm backend's missing Conv2DBackpropFilter).
function probeTraining(tf, layers, rows, cols) {
  tf.tidy(() => {
    const m = buildModel(tf, layers, 1, rows, cols);
    const x = tf.zeros([2, rows, cols, 1]);
    const y = tf.oneHot(tf.tensor1d([0, 1], 'int32'), 10).toFloat();
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, m.forward(x)), m.vars);
    value.dataSync();
    Object.values(grads).forEach((g) => g.dataSync());
    m.vars.forEach((v) => v.dispose());
  });
}

// Picks the backend (see the top of the file), then trains and evaluates; `print` receives
// one output line at a time. `setBackend(name)` switches the tf instance to a backend.
export async function runTfjsCnn(tf, data, {
  layers = RECIPE_CNN, lr = 1e-3, lrEvery = 0, lrGamma = 1, epochs = 1, batch = 32, trainLimit = 10000, maxSteps = 0, seed = 777,
  backend = 'wasm', setBackend, print = console.log, info = {},
} = {}) {
  const rows = 28, cols = 28;
  const spec = parseLayers(layers);
  let used = backend;
  if (backend === 'wasm') {
    try {
      probeTraining(tf, spec, rows, cols);
    } catch (e) {
      print(`BACKEND_FALLBACK from=wasm to=cpu error=${String(e.message || e).replace(/\s+/g, ' ')}`);
      await setBackend('cpu');
      used = 'cpu';
    }
  }

  const n = trainLimit > 0 ? Math.min(trainLimit, data.train.n) : data.train.n;
  const dim = rows * cols;
  const xTrain = tf.tensor4d(data.train.x.subarray(0, n * dim), [n, rows, cols, 1]);
  const yTrain = tf.tidy(() => tf.oneHot(tf.tensor1d(data.train.y.subarray(0, n), 'int32'), 10).toFloat());
  const xTest = tf.tensor4d(data.test.x, [data.test.n, rows, cols, 1]);
  const { vars, forward, params } = buildModel(tf, spec, seed, rows, cols);
  const optimizer = tf.train.adam(lr, 0.9, 0.999, 1e-8);
  const fullSteps = Math.floor(n / batch); // drop_last
  const steps = maxSteps > 0 ? Math.min(maxSteps, fullSteps) : fullSteps;
  const rand = rng32(seed ^ 0x5eed5eed);
  const epochS = [];
  let cost = 0;
  for (let e = 1; e <= epochs; e++) {
    if (lrEvery > 0) optimizer.learningRate = lr * lrGamma ** Math.floor((e - 1) / lrEvery);
    const t0 = now();
    const perm = permutation(n, rand);
    let sum = 0;
    for (let s = 0; s < steps; s++) {
      const loss = tf.tidy(() => {
        const idx = tf.tensor1d(perm.subarray(s * batch, (s + 1) * batch), 'int32');
        const xb = tf.gather(xTrain, idx);
        const yb = tf.gather(yTrain, idx);
        return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, forward(xb)), true, vars);
      });
      sum += loss.dataSync()[0];
      loss.dispose();
    }
    epochS.push(now() - t0);
    cost = sum / steps;
    print(`Epoch: ${String(e).padStart(4, '0')} cost = ${cost.toFixed(9)}`);
    print(`TIME epoch ${e} ${epochS[e - 1].toFixed(4)}`);
  }

  // The whole test set, 1,000 images at a time: the recipe's first conv output for all
  // 10,000 at once would be a 553 MB tensor.
  const evaluate = () => {
    let correct = 0;
    const chunk = 1000;
    for (let i = 0; i < data.test.n; i += chunk) {
      const m = Math.min(chunk, data.test.n - i);
      correct += tf.tidy(() => tf.equal(tf.argMax(forward(tf.slice(xTest, [i, 0, 0, 0], [m, rows, cols, 1])), 1),
                                        tf.tensor1d(data.test.y.subarray(i, i + m), 'int32')).sum().dataSync()[0]);
    }
    return correct;
  };
  const t1 = now();
  const correct = evaluate();
  print(`TIME eval ${(now() - t1).toFixed(4)}`);
  // The wasm backend has the forward kernels (Conv2D, MaxPool): after a fallback the
  // trained network is evaluated there too (TF.js moves the tensors across backends), a
  // WebAssembly-against-WebAssembly figure for the forward pass. The first pass moves the
  // data and warms up; the second is timed.
  let wasmEval = '';
  if (used !== backend) {
    await setBackend(backend);
    evaluate();
    const t2 = now();
    const c2 = evaluate();
    const s2 = now() - t2;
    print(`TIME eval_wasm ${s2.toFixed(4)}`);
    wasmEval = ` eval_wasm_s=${s2.toFixed(4)} acc_wasm=${(c2 / data.test.n).toFixed(4)}`;
  }
  const extra = Object.entries(info).map(([k, v]) => ` ${k}=${v}`).join('');
  print(`RESULT workload=tfjs_cnn layers=${layers} lr=${lr} batch=${batch} train_images=${n} params=${params} ` +
        `epochs=${epochs} steps_per_epoch=${fullSteps} steps_timed=${steps} epoch_median=${median(epochS).toFixed(4)} ` +
        `step_ms_median=${(median(epochS) / steps * 1e3).toFixed(3)} ` +
        `epoch_min=${Math.min(...epochS).toFixed(4)} acc=${(correct / data.test.n).toFixed(4)} ` +
        `final_cost=${cost.toFixed(9)} backend=${used}${wasmEval}${extra}`);
  [xTrain, yTrain, xTest, ...vars].forEach((t) => t.dispose());
}

// node entry point.
async function main() {
  const { createRequire } = await import('node:module');
  const { readFileSync } = await import('node:fs');
  const { dirname, join, resolve } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const here = dirname(fileURLToPath(import.meta.url));
  const webDir = resolve(here, '../web');
  const args = process.argv.slice(2);
  const o = { layers: RECIPE_CNN, lr: 1e-3, epochs: 1, trainLimit: 10000, backend: 'wasm', seed: 777 };
  let dataDir = 'data/mnist';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--layers') o.layers = args[++i];
    else if (a === '--lr') o.lr = Number(args[++i]);
    else if (a === '--lr-every') o.lrEvery = Number(args[++i]);
    else if (a === '--lr-gamma') o.lrGamma = Number(args[++i]);
    else if (a === '--epochs') o.epochs = Number(args[++i]);
    else if (a === '--train-limit') o.trainLimit = Number(args[++i]);
    else if (a === '--steps') o.maxSteps = Number(args[++i]);
    else if (a === '--backend') o.backend = args[++i];
    else if (a === '--seed') o.seed = Number(args[++i]);
    else if (a === '--data') dataDir = args[++i];
    else throw new Error(`unknown option ${a}`);
  }
  const require = createRequire(join(webDir, 'package.json'));
  let tf, tfwasm;
  try {
    tf = require('@tensorflow/tfjs');
    tfwasm = require('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    throw new Error(`TensorFlow.js is not installed in ${webDir} (scripts/setup.sh --bench): ${e.message}`);
  }
  let info = { backend: 'cpu', simd: 0, threads: 1, version: tf.version.tfjs };
  if (o.backend === 'wasm') {
    const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
    info = await useWasmBackend(tf, tfwasm, wasmDir);
  } else {
    await tf.setBackend(o.backend);
    await tf.ready();
  }
  const t0 = now();
  const data = mnistFromIdx(MNIST_FILES.map((f) => readFileSync(join(dataDir, f))));
  console.log(`TIME load ${(now() - t0).toFixed(4)}`);
  await runTfjsCnn(tf, data, {
    ...o,
    setBackend: async (name) => { await tf.setBackend(name); await tf.ready(); },
    info: { env: 'node', wasm_simd: info.simd ? 1 : 0, wasm_threads: info.threads, tfjs: info.version },
  });
}

if (typeof process !== 'undefined' && process.argv?.[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(`tfjs_cnn: ${e.stack || e}`);
    process.exit(1);
  });
}
