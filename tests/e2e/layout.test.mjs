// The page's layout in both languages: every panel at 1280x800 (a laptop) and 390x844 (a
// phone), in English and Korean, saved as screenshots. At 1280x800 each panel's main
// visual and its train control lie inside the viewport (from the app's state report, not
// from pixels) and the visual takes at least 40% of the height; at 390x844 nothing
// reaches past the window's width. solo=1 shows one panel without the tab bar, and hide=
// leaves named controls out.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { launch, loadPage, screenshotDrawn, state, waitFrames, waitState } from './lib/browser.mjs';

const PANELS = ['gates', 'loss', 'network', 'mnist', 'step'];
const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

function inside(rect, [vw, vh], what) {
  assert.ok(rect, `${what}: not in the state report's layout`);
  const [x, y, w, h] = rect;
  assert.ok(x >= -1 && y >= -1 && x + w <= vw + 1 && y + h <= vh + 1,
            `${what} [${rect.map((v) => v.toFixed(0))}] is not inside the ${vw}x${vh} viewport`);
}

test('every panel in both languages at laptop and phone sizes', async () => {
  const browser = await launch();
  try {
    for (const size of SIZES) {
      for (const lang of ['en', 'ko']) {
        for (const panel of PANELS) {
          const what = `${panel} ${lang} ${size.width}x${size.height}`;
          const { page, problems, context } = await loadPage(browser, `?panel=${panel}&lang=${lang}`, {
            viewport: size,
          });
          await waitFrames(page, 6);
          const s = await waitState(page, (st) => st.layout[`${panel}.visual`] !== undefined, { timeout: 20000, what });
          assert.equal(s.lang, lang, what);
          const layout = s.layout;
          const vp = layout.viewport;
          if (size.width >= 1000) {
            inside(layout[`${panel}.visual`], vp, `${what}: the main visual`);
            inside(layout[`${panel}.train`], vp, `${what}: the train control`);
            assert.ok(layout[`${panel}.visual`][3] >= 0.4 * vp[1],
                      `${what}: the main visual is ${layout[`${panel}.visual`][3].toFixed(0)} px high, under 40% of ${vp[1]}`);
          } else {
            assert.ok(layout.overflow_x <= 1, `${what}: the content reaches ${layout.overflow_x} px past the width`);
          }
          await screenshotDrawn(page, `layout-${panel}-${lang}-${size.width}x${size.height}.png`);
          assert.deepEqual(problems, [], `${what}: ${problems.join('; ')}`);
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
  }
});

test('solo=1 shows one panel alone and hide= leaves controls out', async () => {
  const browser = await launch();
  try {
    const { page, context } = await loadPage(browser, '?panel=network&solo=1&hide=lang,speed', {
      viewport: { width: 1280, height: 800 },
    });
    await waitFrames(page, 4);
    const s = await state(page);
    assert.equal(s.panel, 'network');
    assert.match(s.settings, /solo=1/);
    assert.match(s.settings, /hide=lang,speed/);
    await screenshotDrawn(page, 'layout-solo-network.png');
    await context.close();
  } finally {
    await browser.close();
  }
});
