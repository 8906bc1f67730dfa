/**
 * A throw-away local stack for integration tests: anvil on a free port, the real contracts deployed with
 * contracts/script/Deploy.s.sol, the subgraph manifest generated for that deployment and built into a temporary
 * directory, and the devnode indexing it in-process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { freePort } from '../../../tools/lib.mjs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevnode, type Devnode } from '@necto/devnode/src/index.ts';

export const subgraphDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const root = join(subgraphDir, '..');

/** anvil's first default key: the deployer (admin, treasury, arbiter, pauser in Deploy.s.sol). */
export const DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

export interface Deployment {
  chainId: number;
  startBlock: number;
  contracts: {
    AccessManager: `0x${string}`;
    MockUSDC: `0x${string}`;
    ProviderRegistry: `0x${string}`;
    TeamRegistry: `0x${string}`;
    JobMarket: `0x${string}`;
  };
}

export interface Stack {
  rpc: string;
  deployment: Deployment;
  devnode: Devnode;
  /** Runs a GraphQL query against the devnode; throws on GraphQL errors. */
  query<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Raw response (data and errors). */
  request(query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: { message: string }[] }>;
  /** Waits until the devnode has indexed the chain's current head. */
  synced(): Promise<number>;
  close(): Promise<void>;
}


async function rpcCall(rpc: string, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(rpc, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** Starts the anvil binary itself (not pnpm's shell wrapper) so that killing its PID stops it. */
export async function startAnvil(extraArgs: string[] = []): Promise<{ rpc: string; process: ChildProcess; stop(): void }> {
  const require = createRequire(join(root, 'package.json'));
  const bin = require.resolve('@foundry-rs/anvil-linux-amd64/bin/anvil');
  const port = await freePort();
  const child = spawn(bin, ['--host', '127.0.0.1', '--port', String(port), '--silent', ...extraArgs], { stdio: 'ignore' });
  const rpc = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGTERM');
  };
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`anvil exited with ${child.exitCode}`);
    try {
      await rpcCall(rpc, 'eth_chainId');
      return { rpc, process: child, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  stop();
  throw new Error('anvil did not answer on ' + rpc);
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Deploys with the real deploy script. It writes contracts/deployments/<chainId>.json, which the local dev stack
 * also uses: the file is read and then restored to what it was, so tests leave the working tree as they found it.
 */
export function deploy(rpc: string): Deployment {
  const file = join(root, 'contracts/deployments/31337.json');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
  try {
    run(process.execPath, [join(root, 'tools/forge.mjs'), 'script', 'contracts/script/Deploy.s.sol', '--rpc-url', rpc, '--private-key', DEPLOYER_KEY, '--broadcast'], root);
    return JSON.parse(readFileSync(file, 'utf8')) as Deployment;
  } finally {
    if (before === null) rmSync(file, { force: true });
    else writeFileSync(file, before);
  }
}

/** Hash of everything a build depends on: sources, schema, template, manifest script, ABIs and the deployment. */
function buildKey(deployment: Deployment): string {
  const hash = createHash('sha256');
  const add = (file: string) => {
    hash.update(file);
    hash.update(readFileSync(file));
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else add(full);
    }
  };
  for (const f of ['schema.graphql', 'subgraph.template.yaml', 'scripts/manifest.mjs', 'package.json']) add(join(subgraphDir, f));
  walk(join(subgraphDir, 'src'));
  for (const name of ['JobMarket', 'ProviderRegistry', 'TeamRegistry']) add(join(root, 'contracts/generated/abis', `${name}.json`));
  hash.update(JSON.stringify(deployment));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Generates the manifest for `deployment` (scripts/manifest.mjs), runs codegen and builds. Builds are cached under
 * node_modules/.cache by a hash of their inputs (a fresh anvil gives the same addresses every run), so only the
 * first run after a change pays for graph-cli's compilation.
 */
export function buildSubgraph(deployment: Deployment, workDir: string): string {
  const cacheDir = join(subgraphDir, 'node_modules/.cache/necto-subgraph-build', buildKey(deployment));
  if (existsSync(join(cacheDir, 'subgraph.yaml'))) return cacheDir;
  const deploymentFile = join(workDir, `deployment-${deployment.chainId}.json`);
  writeFileSync(deploymentFile, JSON.stringify(deployment));
  const manifest = `subgraph.test-${process.pid}.yaml`;
  const buildDir = join(workDir, 'build');
  const graph = join(subgraphDir, 'node_modules/.bin/graph');
  try {
    run(process.execPath, [join(subgraphDir, 'scripts/manifest.mjs'), '--network', 'local', '--deployment', deploymentFile, '--out', manifest], subgraphDir);
    run(graph, ['codegen', manifest], subgraphDir);
    run(graph, ['build', manifest, '--output-dir', buildDir], subgraphDir);
  } finally {
    rmSync(join(subgraphDir, manifest), { force: true });
  }
  mkdirSync(dirname(cacheDir), { recursive: true });
  rmSync(cacheDir, { recursive: true, force: true });
  cpSync(buildDir, cacheDir, { recursive: true });
  return cacheDir;
}

export async function startStack(): Promise<Stack> {
  const workDir = mkdtempSync(join(tmpdir(), 'necto-subgraph-'));
  const anvil = await startAnvil();
  let devnode: Devnode | null = null;
  try {
    let t = Date.now();
    const deployment = deploy(anvil.rpc);
    const deployMs = Date.now() - t;
    t = Date.now();
    const buildDir = buildSubgraph(deployment, workDir);
    if (process.env.STACK_TIMINGS) console.log(`stack: deploy ${deployMs} ms, manifest+codegen+build ${Date.now() - t} ms`);
    devnode = await startDevnode({
      subgraph: buildDir,
      rpc: anvil.rpc,
      port: 0,
      host: '127.0.0.1',
      name: 'necto',
      pollMs: 20,
      log: (level, message, fields) => {
        if (level === 'critical' || level === 'error') console.error(`[devnode] ${level} ${message}`, fields);
      },
    });
    const node = devnode;
    const url = node.url!;

    const request = async (query: string, variables?: Record<string, unknown>) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: any; errors?: { message: string }[] };
    };
    const synced = async () => {
      const head = Number(BigInt(await rpcCall(anvil.rpc, 'eth_blockNumber')));
      await node.waitForBlock(head, 60_000);
      const { fatalError } = node.status();
      if (fatalError) throw new Error(`devnode failed at block ${fatalError.block.number}: ${fatalError.message}`);
      return head;
    };
    return {
      rpc: anvil.rpc,
      deployment,
      devnode: node,
      request,
      async query(query, variables) {
        const body = await request(query, variables);
        if (body.errors?.length) throw new Error(`GraphQL errors: ${body.errors.map((e) => e.message).join('; ')}\n${query}`);
        return body.data;
      },
      synced,
      async close() {
        await node.close();
        anvil.stop();
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await devnode?.close();
    anvil.stop();
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}
