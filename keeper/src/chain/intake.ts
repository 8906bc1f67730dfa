// Chain intake: follows JobMarket events with getLogs polling and routes the jobs that need it.
//
// - State is folded from events (JobBook) and rebuilt from the deployment's start block on every start: the
//   keeper keeps no database of record. The persisted cursor is the last block whose jobs are all handled,
//   with recent block hashes to notice reorgs (also across restarts).
// - Each tick: detect a reorg (rewind and re-read), read new blocks up to head − confirmations, then sweep
//   the jobs that need a route (new, rejected, or past their start deadline without a start). The cursor
//   advances only when the sweep met no chain outage, so an outage delays work and loses nothing.
// - Handling is idempotent on (jobId, round): see route-job.ts.
import type { Logger } from '../logger.js';
import { errorSummary } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Hex } from '../domain/types.js';
import type { ChainClients } from './clients.js';
import type { BlockRef, CursorStore } from './cursor.js';
import { TransientChainError, backoffMs, sleep } from './errors.js';
import { decodeMarketLogs } from './events.js';
import type { JobBook, JobView } from './job-book.js';
import { routeJob, type RoundActivity, type RoundOutcome, type RouterPort } from './route-job.js';
import type { SpecStore } from './spec-document.js';
import type { TxQueue } from './tx-queue.js';

export interface IntakeOptions {
  clients: Pick<ChainClients, 'publicClient'>;
  jobMarket: Hex;
  startBlock: bigint;
  confirmations: number;
  pollIntervalMs: number;
  rerouteIntervalMs: number;
  logBlockRange: number;
  reorgDepth: number;
  cursorStore: CursorStore;
  book: JobBook;
  specs: SpecStore;
  activity: RoundActivity;
  router: RouterPort;
  txQueue: TxQueue;
  logger: Logger;
  metrics: Metrics;
  /** Jobs handled at the same time (decisions run in parallel; sends are serialised by the tx queue). */
  concurrency?: number;
  /** Wait before deciding again for a job that had no feasible candidate or a failed commit. */
  retryAfterMs?: number;
}

export interface IntakeStatus {
  running: boolean;
  cursorBlock: bigint;
  scannedBlock: bigint;
  headBlock: bigint | null;
  lagBlocks: number | null;
  jobs: number;
  pendingJobs: number;
  awaitingSpec: number;
  lastError?: string;
}

/**
 * Work is keyed on (jobId, round) and the submission's transaction: after a reorg a job id can name a different
 * job, which must not inherit the old one's "done" or back-off.
 */
const workKey = (job: JobView, round: number) => `${job.jobId}:${round}:${job.submitted.txHash}`;

interface Work {
  job: JobView;
  round: number;
  reason: 'new' | 'rejected' | 'reroute';
}

export class Intake {
  private cursor: bigint;
  private scanned: bigint;
  private hashes: BlockRef[] = [];
  private head: { number: bigint; timestamp: number } | null = null;
  private running = false;
  private loopPromise: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private lastError: string | undefined;
  private lastRerouteCheck = 0;
  private forceReroute = new Set<string>();
  private readonly done = new Set<string>();
  private readonly retryAt = new Map<string, number>();
  private pendingJobs = 0;
  private awaitingSpec = 0;
  private readonly log: Logger;

  constructor(private readonly o: IntakeOptions) {
    this.cursor = o.startBlock - 1n;
    this.scanned = o.startBlock - 1n;
    this.log = o.logger.child({ component: 'intake' });
  }

  /** Loads the cursor and starts polling. State is rebuilt from the start block (backfill). */
  start(): void {
    if (this.running) return;
    const saved = this.o.cursorStore.load();
    if (saved) {
      this.cursor = saved.block;
      this.hashes = saved.hashes;
    }
    this.scanned = this.o.startBlock - 1n;
    this.running = true;
    this.log.info('intake starting', { cursor: this.cursor, startBlock: this.o.startBlock, confirmations: this.o.confirmations });
    this.loopPromise = this.loop();
  }

  /** Stops after the current tick (its in-flight commits finish), then persists the cursor. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loopPromise;
    this.persist();
    this.log.info('intake stopped', { cursor: this.cursor });
  }

  /** Runs the next tick now (a spec arrived, an admin asked). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Admin: check this job for a re-route now (and clear a retry back-off). */
  requestReroute(jobId: bigint): { status: 'started'; round: number } | { status: 'not_eligible'; reason: string } | { status: 'unknown_job' } {
    const job = this.o.book.get(jobId);
    if (!job) return { status: 'unknown_job' };
    if (job.phase === 'running' || job.phase === 'closed') return { status: 'not_eligible', reason: `job is ${job.phase}` };
    if (job.phase === 'routed') return { status: 'not_eligible', reason: 'the route waits for the buyer to accept' };
    const now = this.head?.timestamp ?? Math.floor(Date.now() / 1000);
    if (job.phase === 'accepted' && now <= job.startDeadline) {
      return { status: 'not_eligible', reason: `start deadline ${job.startDeadline} not reached (chain time ${now})` };
    }
    this.retryAt.delete(workKey(job, job.round + 1));
    this.forceReroute.add(jobId.toString());
    this.wake();
    return { status: 'started', round: job.round + 1 };
  }

