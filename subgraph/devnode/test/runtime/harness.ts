/**
 * Test harness for the runtime tests: builds the conformance fixture (solcjs + graph codegen/build, cached by
 * a hash of the sources), starts anvil on a free port, deploys the contract and drives it with viem.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { freePort } from '../../../../tools/lib.mjs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createPublicClient,
  createWalletClient,
  http,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';

const here = dirname(fileURLToPath(import.meta.url));
export const packageDir = resolve(here, '../..');
export const fixtureDir = join(packageDir, 'test/fixture');
export const buildDir = join(fixtureDir, 'build');
const repoRoot = resolve(packageDir, '../..');

/** anvil's first default account */
export const DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80' as const;
export const CONFORMANCE_ADDRESS = '0x5fbdb2315678afecb367f032d93f642f64180aa3' as const;

function sourcesHash(): string {
  const hash = createHash('sha256');
  const files = ['schema.graphql', 'subgraph.yaml', 'compile.mjs', 'contracts/Conformance.sol'];
  for (const file of readdirSync(join(fixtureDir, 'src')).sort()) files.push(`src/${file}`);
  for (const file of files) {
    hash.update(file);
    hash.update(readFileSync(join(fixtureDir, file)));
  }
  return hash.digest('hex');
}

export interface Artifacts {
  Conformance: { abi: Abi; bytecode: Hex };
  Child: { abi: Abi; bytecode: Hex };
}

/** Compile the contract and build the subgraph unless the cached build matches the sources. */
export function buildFixture(): Artifacts {
  // test files run in parallel workers: one builds, the others wait for it
  const lock = join(fixtureDir, '.build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`fixture build lock ${lock} held for too long (remove it if stale)`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return buildFixtureLocked();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function buildFixtureLocked(): Artifacts {
  const hashFile = join(fixtureDir, '.build-hash');
  const hash = sourcesHash();
  const upToDate =
    existsSync(hashFile) &&
    readFileSync(hashFile, 'utf8') === hash &&
    existsSync(join(buildDir, 'subgraph.yaml')) &&
    existsSync(join(fixtureDir, 'artifacts.json'));
  if (!upToDate) {
    execFileSync(process.execPath, [join(fixtureDir, 'compile.mjs')], { stdio: 'inherit' });
    const graph = join(packageDir, 'node_modules/.bin/graph');
    const run = (args: string[]) => {
      try {
        execFileSync(graph, args, { cwd: fixtureDir, stdio: 'pipe' });
      } catch (error) {
        const e = error as { stdout?: Buffer; stderr?: Buffer };
        throw new Error(`graph ${args.join(' ')} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
      }
    };
    run(['codegen', 'subgraph.yaml', '-o', 'generated']);
    run(['build', 'subgraph.yaml', '-o', 'build']);
    writeFileSync(hashFile, hash);
  }
  return JSON.parse(readFileSync(join(fixtureDir, 'artifacts.json'), 'utf8')) as Artifacts;
}


export interface Chain {
  url: string;
  publicClient: PublicClient;
  wallet: WalletClient;
  account: ReturnType<typeof privateKeyToAccount>;
  rpc<T>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

export async function startAnvil(): Promise<Chain> {
  const binary = createRequire(join(repoRoot, 'package.json')).resolve('@foundry-rs/anvil-linux-amd64/bin/anvil');
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['--host', '127.0.0.1', '--port', String(port), '--silent'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await rpc('eth_chainId');
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('anvil did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const account = privateKeyToAccount(DEPLOYER_KEY);
  const transport = http(url);
  return {
    url,
    rpc,
    account,
    publicClient: createPublicClient({ chain: foundry, transport }) as PublicClient,
    wallet: createWalletClient({ chain: foundry, transport, account }),
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
      }),
  };
}

export async function deployConformance(chain: Chain, artifacts: Artifacts): Promise<Address> {
  const hash = await chain.wallet.deployContract({
    abi: artifacts.Conformance.abi,
    bytecode: artifacts.Conformance.bytecode,
    account: chain.account,
    chain: foundry,
  });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.contractAddress?.toLowerCase() !== CONFORMANCE_ADDRESS) {
    throw new Error(`Conformance deployed at ${receipt.contractAddress}, the fixture expects ${CONFORMANCE_ADDRESS}`);
  }
  return receipt.contractAddress;
}

/** Send a Conformance transaction, wait for it and return its block number. */
export async function send(chain: Chain, artifacts: Artifacts, functionName: string, args: unknown[]): Promise<number> {
  const hash = await chain.wallet.writeContract({
    address: CONFORMANCE_ADDRESS,
    abi: artifacts.Conformance.abi,
    functionName,
    args,
    account: chain.account,
    chain: foundry,
  });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  if (receipt.status !== 'success') throw new Error(`${functionName} reverted`);
  return Number(receipt.blockNumber);
}

export function sizeOfDir(path: string): number {
  return statSync(path).size;
}
