// Small process helpers shared by the stack, the test runner and the benchmarks.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** Path of a Foundry binary from its npm platform package (the real binary, so its PID can be killed). */
export const foundryBin = (tool) => require.resolve(`@foundry-rs/${tool}-linux-amd64/bin/${tool}`);

/** Anvil's well-known development accounts (public test keys, never used outside local chains). */
export const ANVIL_ACCOUNTS = [
  ['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'],
  ['0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'],
  ['0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a'],
  ['0x90F79bf6EB2c4f870365E785982E1f101E93b906', '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6'],
  ['0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65', '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a'],
  ['0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc', '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba'],
  ['0x976EA74026E726554dB657fA54763abd0C3a0aa9', '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e'],
  ['0x14dC79964da2C08b23698B3D3cc7Ca32193d9955', '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356'],
  ['0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f', '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97'],
  ['0xa0Ee7A142d267C1f36714E4a8F75612F20a79720', '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6'],
].map(([address, privateKey]) => ({ address, privateKey }));

// Ports freePort() handed out: the kernel may offer a just-released port again, and the services given them start
// later (the subgraph's after its build), so two of them could otherwise get the same one.
const handedOut = new Set();

function probePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A free TCP port on 127.0.0.1, never one this process was given before. */
export async function freePort() {
  for (;;) {
    const port = await probePort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

/** Whether something listens on 127.0.0.1:port. */
export function portInUse(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(true));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(false)));
  });
}

/** Runs a command to completion, inheriting stdio unless quiet; throws with its output on failure. */
export function run(cmd, args, { cwd = root, env = {}, quiet = false, label = cmd } = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    const out = quiet ? `\n${r.stdout ?? ''}${r.stderr ?? ''}` : '';
    throw new Error(`${label} failed (exit ${r.status ?? r.signal})${out.slice(-4000)}`);
  }
  return r.stdout ?? '';
}

// Build steps running now (runAsync), so a stop signal can end them instead of waiting for them to finish.
const runningSteps = new Set();

// CPU accounting. /proc counts in USER_HZ ticks, 100 per second on every Linux the stack runs on.
const TICKS_PER_SECOND = 100;
const statFields = (text) => text.slice(text.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
/** CPU seconds (user + system) of this process's children that have exited and been waited for, with theirs. */
export function reapedChildrenCpuSeconds() {
  try {
    const f = statFields(readFileSync('/proc/self/stat', 'utf8'));
    return (Number(f[13]) + Number(f[14])) / TICKS_PER_SECOND; // cutime, cstime
  } catch {
    return 0; // no procfs: timings then report wall time only
  }
}
/** CPU seconds used so far by the processes of process group `pgid` (a startProcess/runAsync child's group). */
export function groupCpuSeconds(pgid) {
  let ticks = 0;
  let entries = [];
  try { entries = readdirSync('/proc'); } catch { return 0; }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const f = statFields(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (Number(f[2]) !== pgid) continue; // pgrp
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]); // utime, stime, cutime, cstime
    } catch { /* exited meanwhile */ }
  }
  return ticks / TICKS_PER_SECOND;
}
// Children's CPU is credited to the step whose exit brought it in: the difference since the previous exit.
let reapedSeen = reapedChildrenCpuSeconds();
function creditReaped(meter) {
  const now = reapedChildrenCpuSeconds();
  if (meter) meter.cpuS += Math.max(0, now - reapedSeen);
  reapedSeen = now;
}

/**
 * Runs a command to completion without blocking the event loop (so signals are handled meanwhile), in its own
 * process group. `onLine` sees each output line (progress); throws with the output's tail on failure. `meter`
 * ({ cpuS }) gets the CPU seconds the command used added to it.
 */
export function runAsync(cmd, args, { cwd = root, env = {}, quiet = false, label = cmd, onLine, meter } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    runningSteps.add(child);
    let out = '';
    let partial = '';
    const onData = (chunk) => {
      const text = chunk.toString();
      out = (out + text).slice(-16_000);
      if (!quiet) process.stdout.write(text);
      if (onLine) {
        const lines = (partial + text).split(/\r?\n|\r/);
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) onLine(line.trim());
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => { runningSteps.delete(child); reject(new Error(`${label} could not start: ${e.message}`)); });
    child.on('close', (code, signal) => {
      runningSteps.delete(child);
      creditReaped(meter);
      if (code === 0) resolve(out);
      else reject(new Error(`${label} failed (exit ${code ?? signal})${quiet ? `\n${out.slice(-4000)}` : ''}`));
    });
  });
}

