// Routing scheduler: after each chain read, routes every job that needs it (new, rejected, or past its start
// deadline without a start), a few decisions at a time, and reports each round to the activity hub once it has
// ended. A worker is free again as soon as its commit is sent: receipts are awaited in the background (the tx
// queue pipelines nonces), so a burst is committed in a few blocks and a slow or reorganised commit never holds
// up the next chain read. Work is idempotent on (jobId, round): see chain/route-job.ts.
import type { ChainClients } from '../chain/clients.js';
import { TransientChainError } from '../chain/errors.js';
import type { JobBook, JobView } from '../chain/job-book.js';
import { routeJob, type RoundOutcome, type RouterPort } from '../chain/route-job.js';
import type { SpecStore } from '../chain/spec-document.js';
import type { TxQueue } from '../chain/tx-queue.js';
import { decisionView } from '../domain/api.js';
import type { ConstraintName, Exclusion, Hex } from '../domain/types.js';
import { summariseExclusions } from '../engine/index.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { ActivityHub } from './activity.js';

export interface SchedulerOptions {
  clients: Pick<ChainClients, 'publicClient'>;
  jobMarket: Hex;
  book: JobBook;
  specs: SpecStore;
  activity: ActivityHub;
  router: RouterPort;
  txQueue: TxQueue;
  logger: Logger;
  metrics: Metrics;
  /** How often start deadlines are checked (re-routes). */
  rerouteIntervalMs: number;
  /** Chain time of the latest head (unix s). */
  chainTime: () => number;
  /** Runs the next chain pass now (a spec arrived, an admin asked). */
  wake: () => void;
  /** Jobs handled at the same time (decisions run in parallel; sends are serialised by the tx queue). */
  concurrency?: number;
  /** Wait before deciding again for a job that had no feasible candidate or a failed commit. */
  retryAfterMs?: number;
}

export interface SchedulerStatus {
  pendingJobs: number;
  awaitingSpec: number;
}

/**
 * Work is keyed on (jobId, round) and the submission's transaction: after a reorg a job id can name a different
 * job, which must not inherit the old one's "done" or back-off.
 */
/** Longest wait between two looks at a job nothing fits. */
const NO_CANDIDATE_MAX_BACKOFF_MS = 15 * 60_000;

/** What to relax, per constraint that excluded offers. */
const RELAX: Record<ConstraintName, string> = {
  external: 'allow external markets',
  excludedRef: 'providers already tried for this job are excluded',
  auditedOnly: 'accept unaudited providers',
  allowList: 'widen the provider allow-list',
  gpuModel: 'accept more GPU models',
  gpuCount: 'ask for fewer GPUs',
  vram: 'lower the minimum VRAM',
  vcpu: 'lower the minimum vCPUs',
  ram: 'lower the minimum RAM',
  region: 'accept more regions',
  capacity: 'wait for capacity or ask for fewer GPUs',
  maxPrice: 'raise the maximum price per GPU-hour',
  budget: 'raise the budget or shorten the duration',
  teamCap: "raise the team's spending cap",
};

/** Why nothing fits and what to relax, for the job's decision view (the activity stream carries it too). */
export function noCandidateAdvice(excluded: readonly Exclusion[]): string {
  if (excluded.length === 0) return 'No candidate fits: no offers are known for this job yet; it is looked at again as offers arrive.';
  const by = summariseExclusions(excluded, 0);
  const why = by.map((s) => `${s.constraint} excluded ${s.count}`).join(', ');
  // The constraints that alone keep the most offers out come first.
  const single = new Map<ConstraintName, number>();
  for (const e of excluded) if (e.reasons.length === 1) single.set(e.reasons[0]!.constraint, (single.get(e.reasons[0]!.constraint) ?? 0) + 1);
  const ranked = [...by].sort((a, b) => (single.get(b.constraint) ?? 0) - (single.get(a.constraint) ?? 0) || b.count - a.count);
  const relax = ranked.slice(0, 3).map((s) => RELAX[s.constraint]);
  return `No candidate fits: ${excluded.length} offers excluded (${why}). To route it: ${relax.join('; ')}.`;
}

const workKey = (job: JobView, round: number) => `${job.jobId}:${round}:${job.submitted.txHash}`;

interface Work {
  job: JobView;
  round: number;
  reason: 'new' | 'rejected' | 'reroute';
  /** The round's activity was begun (at its first step). */
  begun: boolean;
}

