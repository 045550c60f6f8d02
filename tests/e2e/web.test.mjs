// End-to-end tests of the nnplay web page in headless Chromium (Debian's /usr/bin/chromium
// through playwright-core), against the page served at NNPLAY_URL (default
// http://127.0.0.1:8080/, scripts/serve.sh). Screenshots go to build/e2e-artifacts/.
// Run: node tests/e2e/web.test.mjs   (scripts/test.sh starts and stops the server)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { BASE_URL, artifact, command, launch, loadPage, openPage, screenshotDrawn, state, waitFrames, waitReady,
         waitState } from './lib/browser.mjs';
import { decodePng } from './lib/png.mjs';

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PANELS = ['gates', 'loss', 'network', 'mnist', 'step'];  // the tab order of ui/shell/app.cpp

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// Opens the page at a query string; returns { page, problems, context }.
const load = (query = '', contextOptions = DESKTOP) => loadPage(browser, query, contextOptions);

// The tabs of the panel bar, found in the pixels (so the test does not hard-code label
// widths): runs along the tab row that differ from the window's background, separated by
// background gaps. Returns CSS-pixel centres.
async function findTabs(page) {
  const png = decodePng(await page.screenshot({ scale: 'css' }));
  const y = 17;  // the middle of ImGui's tab row: window padding 8 + half of a 19 px tab
  const at = (x) => {
    const i = (y * png.width + x) * png.channels;
    return (png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2];
  };
  const row = Array.from({ length: png.width }, (_, x) => at(x));
  const background = row[4];  // inside the window's 8 px padding, left of the first tab
  const tabs = [];
  let start = -1;
  for (let x = 0; x <= png.width; x++) {
    const inside = x < png.width && row[x] !== background;
    if (inside && start < 0) start = x;
    if (!inside && start >= 0) {
      if (x - start > 20) tabs.push({ x: (start + x) / 2, y, width: x - start });
      start = -1;
    }
  }
  return tabs;
}

test('the page loads without console errors and draws the panels', async () => {
  const { page, problems, context } = await load();
  await waitFrames(page, 10);
  const ui = await page.evaluate(() => ({
    loaderHidden: getComputedStyle(document.getElementById('loader')).display === 'none',
    errorShown: getComputedStyle(document.getElementById('error')).display !== 'none',
    live: document.getElementById('status').getAttribute('aria-live'),
    status: document.getElementById('status').textContent,
    search: location.search,
  }));
  assert.ok(ui.loaderHidden, 'the loading indicator is still shown');
  assert.equal(ui.errorShown, false);
  assert.equal(ui.live, 'polite');
  assert.match(ui.status, /perceptron .* rows correct/, 'the live region mirrors App::live_status()');
  const s = await state(page);
  assert.equal(s.panel, 'gates');
  assert.equal(s.mode, 'per-frame-slices');
  await screenshotDrawn(page, 'web-loaded.png');
  assert.deepEqual(problems, [], 'console errors, page errors or failed requests');
  await context.close();
});

test('each panel renders', async () => {
  const { page, problems, context } = await load();
  const shots = [];
  for (const panel of PANELS) {
    assert.equal(await command(page, `panel=${panel}`), true, `command panel=${panel}`);
    await waitFrames(page, 5);
    assert.equal((await state(page)).panel, panel);
    // The page's copy of the GL state that ImGui queries (web/gl-state-shadow.js) is in use
    // and equals the context's real state.
    const shadow = await page.evaluate(() => window.nnplayGlShadowCheck(document.getElementById('canvas').getContext('webgl2')));
    assert.equal(shadow.kept, 7, 'the scissor box and six blend values are answered from the copy');
    assert.deepEqual(shadow.mismatches, [], `GL state copy after panel ${panel}`);
    const { path } = await screenshotDrawn(page, `web-panel-${panel}.png`);
    shots.push(readFileSync(path));
  }
  for (let i = 0; i < shots.length; i++)
    for (let j = i + 1; j < shots.length; j++)
      assert.ok(!shots[i].equals(shots[j]), `panels ${PANELS[i]} and ${PANELS[j]} look identical`);
  assert.equal(await command(page, 'no-such-command'), false, 'unknown commands are refused');
  assert.deepEqual(problems, []);
  await context.close();
});