  status(): IntakeStatus {
    const lag = this.head ? Number(this.head.number - this.cursor) : null;
    return {
      running: this.running,
      cursorBlock: this.cursor,
      scannedBlock: this.scanned,
      headBlock: this.head?.number ?? null,
      lagBlocks: lag === null ? null : Math.max(0, lag),
      jobs: this.o.book.size,
      pendingJobs: this.pendingJobs,
      awaitingSpec: this.awaitingSpec,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.tick();
        failures = 0;
        this.lastError = undefined;
      } catch (err) {
        failures++;
        this.lastError = errorSummary(err);
        this.o.metrics.failures.inc({ stage: 'intake' });
        this.log.warn('intake tick failed; will retry', { attempt: failures, err: this.lastError });
      }
      if (!this.running) break;
      await this.idle(failures ? backoffMs(failures - 1, this.o.pollIntervalMs, 5_000) : this.o.pollIntervalMs);
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = null;
        self.woken = false;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** One pass: reorg check, read new blocks, route what needs routing, advance the cursor. */
  async tick(): Promise<void> {
    const { publicClient } = this.o.clients;
    const latest = await publicClient.getBlock({ blockTag: 'latest' }).catch((err: unknown) => {
      throw new TransientChainError(`chain unreachable: ${errorSummary(err)}`);
    });
    this.head = { number: latest.number, timestamp: Number(latest.timestamp) };
    this.o.metrics.headBlock.set(Number(latest.number));
    await this.detectReorg(latest.number);

    const safe = latest.number - BigInt(this.o.confirmations);
    while (this.scanned < safe) {
      const from = this.scanned + 1n;
      const to = from + BigInt(this.o.logBlockRange) - 1n < safe ? from + BigInt(this.o.logBlockRange) - 1n : safe;
      const logs = await publicClient.getLogs({ address: this.o.jobMarket, fromBlock: from, toBlock: to });
      const toBlock = to === latest.number ? latest : await publicClient.getBlock({ blockNumber: to });
      const toHash = toBlock.hash!.toLowerCase() as Hex;
      if (logs.some((l) => l.blockNumber === to && l.blockHash?.toLowerCase() !== toHash)) {
        throw new TransientChainError(`block ${to} changed while reading (reorg in progress)`);
      }
      for (const l of logs) if (l.blockNumber !== null && l.blockHash) this.remember({ number: l.blockNumber, hash: l.blockHash.toLowerCase() as Hex });
      this.remember({ number: to, hash: toHash });
      this.o.book.apply(decodeMarketLogs(logs));
      this.scanned = to;
    }

    const rerouteDue = Date.now() - this.lastRerouteCheck >= this.o.rerouteIntervalMs;
    const transient = await this.sweep(this.head.timestamp, rerouteDue);
    if (rerouteDue) this.lastRerouteCheck = Date.now();

    if (transient === 0 && this.scanned > this.cursor) {
      this.cursor = this.scanned;
      this.persist();
    }
    this.o.metrics.cursorBlock.set(Number(this.cursor));
    this.o.metrics.intakeLag.set(Math.max(0, Number(latest.number - this.cursor)));
    if (transient > 0) throw new TransientChainError(`${transient} job(s) could not be handled (chain unreachable); retrying`);
  }

  /** Routes every job that needs it. Returns how many failed for lack of the chain (to retry). */
  private async sweep(now: number, rerouteDue: boolean): Promise<number> {
    const work: Work[] = [];
    let awaitingSpec = 0;
    const forced = this.forceReroute;
    this.forceReroute = new Set();
    for (const job of this.o.book.all()) {
      if (BigInt(now) > job.submitted.startBy) continue; // past start-by: only expiry is left
      let w: Work | null = null;
      if (job.phase === 'open') w = { job, round: job.round + 1, reason: job.round === 0 ? 'new' : 'rejected' };
      else if (job.phase === 'accepted' && (rerouteDue || forced.has(job.jobId.toString())) && now > job.startDeadline) {
        w = { job, round: job.round + 1, reason: 'reroute' };
      }
      if (!w) continue;
      const key = workKey(job, w.round);
      if (this.done.has(key) || (this.retryAt.get(key) ?? 0) > Date.now()) continue;
      if (!job.submitted.tracked && !this.o.specs.get(job.jobId, job.submitted.specHash)) {
        awaitingSpec++;
        continue;
      }
      if (job.submitted.tracked && !job.publishedSpec) continue; // cannot happen with the deployed contract
      work.push(w);
    }
    this.awaitingSpec = awaitingSpec;
    this.pendingJobs = work.length;
    if (work.length === 0) return 0;

    let transient = 0;
    let next = 0;
    const worker = async () => {
      while (next < work.length) {
        const w = work[next++]!;
        try {
          const outcome = await this.handle(w);
          this.pendingJobs--;
          this.record(w, outcome);
        } catch (err) {
          if (!(err instanceof TransientChainError)) throw err;
          transient++;
          this.log.warn('job handling interrupted by the chain; will retry', { jobId: w.job.jobId, round: w.round, err: err.message });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency ?? 4, work.length) }, worker));
    return transient;
  }

