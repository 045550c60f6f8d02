// Links nobody should trust: settings at and beyond their limits, repeated keys, very long
// values, NaN and infinity, bytes that are not UTF-8, and ?weights= pointing at a huge file,
// a missing one, one that is not a model, and a server that never finishes. The page must
// not hang or crash, must name each problem once, and must keep working (it still trains).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { command, launch, loadPage, state, waitFrames, waitState } from './lib/browser.mjs';

// A page that still works: frames advance and the network lab trains.
async function stillWorks(page, what) {
  await waitFrames(page, 3);
  await command(page, 'panel=network');
  await command(page, 'network.train');
  const s = await waitState(page, (st) => st.network.epoch > 0, { timeout: 30000, what: `${what}: training` });
  assert.ok(s.network.epoch > 0, what);
}

test('settings at and beyond their limits: one warning each, the rest applied', async () => {
  const browser = await launch();
  try {
    const long = 'x'.repeat(20000);
    const cases = [
      // [query, keys expected in warnings (once each)]
      ['?lr=0&epochs=0&points=1&noise=2&batch=-1&speed=99999999', ['lr', 'epochs', 'points', 'noise', 'batch', 'speed']],
      ['?lr=NaN&scale=Infinity&w1=-inf&mlr=1e400', ['lr', 'scale', 'w1', 'mlr']],
      ['?panel=network&panel=mnist&panel=nowhere', ['panel']],
      [`?layers=${long}&dataset=${long}`, ['layers', 'dataset']],
      ['?lang=%FF%FE&hide=%C0%AF&mlayers=784-%E2%88%9E-10', ['lang', 'hide', 'mlayers']],
      ['?layers=2-65-1&mlayers=784-1025-10&mbatch=10001&hide=' + 'a,'.repeat(40), ['layers', 'mlayers', 'mbatch', 'hide']],
      [`?${'k'.repeat(5000)}=1&=&&&=x&novalue`, []],
    ];
    for (const [query, keys] of cases) {
      const { page, problems, context } = await loadPage(browser, query);
      const s = await state(page);
      for (const key of keys) {
        const named = s.warnings.filter((w) => w.includes(`'${key}=`));
        assert.ok(named.length >= 1, `${query.slice(0, 80)}: no warning names ${key}: ${JSON.stringify(s.warnings).slice(0, 400)}`);
      }
      assert.ok(s.warnings.every((w) => w.length < 400), `${query.slice(0, 80)}: a warning repeats a long value in full`);
      assert.ok(s.warnings.length >= keys.length, query.slice(0, 80));
      await stillWorks(page, query.slice(0, 80));
      assert.deepEqual(problems, [], `${query.slice(0, 80)}: ${problems.join('; ')}`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});

test('?weights= pointing at a huge file, a missing one, a non-model and a server that hangs', async () => {
  const browser = await launch();
  try {
    const cases = [
      // [link, server, expected error, the page's time limit for the fetch in ms]
      ['huge.safetensors', (route) => route.fulfill({ status: 200, body: Buffer.alloc(65 * 1024 * 1024 + 1) }), /larger than 64 MB/, 120000],
      ['missing.safetensors', (route) => route.fulfill({ status: 404, body: 'not found' }), /404/, 3000],
      ['page.safetensors', (route) => route.fulfill({ status: 200, body: '<html>not a model</html>' }), /page\.safetensors/, 3000],
      ['slow.safetensors', () => { /* never answers */ }, /within 3 s/, 3000],
    ];
    for (const [name, handler, expected, limitMs] of cases) {
      const { page, problems, context } = await (async () => {
        const opened = await browser.newContext();
        await opened.route(`**/${name}`, handler);
        await opened.addInitScript((ms) => { window.nnplayFetchTimeoutMs = ms; }, limitMs);
        opened.close = opened.close.bind(opened);
        const p = await opened.newPage();
        const seen = [];
        p.on('pageerror', (err) => seen.push(`page error: ${err.message}`));
        await p.goto(new URL(`?panel=mnist&weights=${name}`, process.env.NNPLAY_URL || 'http://127.0.0.1:8080/').href);
        await p.waitForFunction(() => window.nnplay?.ready, null, { timeout: 60000 });
        return { page: p, problems: seen, context: opened };
      })();
      const s = await waitState(page, (st) => st.mnist.error !== '' && !st.mnist.waiting_for_page_weights,
                                { timeout: limitMs + 60000, what: `${name}: the problem reported` });
      assert.match(s.mnist.error, expected, `${name}: ${s.mnist.error}`);
      assert.ok(s.mnist.error.includes(name), `${name}: the error names the link: ${s.mnist.error}`);
      await stillWorks(page, name);
      assert.deepEqual(problems, [], `${name}: ${problems.join('; ')}`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});
