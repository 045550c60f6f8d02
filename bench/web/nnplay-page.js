// Runs the browser build of nnplay-bench: fetches the four MNIST IDX files served next to
// the page (mnist/), writes them into Emscripten's in-memory file system and calls main()
// with the command-line arguments of the native program. Returns the exit code and the
// printed lines (TIME ..., RESULT ...), which bench/web/drive.mjs parses.
'use strict';

const NNPLAY_MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

window.runNnplayBench = async (args) => {
  const out = document.getElementById('out');
  const lines = [];
  const print = (line) => { lines.push(line); };
  const t0 = performance.now();
  const buffers = await Promise.all(NNPLAY_MNIST_FILES.map(async (f) => {
    const res = await fetch(`mnist/${f}`);
    if (!res.ok) throw new Error(`mnist/${f}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }));
  const fetchS = (performance.now() - t0) / 1000;
  const mod = await createNnplayBench({ print, printErr: (l) => print(`stderr: ${l}`) });
  mod.FS.mkdirTree('/mnist');
  NNPLAY_MNIST_FILES.forEach((f, i) => mod.FS.writeFile(`/mnist/${f}`, buffers[i]));
  // Let the page paint its status before main() holds the thread for the whole run.
  out.textContent = `nnplay-bench ${args.join(' ')}: running`;
  await new Promise((r) => setTimeout(r, 0));
  const rc = mod.callMain([...args, '--data', '/mnist']);
  out.textContent = lines.join('\n');
  return { rc, lines: [`TIME fetch ${fetchS.toFixed(4)}`, ...lines] };
};
