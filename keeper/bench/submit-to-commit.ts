/**
 * Submit-to-commit benchmark on a local stack: anvil mining a block every second with the contracts deployed by
 * `contracts/script/Deploy.s.sol`, and the real keeper process (`src/main.ts`, local model, snapshot catalog).
 * A buyer submits N tracked jobs a few hundred ms apart; each job's figure is the wall time from sending its
 * submitJob transaction to seeing its RouteCommitted event. Prints `keeper.submit_to_commit_p50_ms: N`
 * (goal ≤ 3000) and the p95/max.
 *
 * Burst mode (`burst: true`): the buyer sends all N submissions at once; each job's figure is the wall time from
 * the keeper-independent moment its JobSubmitted event is visible on the chain to its RouteCommitted event, so the
 * figure is the keeper's own latency under load. Prints `keeper.burst<N>_commit_p95_ms` (goal ≤ 3 blocks).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jobMarketAbi, mockUSDCAbi } from '@necto/contracts';
import { createPublicClient, createWalletClient, http, keccak256, stringToHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { ANVIL_KEYS, freePort, startDeployedAnvil } from '../test/chain/anvil.js';

const keeperDir = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface SubmitToCommitBench {
  jobs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  blockTimeSec: number;
  /** CPU time the keeper process spent from the first submission to the last commit (null off Linux). */
  keeperCpuMs: number | null;
}

