#!/usr/bin/env node
// Quick start, command 1: installs the workspace (pnpm via npx when missing) and starts the whole local stack.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './lib.mjs';
import { pnpmCommand } from './pnpm.mjs';

const [pnpm, prefix] = pnpmCommand();
const install = spawnSync(pnpm, [...prefix, 'install', '--frozen-lockfile'], { cwd: root, stdio: 'inherit' });
if (install.status !== 0) {
  console.error('install failed; see above.');
  process.exit(install.status ?? 1);
}
const r = spawnSync(process.execPath, [join(root, 'tools/stack.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 0);
