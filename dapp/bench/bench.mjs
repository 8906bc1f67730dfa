#!/usr/bin/env node
// dApp bench: builds, then prints
//   dapp.initial_js_gzip_kb  JS needed for the first screen: the entry chunk and its static imports, gzip
//   dapp.first_screen_ms     Chromium, `vite preview` of the build, navigation start → the first screen's heading (median)
// Goals: ≤ 200 kB and ≤ 1,500 ms.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { freePort } from '../../tools/lib.mjs';

const dapp = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(dapp, 'dist');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: dapp, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`);
}


/** Entry chunk + every chunk it imports statically (transitively), from Vite's manifest. */
function initialJsGzipKb() {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
  const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
  if (!entry) throw new Error('no entry chunk in the manifest');
  const files = new Set();
  const visit = (key) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entry[0]);
  let bytes = 0;
  for (const file of files) if (file.endsWith('.js')) bytes += gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  return { kb: bytes / 1024, files: [...files] };
}

async function waitForHttp(url, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

async function firstScreenMs(url) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const times = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext(); // cold cache every run
      const page = await context.newPage();
      // Record, inside the page, the moment the first screen's heading is in the DOM (no polling delay).
      await page.addInitScript(() => {
        const check = () => {
          if (!window.__firstScreenMs && document.querySelector('main h1')) window.__firstScreenMs = performance.now();
        };
        new MutationObserver(check).observe(document, { childList: true, subtree: true });
      });
      await page.goto(url, { waitUntil: 'commit' });
      await page.waitForSelector('main h1', { state: 'visible', timeout: 15_000 });
      times.push(await page.evaluate(() => window.__firstScreenMs ?? performance.now()));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

if (!process.env.BENCH_SKIP_BUILD) run('pnpm', ['exec', 'vite', 'build', '--logLevel', 'warn']);
if (!existsSync(join(dist, 'index.html'))) throw new Error('no build in dist/');
const initial = initialJsGzipKb();

const port = await freePort();
const preview = spawn('pnpm', ['exec', 'vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: dapp, stdio: 'ignore', detached: true });
let ms;
try {
  await waitForHttp(`http://127.0.0.1:${port}/`);
  ms = await firstScreenMs(`http://127.0.0.1:${port}/`);
} finally {
  try {
    process.kill(-preview.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

console.log(`dapp.initial_js_gzip_kb: ${initial.kb.toFixed(1)}`);
console.log(`dapp.first_screen_ms: ${Math.round(ms)}`);
if (process.env.BENCH_VERBOSE) console.error(`initial chunks: ${initial.files.join(', ')}`);
