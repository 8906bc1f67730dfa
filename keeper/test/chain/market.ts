// Buyer-side helpers and a stand-in router for chain tests (the real router is exercised in test/e2e).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobMarketAbi, mockUSDCAbi, type Deployment } from '@necto/contracts';
import { createPublicClient, createWalletClient, encodeAbiParameters, http, keccak256, stringToHex, type Hex as ViemHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { createLogStore, encodeLog } from '../../src/log/index.js';
import type { RouterPort } from '../../src/chain/route-job.js';
import type { Candidate, Decision, Hex, JobRequest, LogStore, ReasoningLog } from '../../src/domain/types.js';
import { ANVIL_KEYS, rpc } from './anvil.js';

export function buyer(url: string, deployment: Deployment, key: Hex = ANVIL_KEYS[0]) {
  const account = privateKeyToAccount(key);
  // viem polls every 4 s by default (the foundry chain names no block time): a buyer's receipt would arrive up to
  // 4 blocks after its transaction was mined.
  const publicClient = createPublicClient({ chain: foundry, transport: http(url), pollingInterval: 100 });
  const wallet = createWalletClient({ chain: foundry, transport: http(url), account, pollingInterval: 100 });
  const market = deployment.contracts.JobMarket;
  const usdc = deployment.contracts.USDC;

  async function send(hash: Promise<ViemHex>) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== 'success') throw new Error('buyer tx reverted');
    return receipt;
  }

  return {
    account,
    publicClient,
    async fund(amount = 10_000_000_000n) {
      await send(wallet.writeContract({ address: usdc, abi: mockUSDCAbi, functionName: 'faucet', args: [account.address, amount] }));
      await send(wallet.writeContract({ address: usdc, abi: mockUSDCAbi, functionName: 'approve', args: [market, 2n ** 255n] }));
    },
    /** Submits a job; returns its id. */
    async submit(opts: { tracked?: boolean; autoAccept?: boolean; specHash?: Hex; gpuModels?: string[]; maxPrice?: bigint; duration?: number; document?: string } = {}) {
      const tracked = opts.tracked ?? true;
      // Tracked jobs publish their document (its keccak256 is the specHash); untracked ones publish none.
      const document = tracked
        ? opts.document ?? JSON.stringify({ gpuModels: opts.gpuModels ?? ['a100'], image: 'necto/demo:1', nonce: String(Math.random()) })
        : '';
      const spec = {
        specHash: tracked ? keccak256(stringToHex(document)) : (opts.specHash ?? keccak256(stringToHex(`job-${Math.random()}`))),
        maxPricePerGpuHour: Number(opts.maxPrice ?? 3_000_000n),
        duration: opts.duration ?? 3_600,
        gpuCount: 1,
        minVramGb: 24,
        minVcpu: 4,
        minRamGb: 16,
        teamId: 0,
        startBy: 0,
        autoAccept: opts.autoAccept ?? true,
        tracked,
        allowExternal: true,
        gpuModels: opts.gpuModels ?? ['a100'],
        regions: [],
        document,
      };
      const budget = BigInt(spec.maxPricePerGpuHour) * BigInt(spec.gpuCount) * BigInt(spec.duration) / 3600n + 1n;
      const receipt = await send(wallet.writeContract({ address: market, abi: jobMarketAbi, functionName: 'submitJob', args: [spec, budget] }));
      const count = await publicClient.readContract({ address: market, abi: jobMarketAbi, functionName: 'jobCount' });
      return { jobId: count, receipt };
    },
    async topUp(jobId: bigint, amount: bigint, extraDuration: number) {
      await send(wallet.writeContract({ address: market, abi: jobMarketAbi, functionName: 'topUp', args: [jobId, amount, extraDuration] }));
    },
    async reject(jobId: bigint) {
      await send(wallet.writeContract({ address: market, abi: jobMarketAbi, functionName: 'rejectRoute', args: [jobId] }));
    },
    getJob: (jobId: bigint) => publicClient.readContract({ address: market, abi: jobMarketAbi, functionName: 'getJob', args: [jobId] }),
    /** Every RouteCommitted of a job. */
    async commits(jobId?: bigint) {
      const logs = await publicClient.getContractEvents({ address: market, abi: jobMarketAbi, eventName: 'RouteCommitted', fromBlock: 0n, ...(jobId ? { args: { jobId } } : {}) });
      return logs.map((l) => l.args);
    },
  };
}

export const mine = (url: string, blocks = 1) => rpc(url, 'anvil_mine', [`0x${blocks.toString(16)}`]);
export const increaseTime = async (url: string, seconds: number) => {
  await rpc(url, 'evm_increaseTime', [seconds]);
  await mine(url);
};