test('XOR with a 2-2-1 network trains to accuracy 1.0 in the page', async () => {
  const { page, problems, context } = await load('?panel=gates&gate=xor');
  assert.equal(await command(page, 'xor221.train'), true);
  const s = await waitState(page, (st) => st.xor221.started && !st.xor221.running && st.xor221.epoch > 0,
                            { what: 'XOR 2-2-1 training to finish' });
  assert.equal(s.xor221.train_acc, 1, `XOR 2-2-1 accuracy ${s.xor221.train_acc} after ${s.xor221.epoch} epochs`);
  assert.ok(s.xor221.train_loss < 0.05, `loss ${s.xor221.train_loss}`);
  await waitFrames(page, 3);
  await screenshotDrawn(page, 'web-xor221-trained.png');
  const live = await page.evaluate(() => document.getElementById('status').textContent);
  assert.match(live, /XOR 2-2-1 .*accuracy 1\.00/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the network lab trains the tutorial's XOR MLP to accuracy 1.0, live region following", async () => {
  const { page, problems, context } = await load('?panel=network');
  const seen = new Set();
  const poll = setInterval(() => {
    page.evaluate(() => document.getElementById('status').textContent).then((t) => seen.add(t), () => {});
  }, 200);
  assert.equal(await command(page, 'network.train'), true);
  const s = await waitState(page, (st) => !st.network.running && st.network.epoch > 0 && st.network.epoch === st.network.max_epochs,
                            { what: 'the network lab to finish its epochs', timeout: 240000 });
  clearInterval(poll);
  assert.equal(s.network.accuracy, 1, `network accuracy ${s.network.accuracy} at epoch ${s.network.epoch}`);
  assert.ok(seen.size >= 3, `the live region changed only ${seen.size} times while training`);
  await waitFrames(page, 3);
  await screenshotDrawn(page, 'web-network-trained.png');
  assert.deepEqual(problems, []);
  await context.close();
});

test('settings in the URL are restored, and the URL follows the app', async () => {
  const query = '?panel=network&dataset=spiral&layers=2-8-8-1&act=tanh&lr=0.03&seed=7';
  const { page, problems, context } = await load(query);
  let s = await state(page);
  assert.deepEqual(s.warnings, []);
  assert.equal(s.panel, 'network');
  assert.equal(s.network.dataset, 'spiral');
  for (const kv of ['dataset=spiral', 'layers=2-8-8-1', 'act=tanh', 'lr=0.03', 'seed=7'])
    assert.ok(s.settings.split('&').includes(kv), `${kv} not in restored settings ${s.settings}`);
  await screenshotDrawn(page, 'web-url-settings.png');

  assert.equal(await command(page, 'panel=loss'), true);
  await waitFrames(page, 5);
  const search = await page.evaluate(() => location.search);
  assert.ok(search.includes('panel=loss') && search.includes('dataset=spiral'),
            `history.replaceState did not follow: ${search}`);
  await page.reload();
  await waitReady(page);
  s = await state(page);
  assert.equal(s.panel, 'loss', 'reloading the replaced URL restores the panel');
  assert.ok(s.settings.split('&').includes('seed=7'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('without WebGL2 the page shows a readable error, not a blank canvas', async () => {
  const noGl = await launch(['--disable-webgl', '--disable-3d-apis']);
  try {
    const { page, problems } = await openPage(noGl, DESKTOP);
    const requests = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(BASE_URL);
    await page.waitForFunction(() => getComputedStyle(document.getElementById('error')).display !== 'none',
                               null, { timeout: 20000 });
    const ui = await page.evaluate(() => ({
      text: document.getElementById('error').innerText,
      role: document.getElementById('error').getAttribute('role'),
      canvasShown: getComputedStyle(document.getElementById('canvas')).display !== 'none',
      loaderShown: getComputedStyle(document.getElementById('loader')).display !== 'none',
    }));
    assert.match(ui.text, /WebGL2/);
    assert.match(ui.text, /enable|try/i, 'the message says what to do');
    assert.equal(ui.role, 'alert');
    assert.equal(ui.canvasShown, false);
    assert.equal(ui.loaderShown, false);
    assert.ok(!requests.some((p) => p.endsWith('.wasm')), 'the module was downloaded although it cannot run');
    await page.screenshot({ path: artifact('web-no-webgl2.png') });
    assert.deepEqual(problems, []);
  } finally {
    await noGl.close();
  }
});

test('a phone-sized viewport with touch: HiDPI canvas, taps switch panels, no page scroll', async () => {
  const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
  const { page, problems, context } = await load('', phone);
  await waitFrames(page, 5);
  const layout = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    const r = c.getBoundingClientRect();
    return {
      width: c.width, height: c.height, cssWidth: r.width, cssHeight: r.height, dpr: devicePixelRatio,
      touchAction: getComputedStyle(c).touchAction,
      scrollable: document.scrollingElement.scrollWidth > innerWidth || document.scrollingElement.scrollHeight > innerHeight,
    };
  });
  assert.equal(layout.dpr, 3);
  assert.equal(layout.cssWidth, 390);
  // Backing store = CSS size x devicePixelRatio (SDL rounds down fractional CSS pixels).
  assert.equal(layout.width, Math.floor(layout.cssWidth * 3));
  assert.ok(Math.abs(layout.height - layout.cssHeight * 3) < 3, `canvas height ${layout.height} for ${layout.cssHeight} CSS px`);
  assert.equal(layout.touchAction, 'none');
  assert.equal(layout.scrollable, false, 'the page itself must not scroll');
  await screenshotDrawn(page, 'web-phone.png');

  const tabs = await findTabs(page);
  assert.equal(tabs.length, PANELS.length, `found ${tabs.length} tabs: ${JSON.stringify(tabs)}`);
  for (const index of [2, 1, 0, 3]) {
    await page.touchscreen.tap(tabs[index].x, tabs[index].y);
    await waitState(page, (st) => st.panel === PANELS[index], { timeout: 10000, what: `panel ${PANELS[index]} after a tap` });
  }
  await page.touchscreen.tap(tabs[2].x, tabs[2].y);
  await waitState(page, (st) => st.panel === 'network', { timeout: 10000, what: 'network panel after a tap' });
  await waitFrames(page, 3);
  await screenshotDrawn(page, 'web-phone-network.png');

  // A swipe that starts off any widget scrolls the panel (the tab row moves out of view)
  // and a swipe back brings it back; the page itself never scrolls.
  const cdp = await context.newCDPSession(page);
  const swipe = async (x, fromY, toY) => {
    const steps = 6;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: fromY }] });
    await waitFrames(page, 2);
    for (let i = 1; i <= steps; i++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: fromY + ((toY - fromY) * i) / steps }] });
      await waitFrames(page, 1);
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await waitFrames(page, 3);
  };
  // Off any widget: the right end of the blank line under the network drawing's caption
  // (the drawing and the decision map fill the width on a phone and take touches).
  await swipe(340, 335, 30);
  const scrolled = await findTabs(page);
  assert.notDeepEqual(scrolled, tabs, 'a swipe up did not scroll the panel');
  await screenshotDrawn(page, 'web-phone-scrolled.png');
  await swipe(340, 450, 800);  // again off any widget: right of the decision map's caption
  assert.deepEqual(await findTabs(page), tabs, 'a swipe down did not scroll back to the tab row');
  assert.equal(await page.evaluate(() => scrollY), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('HiDPI desktop: the canvas follows devicePixelRatio and window resizes', async () => {
  const { page, problems, context } = await load('', { viewport: { width: 1200, height: 800 }, deviceScaleFactor: 2 });
  const size = () => page.evaluate(() => {
    const c = document.getElementById('canvas');
    const r = c.getBoundingClientRect();
    return { width: c.width, height: c.height, cssWidth: r.width, cssHeight: r.height };
  });
  let s = await size();
  assert.equal(s.width, 2400);
  assert.ok(Math.abs(s.height - s.cssHeight * 2) < 2, `canvas height ${s.height} for ${s.cssHeight} CSS px`);
  await page.setViewportSize({ width: 900, height: 640 });
  await page.waitForFunction(() => document.getElementById('canvas').width === 1800, null, { timeout: 10000 });
  await waitFrames(page, 5);
  s = await size();
  assert.ok(Math.abs(s.height - s.cssHeight * 2) < 2, `canvas height ${s.height} for ${s.cssHeight} CSS px`);
  await screenshotDrawn(page, 'web-hidpi-resized.png');
  assert.deepEqual(problems, []);
  await context.close();
});