/** user + system CPU time of a process, from /proc (Linux); null where there is none. */
function cpuMsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 14th and 15th fields.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks at USER_HZ = 100
  } catch {
    return null;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function startKeeper(env: Record<string, string>): Promise<{ stop(): Promise<void>; cpuMs(): number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: keeperDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const until = Date.now() + 120_000;
  while (!out.includes('necto keeper listening')) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`keeper did not start:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    cpuMs: () => cpuMsOf(child.pid),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function benchSubmitToCommit(opts: { jobs?: number; spacingMs?: number; blockTimeSec?: number; burst?: boolean } = {}): Promise<SubmitToCommitBench> {
  const jobs = opts.jobs ?? 20;
  const spacingMs = opts.burst ? 0 : (opts.spacingMs ?? 400);
  const blockTimeSec = opts.blockTimeSec ?? 1;
  const anvil = await startDeployedAnvil({ blockTime: blockTimeSec });
  const work = mkdtempSync(join(tmpdir(), 'necto-bench-'));
  let keeper: Awaited<ReturnType<typeof startKeeper>> | null = null;
  try {
    const deploymentFile = join(work, 'deployment.json');
    writeFileSync(deploymentFile, JSON.stringify({ chainId: 31337, startBlock: anvil.deployment.startBlock, contracts: anvil.deployment.contracts }));
    keeper = await startKeeper({
      RPC_URL: anvil.url,
      CHAIN_ID: '31337',
      DEPLOYMENT_FILE: deploymentFile,
      DATA_DIR: join(work, 'data'),
      PORT: String(await freePort()),
      SUBGRAPH_URL: `http://127.0.0.1:${await freePort()}/subgraphs/name/necto`,
      LIVE_PRICES: 'false',
      // Routes over the recorded snapshots whatever their age (the benchmark measures the keeper, not freshness).
      CATALOG_MAX_AGE_SEC: '3153600000',
      LOG_LEVEL: 'warn',
    });

    const account = privateKeyToAccount(ANVIL_KEYS[0]);
    const publicClient = createPublicClient({ chain: foundry, transport: http(anvil.url), pollingInterval: 50 });
    const wallet = createWalletClient({ chain: foundry, transport: http(anvil.url), account });
    const market = anvil.deployment.contracts.JobMarket;
    const usdc = anvil.deployment.contracts.USDC;
    for (const hash of [
      await wallet.writeContract({ address: usdc, abi: mockUSDCAbi, functionName: 'faucet', args: [account.address, 1_000_000_000n] }),
      await wallet.writeContract({ address: usdc, abi: mockUSDCAbi, functionName: 'approve', args: [market, 2n ** 255n] }),
    ]) {
      await publicClient.waitForTransactionReceipt({ hash });
    }

    const startBlock = await publicClient.getBlockNumber();
    const firstJob = (await publicClient.readContract({ address: market, abi: jobMarketAbi, functionName: 'jobCount' })) + 1n;
    let nonce = await publicClient.getTransactionCount({ address: account.address, blockTag: 'pending' });
    const sentAt = new Map<bigint, number>();
    const committedAt = new Map<bigint, number>();
    const visibleAt = new Map<bigint, number>();

    // Watch commits while submitting.
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const [submitted, logs] = await Promise.all([
          publicClient.getContractEvents({ address: market, abi: jobMarketAbi, eventName: 'JobSubmitted', fromBlock: startBlock }),
          publicClient.getContractEvents({ address: market, abi: jobMarketAbi, eventName: 'RouteCommitted', fromBlock: startBlock }),
        ]);
        const now = Date.now();
        for (const l of submitted) if (!visibleAt.has(l.args.jobId!)) visibleAt.set(l.args.jobId!, now);
        for (const l of logs) if (!committedAt.has(l.args.jobId!)) committedAt.set(l.args.jobId!, now);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const cpuBefore = keeper.cpuMs();
    for (let i = 0; i < jobs; i++) {
      // Tracked: the document is published on-chain and its keccak256 is the specHash.
      const document = JSON.stringify({ image: 'necto/demo:1', nonce: `bench-${i}-${Date.now()}` });
      const spec = {
        specHash: keccak256(stringToHex(document)),
        maxPricePerGpuHour: 3_000_000,
        duration: 3_600,
        gpuCount: 1,
        minVramGb: 24,
        minVcpu: 4,
        minRamGb: 16,
        teamId: 0,
        startBy: 0,
        autoAccept: true,
        tracked: true,
        allowExternal: true,
        gpuModels: i % 2 ? ['a100'] : ['rtx4090', 'l40s'],
        regions: [],
        document,
      };
      // Jobs get consecutive ids because the buyer's transactions are mined in nonce order.
      sentAt.set(firstJob + BigInt(i), Date.now());
      await wallet.writeContract({ address: market, abi: jobMarketAbi, functionName: 'submitJob', args: [spec, 3_000_001n], nonce: nonce++, gas: 900_000n });
      if (spacingMs > 0) await new Promise((r) => setTimeout(r, spacingMs));
    }
    const until = Date.now() + (opts.burst ? 120_000 : 60_000);
    while (committedAt.size < jobs && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const cpuAfter = keeper.cpuMs();
    watching = false;
    await watcher;
    if (committedAt.size < jobs) throw new Error(`only ${committedAt.size} of ${jobs} jobs were committed in time`);

    const from = opts.burst ? visibleAt : sentAt;
    const times = [...sentAt.keys()].map((id) => committedAt.get(id)! - (from.get(id) ?? sentAt.get(id)!)).sort((a, b) => a - b);
    const keeperCpuMs = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
    return { jobs, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), maxMs: times.at(-1)!, blockTimeSec, keeperCpuMs };
  } finally {
    await keeper?.stop();
    await anvil.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export function printBurstBench(r: SubmitToCommitBench): void {
  const name = `keeper.burst${r.jobs}_commit`;
  console.log(`${name}_p50_ms: ${r.p50Ms}`);
  console.log(`${name}_p95_ms: ${r.p95Ms}`);
  console.log(`${name}_p95_blocks: ${(r.p95Ms / 1000 / r.blockTimeSec).toFixed(2)}`);
  console.log(`${name}_max_ms: ${r.maxMs}`);
  if (r.keeperCpuMs !== null) console.log(`${name}_keeper_cpu_ms: ${r.keeperCpuMs.toFixed(0)}`);
}

export function printSubmitToCommitBench(r: SubmitToCommitBench): void {
  console.log(`keeper.submit_to_commit_jobs: ${r.jobs}`);
  console.log(`keeper.submit_to_commit_block_time_s: ${r.blockTimeSec}`);
  console.log(`keeper.submit_to_commit_p50_ms: ${r.p50Ms}`);
  console.log(`keeper.submit_to_commit_p95_ms: ${r.p95Ms}`);
  console.log(`keeper.submit_to_commit_max_ms: ${r.maxMs}`);
  if (r.keeperCpuMs !== null) console.log(`keeper.submit_to_commit_keeper_cpu_ms: ${r.keeperCpuMs.toFixed(0)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.env.BENCH_BURST) printBurstBench(await benchSubmitToCommit({ jobs: Number(process.env.BENCH_BURST), burst: true }));
  else printSubmitToCommitBench(await benchSubmitToCommit({ jobs: Number(process.env.BENCH_JOBS ?? 20) }));
}
