#!/usr/bin/env node
// Runs forge (from the npm platform package, whose exit code is real) from the repository root,
// so foundry.toml's relative solc shim path resolves. Exits with forge's own exit code.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
export const bin = (tool) => require.resolve(`@foundry-rs/${tool}-linux-amd64/bin/${tool}`);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = spawnSync(bin('forge'), process.argv.slice(2), {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FOUNDRY_SOLC: join(root, 'tools/solc/solc') },
  });
  process.exit(r.status ?? 1);
}