export class RoutingScheduler {
  private lastRerouteCheck = 0;
  private forceReroute = new Set<string>();
  private readonly done = new Set<string>();
  private readonly retryAt = new Map<string, number>();
  /** Rounds whose last decision found no candidate: what it depended on, and how many looks in a row found none. */
  private readonly noCandidate = new Map<string, { inputs: string | null; tries: number }>();
  /** Rounds started and not ended (deciding, sending, or awaiting their receipt), by work key. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Rounds that ended for lack of the chain since the last sweep reported them. */
  private transientSince = 0;
  private queued = 0;
  private awaitingSpec = 0;
  private readonly log: Logger;

  constructor(private readonly o: SchedulerOptions) {
    this.log = o.logger.child({ component: 'scheduler' });
  }

  status(): SchedulerStatus {
    return { pendingJobs: this.queued + this.inFlight.size, awaitingSpec: this.awaitingSpec };
  }

  /** Resolves when every started round has ended (their receipts included). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  /** Admin: check this job for a re-route now (and clear a retry back-off). */
  requestReroute(jobId: bigint): { status: 'started'; round: number } | { status: 'not_eligible'; reason: string } | { status: 'unknown_job' } {
    const job = this.o.book.get(jobId);
    if (!job) return { status: 'unknown_job' };
    if (job.phase === 'running' || job.phase === 'closed') return { status: 'not_eligible', reason: `job is ${job.phase}` };
    if (job.phase === 'routed') return { status: 'not_eligible', reason: 'the route waits for the buyer to accept' };
    if (!job.submitted.tracked && !this.o.specs.get(job.jobId, job.submitted.specHash)) {
      return { status: 'not_eligible', reason: 'the job waits for its spec document (POST /jobs/:id/spec)' };
    }
    const now = this.o.chainTime();
    if (job.phase === 'accepted' && now <= job.startDeadline) {
      return { status: 'not_eligible', reason: `start deadline ${job.startDeadline} not reached (chain time ${now})` };
    }
    this.retryAt.delete(workKey(job, job.round + 1));
    this.noCandidate.delete(workKey(job, job.round + 1)); // decide afresh (and store the log) on request
    this.forceReroute.add(jobId.toString());
    this.o.wake();
    return { status: 'started', round: job.round + 1 };
  }

  /** A reorg undid these jobs' later events: forget their activity, their "done" and their back-off. */
  forget(jobIds: Set<bigint>): void {
    for (const id of jobIds) {
      this.o.activity.reset(id);
      for (const k of [...this.done, ...this.retryAt.keys(), ...this.noCandidate.keys()]) {
        if (k.startsWith(`${id}:`)) {
          this.done.delete(k);
          this.retryAt.delete(k);
          this.noCandidate.delete(k);
        }
      }
    }
  }

  /** Routes every job that needs it at chain time `now`. Returns how many failed for lack of the chain (to retry). */
  async sweep(now: number): Promise<{ transient: number }> {
    const rerouteDue = Date.now() - this.lastRerouteCheck >= this.o.rerouteIntervalMs;
    const transient = await this.sweepJobs(now, rerouteDue);
    if (rerouteDue) this.lastRerouteCheck = Date.now();
    return { transient };
  }

  private async sweepJobs(now: number, rerouteDue: boolean): Promise<number> {
    const work: Work[] = [];
    let awaitingSpec = 0;
    const forced = this.forceReroute;
    this.forceReroute = new Set();
    for (const job of this.o.book.all()) {
      if (BigInt(now) > job.submitted.startBy) continue; // past start-by: only expiry is left
      let w: Work | null = null;
      if (job.phase === 'open') w = { job, round: job.round + 1, reason: job.round === 0 ? 'new' : 'rejected', begun: false };
      else if (job.phase === 'accepted' && (rerouteDue || forced.has(job.jobId.toString())) && now > job.startDeadline) {
        w = { job, round: job.round + 1, reason: 'reroute', begun: false };
      }
      if (!w) continue;
      const key = workKey(job, w.round);
      if (this.done.has(key) || this.inFlight.has(key) || (this.retryAt.get(key) ?? 0) > Date.now()) continue;
      if (!job.submitted.tracked && !this.o.specs.get(job.jobId, job.submitted.specHash)) {
        awaitingSpec++;
        continue;
      }
      if (job.submitted.tracked && !job.publishedSpec) continue; // cannot happen with the deployed contract
      work.push(w);
    }
    this.awaitingSpec = awaitingSpec;
    this.queued = work.length;

    let next = 0;
    const worker = async () => {
      while (next < work.length) {
        const w = work[next++]!;
        this.queued--;
        await this.start(w);
      }
    };
    if (work.length > 0) await Promise.all(Array.from({ length: Math.min(this.o.concurrency ?? 8, work.length) }, worker));
    const transient = this.transientSince;
    this.transientSince = 0;
    return transient;
  }

