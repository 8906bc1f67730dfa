// What the keeper knows about each job, folded from JobMarket events. Rebuilt from the chain on start; events
// are kept per job with their positions so a reorg can drop the ones after the fork point. Each job's folded
// view is kept and refolded only when its events change; views are read-only to callers.
import type { Hex } from '../domain/types.js';
import type { MarketEvent, PublishedSpec } from './events.js';

type Ev<K extends MarketEvent['kind']> = Extract<MarketEvent, { kind: K }>;

/** A committed route as RouteCommitted carries it, with what happened to it since. */
export type RouteRecord = Omit<Ev<'routeCommitted'>, 'kind' | 'jobId' | 'blockHash' | 'logIndex'> & {
  /** startDeadline: 0 until the route binds (autoAccept or the buyer's acceptance). */
  accepted: boolean;
  rejected: boolean;
};

export type JobPhase =
  /** Needs a route (never routed, or the last route was rejected). */
  | 'open'
  /** Routed, waiting for the buyer to accept. */
  | 'routed'
  /** Route binding, waiting for the provider to start (re-route after startDeadline). */
  | 'accepted'
  | 'running'
  | 'closed';

export interface JobView {
  jobId: bigint;
  submitted: Ev<'submitted'>;
  /** Tracked jobs: the spec from JobSpecPublished in the submission's transaction. */
  publishedSpec: PublishedSpec | null;
  routes: RouteRecord[];
  /** Highest committed round (0 when never routed). */
  round: number;
  phase: JobPhase;
  /** Binding route's start deadline (phase 'accepted'), else 0. */
  startDeadline: number;
  /** When the keeper first saw the submission (ms), for latency metrics. */
  firstSeenMs: number;
}

interface Entry {
  events: MarketEvent[];
  firstSeenMs: number;
  /** The events folded (null while only route events are known). */
  view: JobView | null;
}

const eventKey = (e: MarketEvent) => `${e.txHash}:${e.logIndex}`;

export class JobBook {
  private readonly jobs = new Map<string, Entry>();
  private readonly seen = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Adds events (idempotent: an event seen before is ignored). Returns the ids of the jobs that changed. */
  apply(events: MarketEvent[]): Set<bigint> {
    const touched = new Set<bigint>();
    for (const e of events) {
      const k = eventKey(e);
      if (this.seen.has(k)) continue;
      this.seen.add(k);
      const id = e.jobId.toString();
      let entry = this.jobs.get(id);
      if (!entry) {
        entry = { events: [], firstSeenMs: this.now(), view: null };
        this.jobs.set(id, entry);
      }
      entry.events.push(e);
      entry.events.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
      touched.add(e.jobId);
    }
    for (const id of touched) {
      const entry = this.jobs.get(id.toString())!;
      entry.view = fold(id, entry);
    }
    return touched;
  }

  /** Forgets every event after `block` (a reorg). Returns the ids of the jobs that changed. */
  rewind(block: bigint): Set<bigint> {
    const touched = new Set<bigint>();
    for (const [id, entry] of this.jobs) {
      const kept = entry.events.filter((e) => e.blockNumber <= block);
      if (kept.length === entry.events.length) continue;
      for (const e of entry.events) if (e.blockNumber > block) this.seen.delete(eventKey(e));
      touched.add(BigInt(id));
      if (kept.length === 0) this.jobs.delete(id);
      else {
        entry.events = kept;
        entry.view = fold(BigInt(id), entry);
      }
    }
    return touched;
  }

  get(jobId: bigint): JobView | null {
    return this.jobs.get(jobId.toString())?.view ?? null;
  }

  all(): JobView[] {
    const out: JobView[] = [];
    for (const entry of this.jobs.values()) if (entry.view) out.push(entry.view);
    return out;
  }

  /** The commit whose log root is `root` (latest first). */
  findRouteByLogRoot(root: Hex): { jobId: bigint; route: RouteRecord } | null {
    const r = root.toLowerCase();
    let best: { jobId: bigint; route: RouteRecord } | null = null;
    for (const v of this.all()) {
      for (const route of v.routes) {
        if (route.logRoot === r && (!best || route.blockNumber > best.route.blockNumber)) best = { jobId: v.jobId, route };
      }
    }
    return best;
  }

  get size(): number {
    return this.jobs.size;
  }
}

function fold(jobId: bigint, entry: Entry): JobView | null {
  let submitted: Ev<'submitted'> | null = null;
  let publishedSpec: PublishedSpec | null = null;
  const routes = new Map<number, RouteRecord>();
  let started = false;
  let closed = false;
  for (const e of entry.events) {
    switch (e.kind) {
      case 'submitted':
        submitted = e;
        break;
      case 'specPublished':
        // Only the spec published by the submission itself counts.
        if (submitted && e.txHash === submitted.txHash) publishedSpec = e.spec;
        break;
      case 'routeCommitted': {
        const { kind: _kind, jobId: _jobId, blockHash: _blockHash, logIndex: _logIndex, ...route } = e;
        routes.set(e.round, { ...route, accepted: e.autoAccepted, rejected: false });
        break;
      }
      case 'routeAccepted': {
        const r = routes.get(e.round);
        if (r) {
          r.accepted = true;
          r.startDeadline = e.startDeadline;
        }
        break;
      }
      case 'routeRejected': {
        const r = routes.get(e.round);
        if (r) r.rejected = true;
        break;
      }
      case 'started':
        started = true;
        break;
      case 'closed':
        closed = true;
        break;
    }
  }
  if (!submitted) return null; // only route events seen (should not happen): nothing to act on
  const ordered = [...routes.values()].sort((a, b) => a.round - b.round);
  const last = ordered.at(-1);
  let phase: JobPhase;
  if (closed) phase = 'closed';
  else if (started) phase = 'running';
  else if (!last || last.rejected) phase = 'open';
  else if (last.accepted) phase = 'accepted';
  else phase = 'routed';
  return {
    jobId,
    submitted,
    publishedSpec,
    routes: ordered,
    round: last?.round ?? 0,
    phase,
    startDeadline: phase === 'accepted' && last ? last.startDeadline : 0,
    firstSeenMs: entry.firstSeenMs,
  };
}
