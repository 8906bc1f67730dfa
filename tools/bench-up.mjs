#!/usr/bin/env node
// Benchmark: a fresh clone of this repository (its committed HEAD) to "Necto is up". Clones into a temporary
// directory, runs `npm run up` there on free ports (the install uses the machine's pnpm store, as a second clone
// would), waits for the stack to say it is up, stops it and removes the clone. Prints `name: value` lines: the
// wall seconds from the command's start to "up", and each phase's wall and CPU seconds (phases overlap: the CPU
// figures tell what a busier or quieter machine changes).
//
//   node tools/bench-up.mjs [--keep]      --keep leaves the clone (its path is printed) for a look at its logs
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './lib.mjs';

const keep = process.argv.includes('--keep');
const UP_TIMEOUT_MS = 15 * 60_000;

const dir = mkdtempSync(join(tmpdir(), 'necto-bench-up-'));
const clone = join(dir, 'necto');
const cloned = spawnSync('git', ['clone', '--quiet', '--no-local', root, clone], { encoding: 'utf8' });
if (cloned.status !== 0) {
  console.error(`git clone failed: ${cloned.stderr}`);
  process.exit(1);
}
const timingsFile = join(dir, 'timings.json');

const startedMs = Date.now();
const up = spawn('npm', ['run', '--silent', 'up', '--', '--free-ports', `--timings=${timingsFile}`], {
  cwd: clone,
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
let output = '';
const upLine = new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`not up after ${UP_TIMEOUT_MS / 1000} s`)), UP_TIMEOUT_MS);
  const onData = (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
    const m = /Necto is up in ([\d.]+) s/.exec(output);
    // The timings file is written right after the line: wait for the process to print its last line.
    if (m && /Timings: /.test(output.slice(m.index))) {
      clearTimeout(timer);
      resolve(Number(m[1]));
    }
  };
  up.stdout.on('data', onData);
  up.stderr.on('data', onData);
  up.on('exit', (code) => { clearTimeout(timer); reject(new Error(`npm run up exited (${code}) before the stack was up`)); });
});

let failed = false;
try {
  const reported = await upLine;
  const wallS = (Date.now() - startedMs) / 1000;
  // The JSON is written after the summary lines; give it a moment if it is not there yet.
  let phases = null;
  for (let i = 0; i < 50 && !phases; i++) {
    try { phases = JSON.parse(readFileSync(timingsFile, 'utf8')).phases; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  console.log(`up.wall_s: ${wallS.toFixed(1)}`);
  console.log(`up.reported_s: ${reported.toFixed(1)}`);
  for (const p of phases ?? []) {
    console.log(`up.${p.name}_s: ${p.wallS.toFixed(1)}`);
    if (p.cpuS !== undefined) console.log(`up.${p.name}_cpu_s: ${p.cpuS.toFixed(1)}`);
  }
} catch (e) {
  failed = true;
  console.error(`${e.message}\n${output.slice(-4000)}`);
} finally {
  // The stack stops every service on a stop signal to `npm run up`'s process group.
  try { process.kill(-up.pid, 'SIGTERM'); } catch { /* gone */ }
  await new Promise((resolve) => {
    if (up.exitCode !== null || up.signalCode !== null) return resolve();
    const timer = setTimeout(() => { try { process.kill(-up.pid, 'SIGKILL'); } catch { /* gone */ } resolve(); }, 30_000);
    up.on('exit', () => { clearTimeout(timer); resolve(); });
  });
  if (keep) console.error(`clone kept at ${clone}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