  /** Starts a round; resolves once its commit is sent or the round ended, whichever comes first. */
  private start(w: Work): Promise<void> {
    const key = workKey(w.job, w.round);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const run = this.handle(w, release)
      .then((outcome) => this.record(w, outcome))
      .catch((err: unknown) => {
        if (err instanceof TransientChainError) {
          this.transientSince++;
          this.log.warn('job handling interrupted by the chain; will retry', { jobId: w.job.jobId, round: w.round, err: err.message });
        } else {
          this.o.metrics.failures.inc({ stage: 'route' });
          this.log.error('routing round failed', { jobId: w.job.jobId, round: w.round, err: err instanceof Error ? err.message : String(err) });
          this.retryAt.set(key, Date.now() + (this.o.retryAfterMs ?? 60_000));
        }
      })
      .finally(() => {
        this.inFlight.delete(key);
        release();
      });
    this.inFlight.set(key, run);
    return released;
  }

  private handle(w: Work, onSent: () => void): Promise<RoundOutcome> {
    if (w.reason !== 'new') this.o.metrics.reroutes.inc({ reason: w.reason });
    this.log.info('routing job', { jobId: w.job.jobId, round: w.round, reason: w.reason });
    const { jobId } = w.job;
    const document = w.job.submitted.tracked ? null : this.o.specs.get(jobId, w.job.submitted.specHash);
    return routeJob(
      { clients: this.o.clients, jobMarket: this.o.jobMarket, router: this.o.router, txQueue: this.o.txQueue, logger: this.o.logger, metrics: this.o.metrics },
      {
        job: w.job,
        round: w.round,
        document,
        now: async () => this.o.chainTime(),
        onSent,
        ...(this.noCandidate.get(workKey(w.job, w.round))?.inputs ? { lastNoCandidate: this.noCandidate.get(workKey(w.job, w.round))!.inputs! } : {}),
        onStep: (step) => {
          // The round's activity starts with its first step (a retried round replaces the earlier attempt).
          if (!w.begun) this.o.activity.begin(jobId, w.round);
          w.begun = true;
          this.o.activity.step(jobId, w.round, step);
        },
      },
    );
  }

  /** The one place a round's end is acted on: done or back-off, and what the activity hub shows. */
  private record(w: Work, outcome: RoundOutcome): void {
    const key = workKey(w.job, w.round);
    switch (outcome.status) {
      case 'committed':
      case 'already_routed':
        this.done.add(key);
        this.retryAt.delete(key);
        this.noCandidate.delete(key);
        break;
      case 'not_eligible':
        // The chain is not there yet (e.g. a start deadline seen in a block the node has not mined); look again later.
        this.retryAt.set(key, Date.now() + Math.min(this.o.rerouteIntervalMs, 5_000));
        break;
      case 'no_candidate':
      case 'no_candidate_unchanged': {
        // Backed off: each look that still finds nothing doubles the wait. A decision (and its stored log) is made
        // again only when the request or the offers changed (see routeJob's lastNoCandidate).
        const tries = (this.noCandidate.get(key)?.tries ?? 0) + 1;
        this.noCandidate.set(key, { inputs: outcome.inputs, tries });
        const base = this.o.retryAfterMs ?? 60_000;
        this.retryAt.set(key, Date.now() + Math.min(base * 2 ** (tries - 1), Math.max(base, NO_CANDIDATE_MAX_BACKOFF_MS)));
        this.o.metrics.failures.inc({ stage: outcome.status === 'no_candidate' ? 'no_candidate_decided' : 'no_candidate_unchanged' });
        break;
      }
      case 'failed':
        this.retryAt.set(key, Date.now() + (this.o.retryAfterMs ?? 60_000));
        break;
    }
    // A round the chain is not ready for stays open: its activity continues when it is tried again.
    if (!outcome.decided || outcome.status === 'not_eligible') return;
    const base = { jobId: w.job.jobId, round: w.round, decision: outcome.decision, decidedAt: Date.now() };
    const view =
      outcome.status === 'committed'
        ? decisionView({ ...base, status: 'committed', tx: { hash: outcome.hash, blockNumber: outcome.blockNumber } })
        : outcome.status === 'no_candidate'
          ? decisionView({ ...base, status: 'no_candidate', error: noCandidateAdvice(outcome.decision.excluded) })
          : outcome.status === 'failed'
            ? decisionView({ ...base, status: 'failed', error: outcome.error })
            : decisionView({ ...base, status: 'already_routed', error: outcome.reason });
    if (!w.begun) this.o.activity.begin(w.job.jobId, w.round); // the router ended before its first step
    this.o.activity.finish(w.job.jobId, w.round, view, outcome.decision);
  }
}
