// Runs the TensorFlow.js references in the page: fetches the four MNIST IDX files served
// next to it (mnist/), starts the WebAssembly backend (SIMD, one thread) from the .wasm
// files in tfjs/, trains and returns the printed lines. runTfjsBench: the linear model
// (tfjs_softmax.mjs) in the given mode; runTfjsCnnBench: the CNN (tfjs_cnn.mjs), which
// falls back to the CPU backend where the wasm one cannot train it.
import { runTfjsCnn } from './tfjs_cnn.mjs';
import { MNIST_FILES, mnistFromIdx, runTfjs, useWasmBackend } from './tfjs_softmax.mjs';

async function fetchMnist() {
  const buffers = await Promise.all(MNIST_FILES.map(async (f) => {
    const res = await fetch(`mnist/${f}`);
    if (!res.ok) throw new Error(`mnist/${f}: HTTP ${res.status}`);
    return res.arrayBuffer();
  }));
  return mnistFromIdx(buffers);
}

window.runTfjsBench = async ({ mode, epochs, seed = 777 }) => {
  const out = document.getElementById('out');
  const lines = [];
  const print = (line) => { lines.push(line); };
  const info = await useWasmBackend(window.tf, window.tf.wasm, new URL('tfjs/', location.href).href);
  const t0 = performance.now();
  const data = await fetchMnist();
  print(`TIME load ${((performance.now() - t0) / 1000).toFixed(4)}`);
  out.textContent = `TF.js ${mode}: running`;
  await runTfjs(window.tf, data, {
    mode, epochs, seed, print,
    info: { env: 'chromium', backend: info.backend, simd: info.simd ? 1 : 0, threads: info.threads, tfjs: info.version },
  });
  out.textContent = lines.join('\n');
  return { rc: 0, lines };
};
// options: { layers, lr, epochs, trainLimit, backend: 'wasm' | 'cpu' } (tfjs_cnn.mjs).
window.runTfjsCnnBench = async (options) => {
  const out = document.getElementById('out');
  const lines = [];
  const print = (line) => { lines.push(line); };
  const tf = window.tf;
  const info = options.backend === 'cpu'
    ? { simd: false, threads: 1 }
    : await useWasmBackend(tf, tf.wasm, new URL('tfjs/', location.href).href);
  if (options.backend === 'cpu') {
    await tf.setBackend('cpu');
    await tf.ready();
  }
  const t0 = performance.now();
  const data = await fetchMnist();
  print(`TIME load ${((performance.now() - t0) / 1000).toFixed(4)}`);
  out.textContent = 'TF.js CNN: running';
  await runTfjsCnn(tf, data, {
    ...options, print,
    setBackend: async (name) => { await tf.setBackend(name); await tf.ready(); },
    info: { env: 'chromium', wasm_simd: info.simd ? 1 : 0, wasm_threads: info.threads, tfjs: tf.version.tfjs },
  });
  out.textContent = lines.join('\n');
  return { rc: 0, lines };
};
window.tfjsPageReady = true;
