// Runs pnpm whether or not it is installed globally (a fresh machine has only Node and npm).
import { spawnSync } from 'node:child_process';

export const PNPM_VERSION = '10.34.9';

function hasPnpm() {
  const r = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().startsWith('10.');
}

/** [command, prefixArgs] that invoke pnpm 10. */
export function pnpmCommand() {
  return hasPnpm() ? ['pnpm', []] : ['npx', ['-y', `pnpm@${PNPM_VERSION}`]];
}
