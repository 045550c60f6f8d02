// nnplay-glue.js: the page side of nnplay's web build. It checks for WebGL2 before
// loading anything, downloads nnplay.wasm with a progress bar, passes location.search to
// the program as its settings, keeps the URL in step with App::settings(), mirrors the
// live status line into the aria-live region, and exposes window.nnplay for tests.
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
  };
  window.nnplay = hooks;

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