/** Stops every build step still running (the whole process group of each). */
export function stopRunningSteps() {
  for (const child of runningSteps) {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
}

/** Prints `label … 12 s` every `everyMs` while `promise` runs, with the latest progress line; resolves with it. */
export async function withProgress(label, promise, { log = console.log, everyMs = 5000, status = () => '' } = {}) {
  const started = Date.now();
  const timer = setInterval(() => {
    const detail = status();
    log(`  … ${label}: ${Math.round((Date.now() - started) / 1000)} s${detail ? ` — ${detail}` : ''}`);
  }, everyMs);
  try {
    const value = await promise;
    log(`  ✓ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return value;
  } finally {
    clearInterval(timer);
  }
}

function listFiles(path, out) {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.isFile()) {
    out.push(path);
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    listFiles(join(path, entry.name), out);
  }
}

/** A fingerprint of the given files and folders (paths and contents): equal fingerprints, equal inputs. */
export function fingerprint(paths) {
  const hash = createHash('sha256');
  for (const p of paths) {
    const files = [];
    listFiles(join(root, p), files);
    for (const file of files.sort()) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/**
 * Skips a build step whose inputs have not changed since it last succeeded and whose outputs still exist.
 * Returns true when it ran, false when it was skipped.
 */
export async function cachedStep(name, { inputs, outputs }, build) {
  const dir = join(root, '.stack', 'cache');
  const stamp = join(dir, `${name}.sha256`);
  const before = fingerprint(inputs);
  const fresh = existsSync(stamp) && readFileSync(stamp, 'utf8') === before && outputs.every((o) => existsSync(join(root, o)));
  if (fresh) return false;
  await build();
  mkdirSync(dir, { recursive: true });
  writeFileSync(stamp, fingerprint(inputs));
  return true;
}

/**
 * Starts a long-running process in its own process group, prefixing its output, and returns a handle whose
 * stop() kills the whole group (SIGTERM, then SIGKILL after a grace period). With `stdin` its standard input is a
 * pipe (`child.stdin`); `cpuSeconds()` is the CPU the group used so far (after its exit: what it used in all).
 */
export function startProcess(name, cmd, args, { cwd = root, env = {}, quiet = false, logFile, stdin = false } = {}) {
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let tail = '';
  const onData = (chunk) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-8000);
    if (logFile) logFile.write(text.replace(/^(?=.)/gm, `[${name}] `));
    if (!quiet) process.stdout.write(text.replace(/^(?=.)/gm, `[${name}] `));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = false;
  const used = { cpuS: 0 };
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = true;
    creditReaped(used);
    resolve({ code, signal });
  }));
  child.stdin?.on('error', () => { /* it exited before reading */ });
  return {
    name,
    pid: child.pid,
    child,
    exited: () => exited,
    cpuSeconds: () => (exited ? used.cpuS : groupCpuSeconds(child.pid)),
    exitPromise,
    output: () => tail,
    async stop(graceMs = 4000) {
      if (exited) return;
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, graceMs);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}

/**
 * When each phase of a start began and how long it took, in wall and CPU seconds (CPU where the phase is a set of
 * processes: a build's, or a service's until it was ready). Phases may overlap; `startS` is from `originMs`.
 */
export function createTimings(originMs = Date.now()) {
  const phases = [];
  return {
    originMs,
    phases,
    /** Records a phase that began at `startMs` and ends now. */
    add(name, startMs, cpuS) {
      const phase = { name, startS: round1((startMs - originMs) / 1000), wallS: round1((Date.now() - startMs) / 1000) };
      if (cpuS !== undefined) phase.cpuS = round1(cpuS);
      phases.push(phase);
      return phase;
    },
    /** Runs `fn(meter)` as a phase; `meter.cpuS` collects the CPU seconds of its processes. */
    async time(name, fn) {
      const startMs = Date.now();
      const meter = { cpuS: 0 };
      const value = await fn(meter);
      this.add(name, startMs, meter.cpuS);
      return value;
    },
  };
}
const round1 = (n) => Math.round(n * 10) / 10;

/** One line: `contracts 18.2 s (cpu 30.1 s) · deploy 2.0 s · …`, in the order the phases began (`up`, the whole, last). */
export function formatTimings(phases) {
  return [...phases]
    .sort((a, b) => (a.name === 'up') - (b.name === 'up') || a.startS - b.startS)
    .map((p) => `${p.name} ${p.wallS.toFixed(1)} s${p.cpuS ? ` (cpu ${p.cpuS.toFixed(1)} s)` : ''}`)
    .join(' · ');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a truthy value or the timeout passes; the error names what was awaited. */
export async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 250, proc } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (proc?.exited()) throw new Error(`${what}: ${proc.name} exited early.\n${proc.output()}`);
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}${proc ? `\n${proc.output()}` : ''}`);
}

/** One JSON-RPC call. */
export async function rpc(url, method, params = []) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}
