// Live "agent thinking" per job and round: the steps the router reports while deciding, then the decision.
// Kept in memory for recent jobs (the log on 0G is the durable record); the SSE route replays and follows it.
import type { ActivityEvent, DecisionView } from '../domain/api.js';
import type { AgentStep, Decision, Hex } from '../domain/types.js';
import type { ActivityStream } from './types.js';

interface RoundActivity {
  steps: AgentStep[];
  decision: DecisionView | null;
  /** The full decision (SDL, log bytes) while in memory. */
  full: Decision | null;
}

interface Listener {
  round: number | null;
  fn: (ev: ActivityEvent) => void;
}

interface JobActivity {
  rounds: Map<number, RoundActivity>;
  current: number | null;
  listeners: Set<Listener>;
}

export class ActivityHub {
  private readonly jobs = new Map<string, JobActivity>();

  constructor(private readonly maxJobs = 2_000) {}

  private job(jobId: bigint): JobActivity {
    const k = jobId.toString();
    let j = this.jobs.get(k);
    if (!j) {
      j = { rounds: new Map(), current: null, listeners: new Set() };
      this.jobs.set(k, j);
      if (this.jobs.size > this.maxJobs) {
        // Drop the oldest job nobody is watching.
        for (const [key, v] of this.jobs) {
          if (v.listeners.size === 0 && key !== k) {
            this.jobs.delete(key);
            break;
          }
        }
      }
    }
    return j;
  }

  /** A new decision for (jobId, round) starts: earlier activity of that round is replaced. */
  begin(jobId: bigint, round: number): void {
    const j = this.job(jobId);
    j.rounds.set(round, { steps: [], decision: null, full: null });
    j.current = round;
  }

  /** A router step of (jobId, round); ignored unless that round was begun. */
  step(jobId: bigint, round: number, step: AgentStep): void {
    const j = this.jobs.get(jobId.toString());
    const r = j?.rounds.get(round);
    if (!j || !r) return;
    r.steps.push(step);
    this.emit(j, { type: 'step', round, step });
  }

  finish(jobId: bigint, round: number, view: DecisionView, full: Decision | null): void {
    const j = this.job(jobId);
    const r = j.rounds.get(round) ?? { steps: [], decision: null, full: null };
    r.decision = view;
    r.full = full;
    j.rounds.set(round, r);
    if (j.current === null || round >= j.current) j.current = round;
    this.emit(j, { type: 'decision', round, decision: view });
  }

  /** Forgets a job's activity (its events were undone by a reorg). */
  reset(jobId: bigint): void {
    const j = this.jobs.get(jobId.toString());
    if (!j) return;
    j.rounds.clear();
    j.current = null;
  }

  latest(jobId: bigint): { round: number; view: DecisionView | null; full: Decision | null } | null {
    const j = this.jobs.get(jobId.toString());
    if (!j || j.current === null) return null;
    const r = j.rounds.get(j.current);
    return r ? { round: j.current, view: r.decision, full: r.full } : null;
  }

  /** The latest finished decision of a job (skipping a round in progress). */
  lastDecision(jobId: bigint): { round: number; view: DecisionView; full: Decision | null } | null {
    const j = this.jobs.get(jobId.toString());
    if (!j) return null;
    const rounds = [...j.rounds.entries()].filter(([, r]) => r.decision).sort(([a], [b]) => b - a);
    const top = rounds[0];
    return top ? { round: top[0], view: top[1].decision!, full: top[1].full } : null;
  }

  /** The job whose decision (in memory) has this log root. */
  findJobByLogRoot(root: Hex): bigint | null {
    const r = root.toLowerCase();
    for (const [id, j] of this.jobs) {
      for (const round of j.rounds.values()) if (round.decision?.logRoot.toLowerCase() === r) return BigInt(id);
    }
    return null;
  }

  /**
   * The current (or given) round's events so far, then the live ones, as an async iterator. `close()` (or the
   * loop's `break`/`return`) stops following and ends a pending `next()`.
   */
  subscribe(jobId: bigint, round: number | null): ActivityStream {
    const j = this.job(jobId);
    const target = round ?? j.current;
    const queue: ActivityEvent[] = [];
    if (target !== null) {
      const r = j.rounds.get(target);
      for (const step of r?.steps ?? []) queue.push({ type: 'step', round: target, step });
      if (r?.decision) queue.push({ type: 'decision', round: target, decision: r.decision });
    }
    let waiting: ((r: IteratorResult<ActivityEvent>) => void) | null = null;
    let closed = false;
    const listener: Listener = {
      round: target,
      fn: (ev) => {
        if (waiting) {
          const w = waiting;
          waiting = null;
          w({ value: ev, done: false });
        } else queue.push(ev);
      },
    };
    j.listeners.add(listener);
    const close = () => {
      if (closed) return;
      closed = true;
      j.listeners.delete(listener);
      queue.length = 0;
      const w = waiting;
      waiting = null;
      w?.({ value: undefined, done: true });
    };
    const iterator: AsyncIterator<ActivityEvent> = {
      next: () => {
        const ev = queue.shift();
        if (ev) return Promise.resolve({ value: ev, done: false });
        if (closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: () => {
        close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
    return { round: target, close, [Symbol.asyncIterator]: () => iterator };
  }

  private emit(j: JobActivity, ev: ActivityEvent): void {
    for (const l of j.listeners) {
      // A listener that waited for "whatever round comes" follows the first round that starts.
      if (l.round === null) l.round = ev.round;
      if (l.round === ev.round) l.fn(ev);
    }
  }
}