  private handle(w: Work): Promise<RoundOutcome> {
    if (w.reason !== 'new') this.o.metrics.reroutes.inc({ reason: w.reason });
    this.log.info('routing job', { jobId: w.job.jobId, round: w.round, reason: w.reason });
    const document = w.job.submitted.tracked ? null : this.o.specs.get(w.job.jobId, w.job.submitted.specHash);
    return routeJob(
      {
        clients: this.o.clients,
        jobMarket: this.o.jobMarket,
        router: this.o.router,
        txQueue: this.o.txQueue,
        activity: this.o.activity,
        logger: this.o.logger,
        metrics: this.o.metrics,
      },
      { job: w.job, round: w.round, document, now: async () => this.head?.timestamp ?? Math.floor(Date.now() / 1000) },
    );
  }

  private record(w: Work, outcome: RoundOutcome): void {
    const key = workKey(w.job, w.round);
    switch (outcome.status) {
      case 'committed':
      case 'already_routed':
        this.done.add(key);
        this.retryAt.delete(key);
        break;
      case 'not_eligible':
        // The chain is not there yet (e.g. a start deadline seen in a block the node has not mined); look again later.
        this.retryAt.set(key, Date.now() + Math.min(this.o.rerouteIntervalMs, 5_000));
        break;
      case 'no_candidate':
      case 'failed':
        this.retryAt.set(key, Date.now() + (this.o.retryAfterMs ?? 60_000));
        break;
    }
  }

  /** Keeps recent block hashes (ascending, unique, at most reorgDepth). */
  private remember(ref: BlockRef): void {
    const i = this.hashes.findIndex((h) => h.number >= ref.number);
    if (i === -1) this.hashes.push(ref);
    else if (this.hashes[i]!.number === ref.number) this.hashes[i] = ref;
    else this.hashes.splice(i, 0, ref);
    if (this.hashes.length > this.o.reorgDepth) this.hashes.splice(0, this.hashes.length - this.o.reorgDepth);
  }

  /** Compares the newest remembered block with the chain; on a mismatch finds the fork point and rewinds. */
  private async detectReorg(head: bigint): Promise<void> {
    const last = this.hashes.at(-1);
    if (!last) return;
    if (last.number <= head && (await this.hashAt(last.number)) === last.hash) return;

    let fork = this.o.startBlock - 1n;
    for (let i = this.hashes.length - 2; i >= 0; i--) {
      const h = this.hashes[i]!;
      if (h.number > head) continue;
      if ((await this.hashAt(h.number)) === h.hash) {
        fork = h.number;
        break;
      }
    }
    this.rewind(fork, `block ${last.number} is no longer ${last.hash.slice(0, 10)}… (head ${head})`);
  }

  private async hashAt(n: bigint): Promise<Hex | null> {
    try {
      const b = await this.o.clients.publicClient.getBlock({ blockNumber: n });
      return (b.hash?.toLowerCase() as Hex | undefined) ?? null;
    } catch (err) {
      if (/not found|could not be found/i.test(errorSummary(err))) return null;
      throw new TransientChainError(`getBlock(${n}) failed: ${errorSummary(err)}`);
    }
  }

  private rewind(fork: bigint, why: string): void {
    const touched = this.o.book.rewind(fork);
    for (const id of touched) {
      this.o.activity.reset(id);
      for (const k of [...this.done, ...this.retryAt.keys()]) {
        if (k.startsWith(`${id}:`)) {
          this.done.delete(k);
          this.retryAt.delete(k);
        }
      }
    }
    this.hashes = this.hashes.filter((h) => h.number <= fork);
    this.o.txQueue.resetNonce(); // our own transactions after the fork point are gone too
    if (this.scanned > fork) this.scanned = fork;
    if (this.cursor > fork) this.cursor = fork;
    this.persist();
    this.o.metrics.reorgs.inc();
    this.log.warn('chain reorganised; rewound', { forkBlock: fork, jobsAffected: touched.size, why });
  }

  private persist(): void {
    try {
      this.o.cursorStore.save({ block: this.cursor, hashes: this.hashes.filter((h) => h.number <= this.cursor) });
    } catch (err) {
      this.log.error('cannot persist the cursor', { err: errorSummary(err) });
    }
  }
}
