#!/usr/bin/env node
// Quick start, command 1: installs the workspace (pnpm via npx when missing) and starts the whole local stack.
// A stop signal sent to this process alone (not only a terminal's Ctrl-C to the group) is passed on to the stack,
// which stops every service and frees the ports before this process exits.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { root, runAsync, stopRunningSteps } from './lib.mjs';
import { pnpmCommand } from './pnpm.mjs';

let child = null;
let stopSignal = null;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopSignal ??= signal;
    if (child) child.kill(signal);
    else stopRunningSteps(); // the install; its failure then ends this process
  });
}

const startedMs = Date.now();
const install = { cpuS: 0 };
const [pnpm, prefix] = pnpmCommand();
try {
  // Frozen and offline-first: a no-op in a second or two when node_modules already matches the lockfile.
  await runAsync(pnpm, [...prefix, 'install', '--frozen-lockfile', '--prefer-offline'], { cwd: root, label: 'install', meter: install });
} catch (e) {
  if (stopSignal) process.exit(130);
  console.error(`install failed: ${e.message}`);
  process.exit(1);
}
if (stopSignal) process.exit(130);

// The stack's figures ("up in N s", its timings) count from this command's start, the install included.
const installWallS = (Date.now() - startedMs) / 1000;
child = spawn(process.execPath, [join(root, 'tools/stack.mjs'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NECTO_UP_STARTED_MS: String(startedMs), NECTO_UP_INSTALL: `${installWallS.toFixed(1)},${install.cpuS.toFixed(1)}` },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
