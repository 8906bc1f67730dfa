#!/usr/bin/env node
// Installs everything and runs every test of the repository, then prints one honest line: `N passed, N failed`.
// Used by the README's test command and by CI (.ci/run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { foundryBin, freePort, root, rpc, startProcess, waitFor } from './lib.mjs';
import { pnpmCommand } from './pnpm.mjs';
import { buildContracts, deployContracts } from './stack.mjs';

const results = []; // { suite, passed, failed, note }
const resultsDir = join(root, '.test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const want = (name) => only.length === 0 || only.includes(name);

function step(title) {
  console.log(`\n━━ ${title} ${'━'.repeat(Math.max(0, 70 - title.length))}`);
}

function sh(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit', encoding: 'utf8', ...opts, env: { ...process.env, ...(opts.env ?? {}) } });
}

// ── install ────────────────────────────────────────────────────────────────────────────────────────────────────
step('install');
const [pnpm, pnpmPrefix] = pnpmCommand();
if (sh(pnpm, [...pnpmPrefix, 'install', '--frozen-lockfile']).status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const needBrowser = want('dapp-e2e') || want('dapp');
if (needBrowser && !existsSync('/usr/bin/chromium')) {
  if (process.getuid?.() === 0) {
    sh('apt-get', ['update', '-qq']);
    sh('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    console.log('chromium is missing: install it with `sudo apt-get install -y chromium` for the browser tests');
  }
}

const needContainers = want('provider') || want('keeper');
if (needContainers) {
  // The provider suite and the keeper's Akash stand-in e2e run real containers (podman + runc through the Docker
  // API); they fail, not skip, without them.
  const { ensureDebianPackages } = await import('../provider/scripts/podman-service.mjs');
  try {
    ensureDebianPackages(['podman', 'runc', 'busybox-static'], { quiet: false });
  } catch (e) {
    console.log(e.message);
  }
}

// ── build once: contracts, a deployment on a throwaway anvil (deterministic addresses), generated package ─────
step('build');
let buildOk = true;
try {
  buildContracts();
  const port = await freePort();
  const anvil = startProcess('anvil', foundryBin('anvil'), ['--host', '127.0.0.1', '--port', String(port), '--silent'], { quiet: true });
  try {
    await waitFor('anvil', () => rpc(`http://127.0.0.1:${port}`, 'eth_chainId'), { proc: anvil });
    deployContracts(`http://127.0.0.1:${port}`); // also regenerates @necto/contracts
  } finally {
    await anvil.stop();
  }
} catch (e) {
  buildOk = false;
  console.error(e.message);
  results.push({ suite: 'build', passed: 0, failed: 1, note: e.message.split('\n')[0] });
}

// ── suites ─────────────────────────────────────────────────────────────────────────────────────────────────────
function forgeSuite(name, args) {
  step(name);
  const r = spawnSync(process.execPath, [join(root, 'tools/forge.mjs'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, FOUNDRY_PROFILE: process.env.CI ? 'ci' : process.env.FOUNDRY_PROFILE ?? 'default' } });
  process.stdout.write(r.stdout.split('\n').filter((l) => /^(Ran|Suite result|\[FAIL|Encountered|Failing)/.test(l) || /FAIL/.test(l)).join('\n') + '\n');
  process.stderr.write(r.stderr.slice(-4000));
  const m = /(\d+) tests passed, (\d+) failed, (\d+) skipped/.exec(r.stdout);
  if (!m) {
    results.push({ suite: name, passed: 0, failed: 1, note: `forge exited ${r.status} without a summary` });
    return;
  }
  const passed = Number(m[1]);
  let failed = Number(m[2]);
  if (r.status !== 0 && failed === 0) failed = 1; // compile error or crash after the summary
  results.push({ suite: name, passed, failed });
}

function vitestSuite(name, pkgDir, extra = []) {
  step(name);
  if (!existsSync(join(root, pkgDir, 'package.json'))) {
    results.push({ suite: name, passed: 0, failed: 1, note: 'package missing' });
    return;
  }
  const out = join(resultsDir, `${name}.json`);
  const vitest = join(root, pkgDir, 'node_modules/.bin/vitest');
  const r = sh(vitest, ['run', '--reporter=default', '--reporter=json', `--outputFile=${out}`, ...extra], { cwd: join(root, pkgDir) });
  if (!existsSync(out)) {
    results.push({ suite: name, passed: 0, failed: 1, note: `vitest exited ${r.status} without results` });
    return;
  }
  const json = JSON.parse(readFileSync(out, 'utf8'));
  // A file that fails to load has no failed assertion but must still count.
  const brokenFiles = (json.testResults ?? []).filter((t) => t.status === 'failed' && !t.assertionResults?.some((a) => a.status === 'failed')).length;
  let failed = json.numFailedTests + brokenFiles;
  if (r.status !== 0 && failed === 0) failed = 1;
  results.push({ suite: name, passed: json.numPassedTests, failed });
}

if (buildOk) {
  if (want('toolchain')) {
    step('toolchain: a failing Solidity test must fail the run');
    const r = spawnSync(process.execPath, [join(root, 'tools/forge.mjs'), 'test', '--match-path', 'contracts/selfcheck/*'], { cwd: root, encoding: 'utf8', env: { ...process.env, FOUNDRY_TEST: 'contracts/selfcheck' } });
    const ok = r.status !== 0 && /1 failed/.test(r.stdout);
    console.log(ok ? 'forge exits non-zero on a failing test: ok' : `forge exit code not propagated (exit ${r.status})`);
    results.push({ suite: 'toolchain', passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
  }
  if (want('contracts')) {
    step('contracts: formatting');
    const fmt = sh(process.execPath, [join(root, 'tools/forge.mjs'), 'fmt', '--check', 'contracts']);
    results.push({ suite: 'fmt', passed: fmt.status === 0 ? 1 : 0, failed: fmt.status === 0 ? 0 : 1, note: fmt.status === 0 ? undefined : 'run `node tools/forge.mjs fmt contracts`' });
    forgeSuite('contracts', ['test']);
  }
  if (want('gas')) {
    step('gas budgets');
    const r = sh(process.execPath, [join(root, 'tools/bench-gas.mjs')]);
    results.push({ suite: 'gas', passed: r.status === 0 ? 1 : 0, failed: r.status === 0 ? 0 : 1 });
  }
  if (want('devnode')) vitestSuite('devnode', 'subgraph/devnode');
  if (want('subgraph')) vitestSuite('subgraph', 'subgraph');
  if (want('keeper')) vitestSuite('keeper', 'keeper');
  if (want('provider')) vitestSuite('provider', 'provider');
  if (want('dapp')) vitestSuite('dapp', 'dapp');
  if (want('dapp-e2e')) vitestSuite('dapp-e2e', 'dapp', ['--config', 'vitest.e2e.config.ts']);
}

step('summary');
for (const r of results) console.log(`${r.suite.padEnd(12)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(4)} failed${r.note ? `  (${r.note})` : ''}`);
const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
