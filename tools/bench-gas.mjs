#!/usr/bin/env node
// Gas benchmark of the JobMarket operations: runs contracts/test/gas/Gas.t.sol (each test measures one operation
// with vm.snapshotGasLastCall in a steady state, cold storage), reads the snapshot JSON forge wrote, prints
// `gas.<operation>: <gas>` per operation, then checks the budgets. Exits non-zero when forge fails, a budgeted
// operation is missing, or a budget (hard limit) is exceeded; goals (targets) are reported, not enforced. Figures are
// the measured call's own gas (callee perspective): they exclude the 21,000 intrinsic gas and the calldata cost of a
// transaction.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const GAS_TEST = 'contracts/test/gas/Gas.t.sol';
/** Snapshot group: the test contract's name (vm.snapshotGasLastCall(name) groups by contract). */
const GROUP = 'GasTest';

/**
 * Gas budgets (callee gas, see above): the hard limits. A figure above its budget fails the run. Keep in step with
 * the README. The hot paths include the on-chain checks (document hash, offer capacity and hardware, per-job terms).
 * Each budget is its goal, except submitJobWithPermit's: its goal is still missed (see the README's gas section), so
 * its budget is today's figure rounded up to the next thousand, and any regression fails the run.
 */
export const BUDGETS = {
  submitJobWithPermit: 108_000,
  commitRoute: 60_000,
  settle: 55_000,
  withdraw: 45_000,
};

/**
 * Gas goals (callee gas): the targets the operations are tuned towards. Reported as `goal: met` or `goal: missed by
 * N`; a missed goal does not fail the run (the budget does).
 */
export const GOALS = {
  submitJobWithPermit: 100_000,
  commitRoute: 60_000,
  settle: 55_000,
  withdraw: 45_000,
};

/** The snapshots directory from foundry.toml's `snapshots = "…"` (forge's default is `snapshots`). */
function snapshotsDir() {
  const toml = readFileSync(join(root, 'foundry.toml'), 'utf8');
  const match = toml.match(/^\s*snapshots\s*=\s*"([^"]+)"/m);
  return join(root, match ? match[1] : 'snapshots');
}

function runForge() {
  const r = spawnSync(process.execPath, [join(root, 'tools/forge.mjs'), 'test', '--match-path', GAS_TEST], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    // Gas figures come from the default profile (same optimizer settings as the deployment).
    env: { ...process.env, FOUNDRY_PROFILE: process.env.FOUNDRY_PROFILE ?? 'default' },
  });
  return r.status ?? 1;
}

function main() {
  const skipRun = process.argv.includes('--no-run');
  if (!skipRun) {
    const status = runForge();
    if (status !== 0) {
      console.error(`bench-gas: forge test failed (exit ${status})`);
      process.exit(status);
    }
  }
  const file = join(snapshotsDir(), `${GROUP}.json`);
  if (!existsSync(file)) {
    console.error(`bench-gas: no snapshot file at ${file}`);
    process.exit(1);
  }
  /** forge writes { "<name>": "<gas>" } with the figures as decimal strings. */
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  const figures = Object.entries(snapshot).map(([name, gas]) => [name, Number(gas)]);
  figures.sort(([a], [b]) => a.localeCompare(b));
  for (const [name, gas] of figures) console.log(`gas.${name}: ${gas}`);

  let failures = 0;
  console.log('budgets and goals:');
  for (const [name, budget] of Object.entries(BUDGETS)) {
    const goal = GOALS[name];
    const gas = snapshot[name] === undefined ? undefined : Number(snapshot[name]);
    if (gas === undefined || Number.isNaN(gas)) {
      console.log(`  ${name}: MISSING (budget ${budget}, goal ${goal})`);
      failures++;
      continue;
    }
    const budgetVerdict = gas > budget ? `OVER budget by ${gas - budget}` : `within budget (${budget - gas} to spare)`;
    if (gas > budget) failures++;
    console.log(`  ${name}: ${gas} (budget ${budget}, goal ${goal}) ${budgetVerdict}`);
    if (goal !== undefined) {
      console.log(`  ${name} goal: ${gas <= goal ? `met (${goal - gas} to spare)` : `missed by ${gas - goal}`}`);
    }
  }
  console.log(failures === 0 ? 'gas budgets: all met' : `gas budgets: ${failures} exceeded`);
  process.exit(failures === 0 ? 0 : 1);
}

main();
