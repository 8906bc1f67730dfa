// Test helpers: a real anvil (the binary itself, so it can be stopped by PID) with the Necto contracts deployed by
// the project's own deploy script. The deployed state is cached (keyed on the Solidity sources) and loaded into
// each fresh anvil, so only the first test pays for `forge script`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { freePort } from '../../../tools/lib.mjs';
export { freePort };
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Deployment } from '@necto/contracts';
import { deploymentFromJson } from '../../src/config.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(join(repoRoot, 'package.json'));
export const anvilBin = require.resolve('@foundry-rs/anvil-linux-amd64/bin/anvil');

/** Anvil's public development keys. #0 deploys and buys, #1 is the keeper. */
export const ANVIL_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
] as const;


export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

export interface Anvil {
  port: number;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startAnvil(opts: { port?: number; blockTime?: number; args?: string[] } = {}): Promise<Anvil> {
  const port = opts.port ?? (await freePort());
  const args = ['--port', String(port), '--host', '127.0.0.1', '--silent', ...(opts.blockTime ? ['--block-time', String(opts.blockTime)] : []), ...(opts.args ?? [])];
  const child: ChildProcess = spawn(anvilBin, args, { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; ; i++) {
    try {
      await rpc(url, 'eth_chainId');
      break;
    } catch (err) {
      if (i > 100 || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`anvil did not start on ${port}: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    port,
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      process.kill(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

interface DeployCache {
  state: string;
  deployment: unknown;
}

function sourcesKey(env: Record<string, string>): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.sol')) h.update(p).update(readFileSync(p));
    }
  };
  walk(join(repoRoot, 'contracts/src'));
  walk(join(repoRoot, 'contracts/script'));
  h.update(JSON.stringify(env));
  return h.digest('hex').slice(0, 16);
}

async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = join(tmpdir(), `necto-keeper-${name}.lock`);
  for (let i = 0; ; i++) {
    try {
      mkdirSync(dir);
      break;
    } catch {
      // A lock older than 3 minutes belongs to a crashed run.
      try {
        if (Date.now() - statSync(dir).mtimeMs > 180_000) rmSync(dir, { recursive: true, force: true });
      } catch {}
      if (i > 3_000) throw new Error(`lock ${dir} held too long`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The deployed state for these deploy-script settings: from the cache, or by running the deploy script once. */
async function deployedState(env: Record<string, string>): Promise<DeployCache> {
  const file = join(tmpdir(), `necto-keeper-deploy-${sourcesKey(env)}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DeployCache;
  return withLock('deploy', async () => {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DeployCache;
    const anvil = await startAnvil();
    try {
      const r = spawnSync(
        process.execPath,
        ['tools/forge.mjs', 'script', 'contracts/script/Deploy.s.sol', '--rpc-url', anvil.url, '--private-key', ANVIL_KEYS[0], '--broadcast'],
        { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 },
      );
      if (r.status !== 0) throw new Error(`deploy failed:\n${(r.stdout + r.stderr).slice(-3000)}`);
      const deployment = JSON.parse(readFileSync(join(repoRoot, 'contracts/deployments/31337.json'), 'utf8')) as unknown;
      const state = await rpc<string>(anvil.url, 'anvil_dumpState');
      const cache: DeployCache = { state, deployment };
      writeFileSync(file, JSON.stringify(cache));
      return cache;
    } finally {
      await anvil.stop();
    }
  });
}

export interface DeployedAnvil extends Anvil {
  deployment: Deployment;
  state: string;
}

/** A fresh anvil holding a deployment made by `contracts/script/Deploy.s.sol`. */
export async function startDeployedAnvil(opts: { port?: number; blockTime?: number; deployEnv?: Record<string, string> } = {}): Promise<DeployedAnvil> {
  const cache = await deployedState(opts.deployEnv ?? {});
  const anvil = await startAnvil(opts);
  await rpc(anvil.url, 'anvil_loadState', [cache.state]);
  return { ...anvil, deployment: deploymentFromJson(cache.deployment), state: cache.state };
}
