/**
 * Bench fixture: compiles bench/fixture/contracts/BenchToken.sol with the repo root's solcjs, builds
 * bench/fixture/subgraph with the devnode package's graph-cli (`graph codegen && graph build`), both cached by
 * a hash of the sources, and drives anvil (the platform binary, started directly and killed by PID).
 *
 * The AssemblyScript mapping is kept as `subgraph/src/mapping.as`, and the build runs in the git-ignored
 * `fixture/.build/` (copied sources, `mapping.as` → `src/mapping.ts`, abis/, generated/, build/): the package's
 * `tsc` includes bench/ and would otherwise type-check AssemblyScript (and graph-ts) as TypeScript; it skips
 * dot-directories.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { freePort } from '../../../tools/lib.mjs';
export { freePort };
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Abi, Hex } from 'viem';

const here = dirname(fileURLToPath(import.meta.url));
export const packageDir = resolve(here, '..');
const repoRoot = resolve(packageDir, '../..');
export const fixtureDir = join(here, 'fixture');
export const subgraphDir = join(fixtureDir, 'subgraph');
const workDir = join(fixtureDir, '.build');
export const buildDir = join(workDir, 'build');
/** first contract deployed by anvil's first default account (nonce 0), as in subgraph.yaml */
export const BENCH_ADDRESS = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
/** anvil's first default account (unlocked: eth_sendTransaction needs no signing on our side) */
export const SENDER = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';

export interface Artifact {
  abi: Abi;
  bytecode: Hex;
}

const SOURCES = ['contracts/BenchToken.sol', 'subgraph/subgraph.yaml', 'subgraph/schema.graphql', 'subgraph/src/mapping.as'];

function sourcesHash(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const file of SOURCES) {
    hash.update(file);
    hash.update(readFileSync(join(fixtureDir, file)));
  }
  return hash.digest('hex');
}

/** Returns the contract artifact; `built` says whether anything had to be (re)built. */
export function buildFixture(): { artifact: Artifact; built: boolean } {
  const hashFile = join(workDir, '.build-hash');
  const artifactFile = join(workDir, 'artifacts.json');
  const hash = sourcesHash();
  if (
    existsSync(hashFile) &&
    readFileSync(hashFile, 'utf8') === hash &&
    existsSync(artifactFile) &&
    existsSync(join(buildDir, 'subgraph.yaml'))
  ) {
    return { artifact: JSON.parse(readFileSync(artifactFile, 'utf8')) as Artifact, built: false };
  }
  const artifact = compileContract();
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(join(workDir, 'src'), { recursive: true });
  mkdirSync(join(workDir, 'abis'));
  copyFileSync(join(subgraphDir, 'subgraph.yaml'), join(workDir, 'subgraph.yaml'));
  copyFileSync(join(subgraphDir, 'schema.graphql'), join(workDir, 'schema.graphql'));
  copyFileSync(join(subgraphDir, 'src/mapping.as'), join(workDir, 'src/mapping.ts'));
  writeFileSync(join(workDir, 'abis/BenchToken.json'), JSON.stringify(artifact.abi, null, 2));
  const graph = join(packageDir, 'node_modules/.bin/graph');
  for (const args of [
    ['codegen', 'subgraph.yaml', '-o', 'generated'],
    ['build', 'subgraph.yaml', '-o', 'build'],
  ]) {
    try {
      execFileSync(graph, args, { cwd: workDir, stdio: 'pipe' });
    } catch (error) {
      const e = error as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`graph ${args.join(' ')} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
    }
  }
  writeFileSync(artifactFile, JSON.stringify(artifact));
  writeFileSync(hashFile, hash);
  return { artifact, built: true };
}

function compileContract(): Artifact {
  const solc = createRequire(join(repoRoot, 'package.json'))('solc') as { compile(input: string): string };
  const input = {
    language: 'Solidity',
    sources: { 'BenchToken.sol': { content: readFileSync(join(fixtureDir, 'contracts/BenchToken.sol'), 'utf8') } },
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: Array<{ severity: string; formattedMessage: string }>;
    contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const contract = output.contracts['BenchToken.sol']!['BenchToken']!;
  return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
}


export interface Anvil {
  url: string;
  pid: number;
  rpc<T>(method: string, params?: unknown[]): Promise<T>;
  /** one HTTP request carrying several calls; throws on the first error */
  batch<T>(calls: Array<[string, unknown[]]>): Promise<T[]>;
  stop(): Promise<void>;
}

/** anvil without automine: transactions wait in the pool until `evm_mine`, so a block can hold many. */
export async function startAnvil(): Promise<Anvil> {
  const binary = createRequire(join(repoRoot, 'package.json')).resolve('@foundry-rs/anvil-linux-amd64/bin/anvil');
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    ['--host', '127.0.0.1', '--port', String(port), '--no-mining', '--order', 'fifo', '--gas-limit', '100000000', '--silent'],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  let nextId = 1;
  const batch = async <T>(calls: Array<[string, unknown[]]>): Promise<T[]> => {
    const body = calls.map(([method, params]) => ({ jsonrpc: '2.0', id: nextId++, method, params }));
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const items = (await response.json()) as Array<{ id: number; result?: T; error?: { message: string } }>;
    const byId = new Map(items.map((item) => [item.id, item]));
    return body.map(({ id, method }) => {
      const item = byId.get(id);
      if (!item) throw new Error(`${method}: no answer`);
      if (item.error) throw new Error(`${method}: ${item.error.message}`);
      return item.result as T;
    });
  };
  const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> => (await batch<T>([[method, params]]))[0]!;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited with code ${child.exitCode}`);
    try {
      await rpc('eth_chainId');
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error('anvil did not start within 20 s');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    pid: child.pid!,
    rpc,
    batch,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        process.kill(child.pid!, 'SIGTERM');
      }),
  };
}
