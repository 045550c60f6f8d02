// TensorFlow.js reference for bench/run-web-bench.sh: the linear 784->10 softmax model
// on the full MNIST training set (pixels/255, SGD 0.1, batch 100, 600 steps per epoch),
// written the two ways a TF.js user would, on the WebAssembly backend (SIMD, one thread):
//   loop: tf.variable W [784,10] and b [10] drawn from U(-1/28, 1/28), a fresh permutation
//         each epoch, batches of 100 gathered from it, and
//         tf.train.sgd(0.1).minimize(() => tf.losses.softmaxCrossEntropy(oneHot, logits));
//   fit:  tf.sequential with one dense softmax layer, sparseCategoricalCrossentropy,
//         model.fit(batchSize 100, shuffle true).
// The same module runs in node (below) and in the page bench/web/tfjs.html, which passes
// in the tf and tf.wasm globals of the browser bundles. It prints the lines nnplay-bench
// prints (TIME epoch <k> <s>, RESULT key=value ...), so one parser reads both.
//
// node: node bench/reference/tfjs_softmax.mjs loop|fit [--epochs E] [--data DIR] [--seed S]
// (TensorFlow.js comes from bench/web/node_modules: scripts/setup.sh --bench installs it.)

export const MNIST_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

// An IDX file (big-endian header: magic 0x0000 0x08 ndim, then ndim uint32 sizes, then
// uint8 data) as { dims, data }.
export function parseIdx(bytes, name = 'IDX file') {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  if (u8.length < 4 || view.getUint16(0) !== 0 || u8[2] !== 0x08) throw new Error(`${name}: not an uint8 IDX file`);
  const ndim = u8[3];
  const dims = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i));
  const offset = 4 + 4 * ndim;
  const count = dims.reduce((a, b) => a * b, 1);
  if (u8.length < offset + count) throw new Error(`${name}: truncated`);
  return { dims, data: u8.subarray(offset, offset + count) };
}

// The four files' bytes (in MNIST_FILES order) as float pixels in [0, 1] and int labels.
export function mnistFromIdx(buffers) {
  const [trX, trY, teX, teY] = buffers.map((b, i) => parseIdx(b, MNIST_FILES[i]));
  const images = (idx) => {
    const out = new Float32Array(idx.data.length);
    for (let i = 0; i < out.length; i++) out[i] = idx.data[i] / 255;
    return { x: out, n: idx.dims[0], dim: idx.dims[1] * idx.dims[2] };
  };
  const train = images(trX);
  const test = images(teX);
  return {
    train: { ...train, y: Int32Array.from(trY.data) },
    test: { ...test, y: Int32Array.from(teY.data) },
  };
}

// Seeded permutation (mulberry32 + Fisher-Yates), so that every run sees the same order.
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

// The WebAssembly backend with SIMD and exactly one thread. `tfwasm` is the backend's
// module (tf.wasm in the browser bundle); `wasmDir` the folder or URL of its .wasm files.
export async function useWasmBackend(tf, tfwasm, wasmDir) {
  // Threads need cross-origin isolation in a browser and are off in node anyway; say so
  // explicitly so that a page served with those headers still measures one thread.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  tfwasm.setThreadsCount(1);
  tfwasm.setWasmPaths(wasmDir.endsWith('/') ? wasmDir : wasmDir + '/');
  if (!(await tf.setBackend('wasm'))) throw new Error('TF.js: the wasm backend failed to start');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = tfwasm.getThreadsCount();
  if (!simd) throw new Error('TF.js: WebAssembly SIMD is not available');
  return { backend: tf.getBackend(), simd, threads, version: tf.version.tfjs };
}

const now = () => performance.now() / 1000;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? 0 : n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
};