function akashCandidate(externalId: string, price: bigint): Candidate {
  return {
    id: `akash:${externalId}`,
    market: 'akash',
    providerRef: keccak256(encodeAbiParameters([{ type: 'string' }, { type: 'string' }], ['akash', externalId])) as Hex,
    provider: null,
    offerId: 0n,
    externalId,
    name: `Akash ${externalId}`,
    gpuModel: 'a100',
    gpuCount: 1,
    vramGb: 80,
    vcpu: 16,
    ramGb: 64,
    region: 'us-west',
    pricePerGpuHour: price,
    reliability: 0.99,
    startLatencySec: 60,
    audited: true,
    availableUnits: 4,
    source: 'test',
    sourceFetchedAt: 0,
  };
}

/**
 * A deterministic stand-in for the brain's router: picks the cheapest of three Akash providers that is not
 * excluded, stores a real reasoning log in a local log store, and reports two steps.
 */
export function fakeRouter(opts: { logStore?: LogStore; dir?: string; delayMs?: number } = {}) {
  const store = opts.logStore ?? createLogStore({ kind: 'local', dir: opts.dir ?? join(tmpdir(), `necto-fake-router-${process.pid}`) });
  const calls: JobRequest[] = [];
  const pool = [akashCandidate('akash1aaa', 1_000_000n), akashCandidate('akash1bbb', 1_500_000n), akashCandidate('akash1ccc', 2_000_000n)];
  const router: RouterPort & { calls: JobRequest[]; failNext: number } = {
    calls,
    failNext: 0,
    async decide(req, decideOpts = {}) {
      calls.push(req);
      if (router.failNext > 0) {
        router.failNext--;
        throw new Error('router failure (test)');
      }
      const key = `job:${req.jobId}`;
      decideOpts.onStep?.({ seq: 0, at: Date.now(), kind: 'thought', title: 'looking at the catalog', detail: null });
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      const feasible = pool.filter((c) => !req.excludeProviderRefs.includes(c.providerRef) && c.pricePerGpuHour <= req.maxPricePerGpuHour);
      const chosen = feasible[0] ?? null;
      const ranked = feasible.map((candidate, i) => ({
        candidate,
        rank: i + 1,
        pricePerGpuHour: candidate.pricePerGpuHour,
        totalCost: (candidate.pricePerGpuHour * BigInt(req.gpuCount) * BigInt(req.durationSec)) / 3600n,
        effectiveCost: candidate.pricePerGpuHour,
        regionRank: 0,
        penalties: { reliability: 0n, latency: 0n, region: 0n },
      }));
      const steps = [
        { seq: 0, at: 1, kind: 'thought' as const, title: 'looking at the catalog', detail: null },
        { seq: 1, at: 2, kind: 'decision' as const, title: chosen ? `chose ${chosen.id}` : 'nothing fits', detail: null },
      ];
      decideOpts.onStep?.({ ...steps[1]!, kind: 'thought' });
      const log: ReasoningLog = {
        schema: 'necto.reasoning-log/1',
        jobKey: key,
        createdAt: Math.floor(Date.now() / 1000),
        versions: { keeper: 'test', engine: 'test' },
        model: { kind: 'local', name: 'offline-test' },
        request: req,
        sources: [],
        candidates: pool,
        constraints: ['excludedRef', 'maxPrice'],
        weights: { reliabilityBps: 0, latencyBpsPerHour: 0, regionBpsPerRank: 0 },
        exclusions: [],
        ranked: ranked.map(({ candidate, ...r }) => ({ ...r, candidateId: candidate.id })),
        choice: chosen
          ? { candidateId: chosen.id, providerRef: chosen.providerRef, market: chosen.market, externalId: chosen.externalId, offerId: 0n, pricePerGpuHour: chosen.pricePerGpuHour, totalCost: ranked[0]!.totalCost }
          : null,
        agent: { proposedId: chosen?.id ?? null, acceptedId: chosen?.id ?? null, overridden: false, overrideReason: null, explanation: 'cheapest' },
        sdl: null,
        steps,
      };
      const encoded = await encodeLog(log);
      const { root } = await store.put(encoded.bytes);
      const decision: Decision = {
        request: req,
        chosen,
        ranked,
        excluded: [],
        log,
        logBytes: encoded.bytes,
        logRoot: root,
        decisionHash: encoded.decisionHash,
        sdl: null,
        sdlHash: ('0x' + '0'.repeat(64)) as Hex,
        steps,
        pricePerGpuHour: chosen?.pricePerGpuHour ?? null,
      };
      return decision;
    },
  };
  return { router, store };
}
