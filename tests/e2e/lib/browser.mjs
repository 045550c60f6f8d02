// Shared set-up for the browser tests and the benchmark: Debian's Chromium driven by
// playwright-core (never a downloaded browser), the page's address, the artifacts folder,
// and helpers that wait on the page's test hook (window.nnplay, see web/nnplay-glue.js).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

import { decodePng, pixelStats } from './png.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const ARTIFACTS = process.env.NNPLAY_ARTIFACTS || join(ROOT, 'build/e2e-artifacts');
export const SITE_DIR = process.env.NNPLAY_SITE || join(ROOT, 'build/web/site');
export const BASE_URL = process.env.NNPLAY_URL || 'http://127.0.0.1:8080/';
export const CHROMIUM = process.env.NNPLAY_CHROMIUM || '/usr/bin/chromium';

// Headless, as root, with WebGL2 on the CPU (SwiftShader through ANGLE), and nothing
// that talks to the network on its own.
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
  '--ignore-gpu-blocklist',
];

mkdirSync(ARTIFACTS, { recursive: true });
export const artifact = (name) => join(ARTIFACTS, name);

export function launch(extraFlags = []) {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, ...extraFlags] });
}

// A page that records everything that would count as an error: console errors, uncaught
// exceptions, failed requests and HTTP errors of the page's own files.
export async function openPage(browser, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { context, page, problems };
}

// Waits until the module has drawn its first frame and the hook answers.
export async function waitReady(page, timeout = 60000) {
  await page.waitForFunction(
    () => window.nnplay?.ready || document.getElementById('error')?.style.display === 'flex',
    null, { timeout });
  const error = await page.evaluate(() =>
    document.getElementById('error').style.display === 'flex' ? document.getElementById('error').innerText : null);
  if (error) throw new Error(`the page shows an error: ${error}`);
}

export const state = (page) => page.evaluate(() => window.nnplay.state());
export const command = (page, cmd) => page.evaluate((c) => window.nnplay.command(c), cmd);

// Waits until the app has drawn `count` more frames (so a command's effect is on screen).
export async function waitFrames(page, count = 3, timeout = 30000) {
  const start = (await state(page)).frames;
  await page.waitForFunction((n) => window.nnplay.state().frames >= n, start + count, { timeout });
}

// Polls the app state until predicate(state) holds; returns that state.
export async function waitState(page, predicate, { timeout = 120000, interval = 250, what = 'state' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await state(page);
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}; last state: ${JSON.stringify(last).slice(0, 600)}`);
}

// Opens the page (optionally with a query string) in a new context, waits for the first
// frame, and returns { page, problems, context }; the caller closes the context.
export async function loadPage(browser, query = '', contextOptions = {}) {
  const opened = await openPage(browser, contextOptions);
  await opened.page.goto(new URL(query, BASE_URL).href);
  await waitReady(opened.page);
  return opened;
}

// Saves a screenshot and checks it shows a drawn UI, not a blank or half-drawn canvas.
export async function screenshotDrawn(page, name) {
  const path = artifact(name);
  await page.screenshot({ path, scale: 'css' });
  const stats = pixelStats(decodePng(readFileSync(path)));
  if (stats.colours <= 20) throw new Error(`${name}: only ${stats.colours} colours, the canvas looks blank`);
  if (stats.foreground <= 0.03) throw new Error(`${name}: only ${(stats.foreground * 100).toFixed(1)}% of pixels drawn`);
  return { path, stats };
}
