// nnplay-glue.js: the page side of nnplay's web build. It checks for WebGL2 before
// loading anything, downloads nnplay.wasm with a progress bar, passes location.search to
// the program as its settings, keeps the URL in step with App::settings(), mirrors the
// live status line into the aria-live region, and exposes window.nnplay for tests. It also
// moves files between the browser and the program: the packed MNIST subset and a model
// (the default one, or ?weights=URL) when the MNIST panel opens, weights files from the
// file picker or dropped onto the page, and the program's downloads (model, PNG).
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const canvas = $('canvas');
  const loader = $('loader');
  const loaderText = $('loader-text');
  const loaderProgress = $('loader-progress');
  const statusRegion = $('status');
  let failed = false;

  // A readable message instead of a blank canvas; also called from C++ (main_web.cpp).
  function showError(message, title) {
    failed = true;
    loader.classList.add('hidden');
    canvas.classList.add('hidden');
    $('error-title').textContent = title || 'nnplay cannot run here';
    $('error-text').textContent = message;
    $('error').style.display = 'flex';
    document.title = 'nnplay: error';
  }
  window.nnplayShowError = (message) => showError(message);

  function hasWebGL2() {
    try {
      return !!document.createElement('canvas').getContext('webgl2');
    } catch (e) {
      return false;
    }
  }

  if (typeof WebAssembly !== 'object') {
    showError('This browser does not support WebAssembly, which nnplay is compiled to. ' +
              'A current Firefox, Chrome, Edge or Safari will work.');
    return;
  }
  if (!hasWebGL2()) {
    showError('nnplay draws with WebGL2, and this browser does not offer it (it may be switched off, ' +
              'or the graphics driver is blocked). Enable WebGL / hardware acceleration in the browser ' +
              'settings, or try a current Firefox, Chrome, Edge or Safari.',
              'WebGL2 is not available');
    return;
  }

  // ---------------------------------------------------------------------------------------
  // Loading: stream nnplay.wasm through a byte counter so the bar shows real progress,
  // while the browser still compiles it as it arrives.
  function setProgress(loaded, total) {
    const mb = (n) => (n / 1048576).toFixed(1);
    if (total > 0) {
      loaderProgress.value = loaded / total;
      loaderText.textContent = `Loading nnplay… ${Math.round((100 * loaded) / total)}% (${mb(loaded)} of ${mb(total)} MB)`;
    } else {
      loaderProgress.removeAttribute('value');
      loaderText.textContent = `Loading nnplay… ${mb(loaded)} MB`;
    }
  }

  async function fetchWithProgress(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const total = Number(response.headers.get('Content-Length')) || 0;
    if (!response.body) return response;
    let loaded = 0;
    const counted = response.body.pipeThrough(new TransformStream({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        setProgress(loaded, total);
        controller.enqueue(chunk);
      },
    }));
    return new Response(counted, { headers: { 'Content-Type': 'application/wasm' } });
  }

  async function instantiate(imports) {
    const response = await fetchWithProgress('nnplay.wasm');
    if (WebAssembly.instantiateStreaming) {
      try {
        return await WebAssembly.instantiateStreaming(response.clone(), imports);
      } catch (e) {
        // A host that serves .wasm with the wrong type still works, only not streamed.
        console.warn('nnplay: streaming compile failed, compiling from bytes:', e.message);
      }
    }
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
  }

  // ---------------------------------------------------------------------------------------
  // The URL and the live region.
  const query = location.search.replace(/^\?/, '');

  window.nnplaySettingsChanged = (settings) => {
    const url = location.pathname + (settings ? '?' + settings : '') + location.hash;
    history.replaceState(history.state, '', url);
  };

  let lastStatus = '';
  function updateLiveRegion() {
    const text = hooks.liveStatus();
    // Only real changes: a screen reader would otherwise repeat the same line.
    if (text !== lastStatus) {
      lastStatus = text;
      statusRegion.textContent = text;
    }
  }

  window.nnplayFirstFrame = () => {
    hooks.firstFrameMs = performance.now();
    hooks.ready = !failed;
    loader.classList.add('hidden');
    loader.setAttribute('aria-busy', 'false');
    updateLiveRegion();
    setInterval(updateLiveRegion, 300);
  };

  // Test and benchmark hook (also handy from the browser console).
  const hooks = {
    ready: false,
    firstFrameMs: null,
    state: () => JSON.parse(hooks._state()),
    command: (cmd) => hooks._command(cmd) === 1,
    settings: () => hooks._settings(),
    liveStatus: () => hooks._liveStatus(),
    frameStats: () => JSON.parse(hooks._frameStats()),
    mnist: { loaded: false, error: null, bytes: 0, fetchMs: null, loadMs: null },  // the subset's loading
    downloads: [],  // { name, bytes } of each download handed to the browser
  };
  window.nnplay = hooks;

  // ---------------------------------------------------------------------------------------
  // Files. The program reads and writes Emscripten's in-memory file system; the glue puts
  // fetched, picked and dropped files there and tells the program with a command.
  const MNIST_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz',
                       't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
  const DEFAULT_MODEL = 'models/mnist-linear.safetensors';

  // Limits for files from outside (a ?weights= link may point anywhere): the largest model
  // the panel can build is about 13 MB, and a link that does not answer is given up.
  const MAX_FETCH_BYTES = 64 * 1024 * 1024;
  const fetchTimeoutMs = () => window.nnplayFetchTimeoutMs || 30000;

  // Fetches a URL's bytes, calling onBytes(loaded, total) as they arrive (total 0: unknown).
  // Refuses more than MAX_FETCH_BYTES (announced or received) and gives up after
  // fetchTimeoutMs(), with an error that says which.
  async function fetchBytes(url, onBytes) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, fetchTimeoutMs());
    const tooBig = () => new Error(`it is larger than ${MAX_FETCH_BYTES / (1024 * 1024)} MB`);
    try {
      const response = await fetch(url, { signal: controller.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
      const total = Number(response.headers.get('Content-Length')) || 0;
      if (total > MAX_FETCH_BYTES) throw tooBig();
      if (!response.body) return new Uint8Array(await response.arrayBuffer());
      const reader = response.body.getReader();
      const chunks = [];
      let loaded = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        loaded += value.byteLength;
        if (loaded > MAX_FETCH_BYTES) {
          reader.cancel();
          throw tooBig();
        }
        chunks.push(value);
        if (onBytes) onBytes(loaded, total);
      }
      const bytes = new Uint8Array(loaded);
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.byteLength;
      }
      return bytes;
    } catch (e) {
      if (timedOut) throw new Error(`no complete answer within ${fetchTimeoutMs() / 1000} s`);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  function writeFile(folder, name, bytes) {
    const FS = window.Module.FS;
    FS.mkdirTree(folder);
    // Only the last path part of a name from outside, so it cannot escape the folder.
    const path = `${folder}/${name.split(/[\\/]/).pop() || 'file'}`;
    FS.writeFile(path, bytes);
    return path;
  }

  // The MNIST subset: four gzipped IDX files fetched side by side, progress reported to the
  // panel as a fraction of all their bytes; the engine's IDX reader inflates them.
  async function fetchMnist() {
    const start = performance.now();
    const loaded = new Array(MNIST_FILES.length).fill(0);
    const totals = new Array(MNIST_FILES.length).fill(0);
    const report = () => {
      const total = totals.reduce((a, b) => a + b, 0);
      // Unknown sizes (no Content-Length) show as an indeterminate bar.
      if (total > 0 && totals.every((t) => t > 0)) hooks.command(`mnist.data_progress=${loaded.reduce((a, b) => a + b, 0) / total}`);
    };
    hooks.command('mnist.data_progress=0');
    try {
      const files = await Promise.all(MNIST_FILES.map((name, i) => fetchBytes(`mnist/${name}`, (n, total) => {
        loaded[i] = n;
        totals[i] = total;
        report();
      }).catch((e) => {
        throw new Error(`mnist/${name}: ${e.message}`);
      })));
      const fetched = performance.now();
      MNIST_FILES.forEach((name, i) => writeFile('/mnist', name, files[i]));
      const ok = hooks.command('mnist.data=/mnist');
      hooks.mnist.bytes = files.reduce((a, f) => a + f.byteLength, 0);
      hooks.mnist.fetchMs = fetched - start;
      hooks.mnist.loadMs = performance.now() - start;  // fetched, inflated and parsed
      hooks.mnist.loaded = ok;
    } catch (e) {
      hooks.mnist.error = `Could not load the page's MNIST subset (${e.message}). ` +
                          'The page must be built with the MNIST files present (scripts/fetch-mnist.sh).';
      hooks.command(`mnist.data_error=${hooks.mnist.error}`);
    }
  }

  // A model from a URL: ?weights=URL, or the default model shipped with the page.
  async function fetchWeights(url) {
    const source = url || DEFAULT_MODEL;
    try {
      const resolved = new URL(source, location.href);
      const bytes = await fetchBytes(resolved.href);
      const path = writeFile('/models', decodeURIComponent(resolved.pathname) || 'weights.safetensors', bytes);
      hooks.command(url ? `mnist.load_weights=${path}` : `mnist.default_weights=${path}`);
    } catch (e) {
      hooks.command(`mnist.weights_error=Could not load the weights file ${source}: ${e.message}`);
    }
  }

  window.nnplayFetchMnist = (weightsUrl) => {
    fetchMnist();
    fetchWeights(weightsUrl);
  };
  // A model the panel asks for later, by its path under the site: the trained CNN
  // (models/mnist-cnn.safetensors) is fetched only when "Load the trained CNN" is pressed.
  window.nnplayFetchWeights = (url) => fetchWeights(url);

  // A weights file from the user's disk (picker or drop): read, placed, loaded; a bad file
  // is reported by the program's reader in the panel, and the page keeps working.
  async function openUserFile(file) {
    if (!hooks.ready) return;
    try {
      const path = writeFile('/uploads', file.name, new Uint8Array(await file.arrayBuffer()));
      hooks.command(`panel=mnist`);
      hooks.command(`mnist.load_weights=${path}`);
    } catch (e) {
      hooks.command(`mnist.weights_error=Could not read ${file.name}: ${e.message}`);
    }
  }

  const picker = document.getElementById('weights-file');
  picker.addEventListener('change', () => {
    if (picker.files.length > 0) openUserFile(picker.files[0]);
    picker.value = '';  // picking the same file again loads it again
  });
  window.nnplayPickWeights = () => picker.click();

  // Drag and drop anywhere on the page; without preventDefault the browser would open it.
  window.addEventListener('dragover', (e) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    const file = e.dataTransfer.files[0];
    if (file) openUserFile(file);
  });

  // A file the program wrote under /downloads becomes a browser download, then is removed.
  window.nnplayDownload = (path) => {
    const FS = window.Module.FS;
    const name = path.split('/').pop();
    const bytes = FS.readFile(path);
    FS.unlink(path);
    const type = name.endsWith('.png') ? 'image/png' : 'application/octet-stream';
    const url = URL.createObjectURL(new Blob([bytes], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    hooks.downloads.push({ name, bytes: bytes.byteLength });
  };

  canvas.addEventListener('webglcontextlost', (e) => {
    e.preventDefault();
    showError('The graphics context was lost (the GPU was reset or the tab was suspended). Reload the page to continue.',
              'WebGL context lost');
  });
  canvas.addEventListener('contextmenu', (e) => e.preventDefault());

  window.Module = {
    canvas,
    arguments: query ? ['--settings', query] : [],
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
    instantiateWasm(imports, receive) {
      instantiate(imports)
        .then((result) => receive(result.instance, result.module))
        .catch((e) => showError(`Could not load nnplay.wasm: ${e.message}`));
      return {};
    },
    onRuntimeInitialized() {
      const M = window.Module;
      hooks._state = M.cwrap('nnplay_test_state', 'string', []);
      hooks._command = M.cwrap('nnplay_test_command', 'number', ['string']);
      hooks._settings = M.cwrap('nnplay_settings', 'string', []);
      hooks._liveStatus = M.cwrap('nnplay_live_status', 'string', []);
      hooks._frameStats = M.cwrap('nnplay_frame_stats', 'string', []);
      loaderText.textContent = 'Starting…';
    },
    onAbort(what) {
      showError(`nnplay stopped: ${what}`);
    },
  };

  setProgress(0, 0);
  const script = document.createElement('script');
  script.src = 'nnplay.js';
  script.onerror = () => showError('Could not load nnplay.js. If you opened the file directly, serve the folder over HTTP.');
  document.body.appendChild(script);
})();
