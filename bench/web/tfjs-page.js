// Runs the TensorFlow.js reference (tfjs_softmax.mjs) in the page: fetches the four MNIST
// IDX files served next to it (mnist/), starts the WebAssembly backend (SIMD, one thread)
// from the .wasm files in tfjs/, trains in the given mode and returns the printed lines.
import { MNIST_FILES, mnistFromIdx, runTfjs, useWasmBackend } from './tfjs_softmax.mjs';

window.runTfjsBench = async ({ mode, epochs, seed = 777 }) => {
  const out = document.getElementById('out');
  const lines = [];
  const print = (line) => { lines.push(line); };
  const info = await useWasmBackend(window.tf, window.tf.wasm, new URL('tfjs/', location.href).href);
  const t0 = performance.now();
  const buffers = await Promise.all(MNIST_FILES.map(async (f) => {
    const res = await fetch(`mnist/${f}`);
    if (!res.ok) throw new Error(`mnist/${f}: HTTP ${res.status}`);
    return res.arrayBuffer();
  }));
  const data = mnistFromIdx(buffers);
  print(`TIME load ${((performance.now() - t0) / 1000).toFixed(4)}`);
  out.textContent = `TF.js ${mode}: running`;
  await runTfjs(window.tf, data, {
    mode, epochs, seed, print,
    info: { env: 'chromium', backend: info.backend, simd: info.simd ? 1 : 0, threads: info.threads, tfjs: info.version },
  });
  out.textContent = lines.join('\n');
  return { rc: 0, lines };
};
window.tfjsPageReady = true;
