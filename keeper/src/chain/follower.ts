// Chain follower: follows JobMarket events with getLogs polling into the job book.
//
// - State is folded from events (JobBook) and rebuilt from the deployment's start block on every start: the
//   keeper keeps no database of record. The persisted cursor is the last block whose jobs are all handled,
//   with recent block hashes to notice reorgs (also across restarts).
// - Each tick: detect a reorg (rewind and re-read), read new blocks up to head − confirmations, then hand the
//   head to `afterScan` (the routing scheduler). The cursor advances only when that pass met no chain outage,
//   so an outage delays work and loses nothing.
import type { Logger } from '../logger.js';
import { errorSummary } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Hex } from '../domain/types.js';
import type { ChainClients } from './clients.js';
import type { BlockRef, CursorStore } from './cursor.js';
import { TransientChainError, backoffMs } from './errors.js';
import { decodeMarketLogs } from './events.js';
import type { JobBook } from './job-book.js';
import type { TxQueue } from './tx-queue.js';

export interface ChainHead {
  number: bigint;
  /** unix s */
  timestamp: number;
}

export interface FollowerOptions {
  clients: Pick<ChainClients, 'publicClient'>;
  jobMarket: Hex;
  startBlock: bigint;
  confirmations: number;
  pollIntervalMs: number;
  logBlockRange: number;
  reorgDepth: number;
  cursorStore: CursorStore;
  book: JobBook;
  txQueue: Pick<TxQueue, 'resetNonce'>;
  logger: Logger;
  metrics: Metrics;
  /** After each read up to the head: act on the book. Returns how many jobs could not be handled for lack of the chain. */
  afterScan: (head: ChainHead) => Promise<{ transient: number }>;
  /** A reorg undid events of these jobs (already dropped from the book). */
  onRewind: (jobIds: Set<bigint>) => void;
}

export interface FollowerStatus {
  running: boolean;
  cursorBlock: bigint;
  scannedBlock: bigint;
  headBlock: bigint | null;
  lagBlocks: number | null;
  jobs: number;
  lastError?: string;
}

export class ChainFollower {
  private cursor: bigint;
  private scanned: bigint;
  private hashes: BlockRef[] = [];
  private head: ChainHead | null = null;
  private running = false;
  private loopPromise: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private lastError: string | undefined;
  private readonly log: Logger;

  constructor(private readonly o: FollowerOptions) {
    this.cursor = o.startBlock - 1n;
    this.scanned = o.startBlock - 1n;
    this.log = o.logger.child({ component: 'follower' });
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
    this.log.info('chain follower starting', { cursor: this.cursor, startBlock: this.o.startBlock, confirmations: this.o.confirmations });
    this.loopPromise = this.loop();
  }

  /** Stops after the current tick (its in-flight commits finish), then persists the cursor. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loopPromise;
    this.persist();
    this.log.info('chain follower stopped', { cursor: this.cursor });
  }

  /** Runs the next tick now (a spec arrived, an admin asked). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Chain time of the last head seen (unix s; the local clock before the first tick). */
  chainTime(): number {
    return this.head?.timestamp ?? Math.floor(Date.now() / 1000);
  }

  status(): FollowerStatus {
    const lag = this.head ? Number(this.head.number - this.cursor) : null;
    return {
      running: this.running,
      cursorBlock: this.cursor,
      scannedBlock: this.scanned,
      headBlock: this.head?.number ?? null,
      lagBlocks: lag === null ? null : Math.max(0, lag),
      jobs: this.o.book.size,
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
        this.log.warn('chain follower tick failed; will retry', { attempt: failures, err: this.lastError });
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

  /** One pass: reorg check, read new blocks, hand the head on (routing), advance the cursor. */
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

    const { transient } = await this.o.afterScan(this.head);

    if (transient === 0 && this.scanned > this.cursor) {
      this.cursor = this.scanned;
      this.persist();
    }
    this.o.metrics.cursorBlock.set(Number(this.cursor));
    this.o.metrics.intakeLag.set(Math.max(0, Number(latest.number - this.cursor)));
    if (transient > 0) throw new TransientChainError(`${transient} job(s) could not be handled (chain unreachable); retrying`);
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
    this.o.onRewind(touched);
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