// Trains and evaluates; `print` receives one output line at a time.
export async function runTfjs(tf, data, { mode = 'loop', epochs = 3, seed = 777, print = console.log, info = {} } = {}) {
  const { train, test } = data;
  const batch = 100;
  const steps = Math.floor(train.n / batch); // drop_last
  const xTrain = tf.tensor2d(train.x, [train.n, train.dim]);
  const xTest = tf.tensor2d(test.x, [test.n, test.dim]);
  const epochS = [];
  let cost = 0;
  let predict;

  if (mode === 'loop') {
    const yTrain = tf.oneHot(tf.tensor1d(train.y, 'int32'), 10).toFloat();
    const W = tf.variable(tf.randomUniform([train.dim, 10], -1 / 28, 1 / 28, 'float32', seed));
    const b = tf.variable(tf.randomUniform([10], -1 / 28, 1 / 28, 'float32', seed + 1));
    const optimizer = tf.train.sgd(0.1);
    const rand = rng32(seed ^ 0x5eed5eed);
    for (let e = 1; e <= epochs; e++) {
      const t0 = now();
      const perm = permutation(train.n, rand);
      let sum = 0;
      for (let s = 0; s < steps; s++) {
        const loss = tf.tidy(() => {
          const idx = tf.tensor1d(perm.subarray(s * batch, (s + 1) * batch), 'int32');
          const xb = tf.gather(xTrain, idx);
          const yb = tf.gather(yTrain, idx);
          return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, tf.add(tf.matMul(xb, W), b)), true);
        });
        // Read every step, as nnplay's trainer does for its epoch mean (on this backend
        // the value is already in memory: no GPU round trip).
        sum += loss.dataSync()[0];
        loss.dispose();
      }
      epochS.push(now() - t0);
      cost = sum / steps;
      print(`Epoch: ${String(e).padStart(4, '0')} cost = ${cost.toFixed(9)}`);
      print(`TIME epoch ${e} ${epochS[e - 1].toFixed(4)}`);
    }
    predict = (x) => tf.add(tf.matMul(x, W), b);
  } else if (mode === 'fit') {
    const yTrain = tf.tensor1d(train.y, 'float32');
    const model = tf.sequential();
    model.add(tf.layers.dense({
      units: 10,
      inputShape: [train.dim],
      activation: 'softmax',
      kernelInitializer: tf.initializers.randomUniform({ minval: -1 / 28, maxval: 1 / 28, seed }),
      biasInitializer: tf.initializers.randomUniform({ minval: -1 / 28, maxval: 1 / 28, seed: seed + 1 }),
    }));
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy' });
    let t0 = 0;
    await model.fit(xTrain, yTrain, {
      batchSize: batch,
      epochs,
      shuffle: true,
      verbose: 0,
      // nnplay's page run does not yield to the browser either: both sides measure
      // computation, not the frames a yielding loop would wait for.
      yieldEvery: 'never',
      callbacks: {
        onEpochBegin: async () => { t0 = now(); },
        onEpochEnd: async (epoch, logs) => {
          epochS.push(now() - t0);
          cost = logs.loss;
          print(`Epoch: ${String(epoch + 1).padStart(4, '0')} cost = ${cost.toFixed(9)}`);
          print(`TIME epoch ${epoch + 1} ${epochS[epoch].toFixed(4)}`);
        },
      },
    });
    predict = (x) => model.predict(x, { batchSize: test.n });
  } else {
    throw new Error(`unknown mode ${mode} (loop or fit)`);
  }

  const t1 = now();
  const correct = tf.tidy(() => tf.equal(tf.argMax(predict(xTest), 1), tf.tensor1d(test.y, 'int32')).sum().dataSync()[0]);
  print(`TIME eval ${(now() - t1).toFixed(4)}`);
  const extra = Object.entries(info).map(([k, v]) => ` ${k}=${v}`).join('');
  print(`RESULT workload=tfjs_${mode} epochs=${epochs} steps_per_epoch=${steps} epoch_median=${median(epochS).toFixed(4)} ` +
        `epoch_min=${Math.min(...epochS).toFixed(4)} acc=${(correct / test.n).toFixed(4)} final_cost=${cost.toFixed(9)}${extra}`);
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
  const mode = args[0] || 'loop';
  let epochs = 3;
  let dataDir = 'data/mnist';
  let seed = 777;
  for (let i = 1; i < args.length; i++) {
    if (args[i] === '--epochs') epochs = Number(args[++i]);
    else if (args[i] === '--data') dataDir = args[++i];
    else if (args[i] === '--seed') seed = Number(args[++i]);
    else throw new Error(`unknown option ${args[i]}`);
  }
  const require = createRequire(join(webDir, 'package.json'));
  let tf, tfwasm;
  try {
    tf = require('@tensorflow/tfjs');
    tfwasm = require('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    throw new Error(`TensorFlow.js is not installed in ${webDir} (scripts/setup.sh --bench): ${e.message}`);
  }
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  const info = await useWasmBackend(tf, tfwasm, wasmDir);
  const t0 = now();
  const data = mnistFromIdx(MNIST_FILES.map((f) => readFileSync(join(dataDir, f))));
  console.log(`TIME load ${(now() - t0).toFixed(4)}`);
  await runTfjs(tf, data, {
    mode, epochs, seed,
    info: { env: 'node', backend: info.backend, simd: info.simd ? 1 : 0, threads: info.threads, tfjs: info.version },
  });
}

if (typeof process !== 'undefined' && process.argv?.[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(`tfjs_softmax: ${e.stack || e}`);
    process.exit(1);
  });
}
