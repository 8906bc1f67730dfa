// The routing scheduler against an in-memory chain: what it marks done, how it backs off, what it reports.
import { describe, expect, it } from 'vitest';
import type { JobBook, JobView } from '../../src/chain/job-book.js';
import type { RouterPort } from '../../src/chain/route-job.js';
import type { SpecStore } from '../../src/chain/spec-document.js';
import type { TxOutcome, TxQueue, TxRequest } from '../../src/chain/tx-queue.js';
import type { Decision, Hex } from '../../src/domain/types.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { ActivityHub } from '../../src/services/activity.js';
import { RoutingScheduler } from '../../src/services/scheduler.js';

const HASH = `0x${'ab'.repeat(32)}` as Hex;
const ZERO = `0x${'00'.repeat(32)}` as Hex;

export function jobView(id: number, over: { tracked?: boolean; round?: number } = {}): JobView {
  return {
    jobId: BigInt(id),
    submitted: {
      kind: 'submitted',
      jobId: BigInt(id),
      txHash: `0x${id.toString(16).padStart(64, '0')}` as Hex,
      logIndex: 0,
      blockNumber: 10n,
      blockHash: HASH,
      buyer: `0x${'11'.repeat(20)}` as Hex,
      teamId: 0n,
      budget: 1_000_000n,
      specHash: HASH,
      maxPricePerGpuHour: 2_000_000n,
      gpuCount: 1,
      duration: 3600,
      startBy: 10n ** 12n,
      autoAccept: false,
      tracked: over.tracked ?? true,
      allowExternal: true,
    } as JobView['submitted'],
    publishedSpec: { gpuModels: ['a100'], regions: [], minVramGb: 0, minVcpu: 0, minRamGb: 0 } as unknown as JobView['publishedSpec'],
    routes: [],
    round: over.round ?? 0,
    phase: 'open',
    startDeadline: 0,
    firstSeenMs: Date.now(),
  };
}

export function decision(chosen: boolean): Decision {
  const candidate = {
    id: 'onchain:1',
    market: 'onchain',
    providerRef: HASH,
    provider: `0x${'22'.repeat(20)}`,
    offerId: 1n,
    externalId: '',
    name: 'p1',
    gpuModel: 'a100',
    region: 'eu',
    pricePerGpuHour: 1_000_000n,
  };
  return {
    request: {} as Decision['request'],
    chosen: chosen ? (candidate as unknown as Decision['chosen']) : null,
    ranked: [],
    excluded: chosen ? [] : ([{ candidateId: 'onchain:1', reasons: [{ constraint: 'gpuModel', detail: 'h100 is not a100' }] }] as unknown as Decision['excluded']),
    log: { model: { kind: 'offline', name: 'stand-in' }, agent: { explanation: null } } as unknown as Decision['log'],
    logBytes: new Uint8Array([1]),
    logRoot: HASH,
    decisionHash: HASH,
    sdl: null,
    sdlHash: ZERO,
    steps: [],
    pricePerGpuHour: chosen ? 1_000_000n : null,
  };
}

/** A chain with one JobMarket whose jobs sit at (status, round); `commit` is what the tx queue does with a send. */
export function harness(opts: { jobs: JobView[]; chain: Map<string, { status: number; round: number }>; commit: (req: TxRequest) => Promise<TxOutcome>; router?: RouterPort; specs?: Pick<SpecStore, 'get'> }) {
  const activity = new ActivityHub();
  const metrics = createMetrics();
  const calls = { decide: 0, submit: 0 };
  const book = { get: (id: bigint) => opts.jobs.find((j) => j.jobId === id), all: () => opts.jobs } as unknown as JobBook;
  const publicClient = {
    readContract: async ({ args }: { args: [bigint] }) => {
      const j = opts.chain.get(args[0].toString()) ?? { status: 0, round: 0 };
      return { status: j.status, round: j.round, startDeadline: 0, startBy: 10 ** 12 };
    },
  };
  const txQueue = {
    submit: async (req: TxRequest) => {
      calls.submit++;
      return opts.commit(req);
    },
    pending: () => 0,
    nextNonce: () => null,
    resetNonce: () => undefined,
    drain: async () => undefined,
    close: async () => undefined,
  } as unknown as TxQueue;
  const router: RouterPort = opts.router ?? {
    decide: async () => {
      calls.decide++;
      return decision(true);
    },
  };
  const scheduler = new RoutingScheduler({
    clients: { publicClient } as never,
    jobMarket: `0x${'33'.repeat(20)}`,
    book,
    specs: (opts.specs ?? { get: () => null }) as SpecStore,
    activity,
    router,
    txQueue,
    logger: silentLogger,
    metrics,
    rerouteIntervalMs: 200,
    chainTime: () => Math.floor(Date.now() / 1000),
    wake: () => undefined,
    retryAfterMs: 50,
  });
  return { scheduler, activity, metrics, calls };
}

describe('admin reroute', () => {
  it('refuses (not "started") a job still waiting for its spec document', () => {
    const untracked = jobView(7, { tracked: false });
    const { scheduler } = harness({ jobs: [untracked], chain: new Map(), commit: async () => ({ status: 'already_done', reason: 'x' }) });
    const r = scheduler.requestReroute(7n);
    expect(r.status).toBe('not_eligible');
    expect(r.status === 'not_eligible' ? r.reason : '').toMatch(/spec document/);
    // With its spec stored, the same job can be re-routed.
    const withSpec = harness({ jobs: [untracked], chain: new Map(), commit: async () => ({ status: 'already_done', reason: 'x' }), specs: { get: () => ({}) as never } });
    expect(withSpec.scheduler.requestReroute(7n).status).toBe('started');
  });
});

const OPEN = 1;
const ROUTED = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('what counts as done', () => {
  it('does not mark a job done when the commit reverts against pending state but the chain has no route; routes it later', async () => {
    const chain = new Map([['3', { status: OPEN, round: 0 }]]);
    let pendingCommitOfAnotherKeeper = true;
    const { scheduler, calls, activity } = harness({
      jobs: [jobView(3)],
      chain,
      commit: async (req) => {
        // While a crashed keeper's commit sits in the mempool, estimation reverts with InvalidStatus.
        if (pendingCommitOfAnotherKeeper) return { status: 'already_done', reason: 'JobMarket_InvalidStatus' };
        req.onSent?.(HASH);
        chain.set('3', { status: ROUTED, round: 1 });
        return { status: 'mined', hash: HASH, blockNumber: 12n, nonce: 0, attempts: 1 };
      },
    });
    const now = Math.floor(Date.now() / 1000);
    await scheduler.sweep(now);
    await scheduler.idle();
    expect(calls.submit).toBe(1);
    expect(scheduler.status().pendingJobs).toBe(0);
    expect(activity.latest(3n)?.view ?? null).toBeNull(); // not shown as routed
    // That pending transaction is dropped: the next look routes the job.
    pendingCommitOfAnotherKeeper = false;
    await sleep(250);
    await scheduler.sweep(now);
    await scheduler.idle();
    expect(calls.submit).toBe(2);
    expect(activity.latest(3n)?.view?.status).toBe('committed');
    // Once the chain shows the round, nothing more is sent.
    await sleep(250);
    await scheduler.sweep(now);
    await scheduler.idle();
    expect(calls.submit).toBe(2);
  });

  it('marks a round done when the revert is explained by the mined chain', async () => {
    const chain = new Map([['4', { status: OPEN, round: 0 }]]);
    const { scheduler, calls } = harness({
      jobs: [jobView(4)],
      chain,
      commit: async () => {
        chain.set('4', { status: ROUTED, round: 1 }); // another keeper's commit was mined meanwhile
        return { status: 'already_done', reason: 'JobMarket_InvalidStatus' };
      },
    });
    await scheduler.sweep(Math.floor(Date.now() / 1000));
    await scheduler.idle();
    chain.set('4', { status: OPEN, round: 0 }); // even if the chain now looked open, round 1 is recorded done
    await sleep(250);
    await scheduler.sweep(Math.floor(Date.now() / 1000));
    expect(calls.submit).toBe(1);
  });
});

describe('bursts and slow receipts', () => {
  it('frees a worker once its commit is sent: a sweep over 40 jobs ends while every receipt is still awaited', async () => {
    const jobs = Array.from({ length: 40 }, (_, i) => jobView(100 + i));
    const chain = new Map(jobs.map((j) => [j.jobId.toString(), { status: OPEN, round: 0 }]));
    let mine!: () => void;
    const mined = new Promise<void>((r) => (mine = r));
    const { scheduler, calls, activity } = harness({
      jobs,
      chain,
      commit: async (req) => {
        req.onSent?.(HASH);
        await mined; // e.g. a reorg removed the blocks; the receipt takes long
        return { status: 'mined', hash: HASH, blockNumber: 12n, nonce: 0, attempts: 1 };
      },
    });
    const swept = await Promise.race([scheduler.sweep(Math.floor(Date.now() / 1000)).then(() => 'swept'), sleep(2_000).then(() => 'blocked')]);
    expect(swept).toBe('swept');
    expect(calls.submit).toBe(40);
    expect(scheduler.status().pendingJobs).toBe(40);
    // A second sweep meanwhile does not start the same rounds again.
    await scheduler.sweep(Math.floor(Date.now() / 1000));
    expect(calls.submit).toBe(40);
    mine();
    await scheduler.idle();
    expect(scheduler.status().pendingJobs).toBe(0);
    expect(jobs.every((j) => activity.latest(j.jobId)?.view?.status === 'committed')).toBe(true);
  });
});

describe('jobs nothing fits', () => {
  it('decides (and stores a log) once per change of inputs, backs off, and says what to relax', async () => {
    let exclusions = [{ constraint: 'gpuModel', count: 1, candidateIds: ['onchain:1'] }];
    const calls = { decide: 0, quote: 0 };
    const router: RouterPort = {
      decide: async () => {
        calls.decide++;
        return decision(false);
      },
      quote: async () => {
        calls.quote++;
        return { feasibleCount: 0, excludedCount: exclusions.length, exclusions } as never;
      },
    };
    const chain = new Map([['9', { status: OPEN, round: 0 }]]);
    const { scheduler, activity } = harness({ jobs: [jobView(9)], chain, router, commit: async () => ({ status: 'already_done', reason: 'x' }) });
    const now = Math.floor(Date.now() / 1000);
    const look = async () => {
      await scheduler.sweep(now);
      await scheduler.idle();
    };
    await look();
    expect(calls.decide).toBe(1);
    const view = activity.latest(9n)?.view;
    expect(view?.status).toBe('no_candidate');
    expect(view?.error).toMatch(/gpuModel excluded 1/);
    expect(view?.error).toMatch(/accept more GPU models/);

    // Nothing changed: looks again after the back-off without deciding (no new log).
    await sleep(60);
    await look();
    expect(calls.decide).toBe(1);
    expect(calls.quote).toBeGreaterThanOrEqual(2);
    // The back-off doubled (50 ms, then 100 ms): a look 60 ms later does nothing at all.
    const quotes = calls.quote;
    await sleep(60);
    await look();
    expect(calls.quote).toBe(quotes);

    // The offers changed: the router decides again.
    exclusions = [{ constraint: 'maxPrice', count: 1, candidateIds: ['onchain:2'] }];
    await sleep(150);
    await look();
    expect(calls.decide).toBe(2);
  });
});
