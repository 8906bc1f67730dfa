// Live "agent thinking" per job and round: the steps the router reports while deciding, then the decision.
// Kept in memory for recent jobs (the log on 0G is the durable record); the SSE route replays and follows it.
import type { ActivityEvent, DecisionView } from '../domain/api.js';
import type { AgentStep, Decision, Hex } from '../domain/types.js';
import type { ActivitySubscription } from './types.js';

interface RoundActivity {
  steps: AgentStep[];
  decision: DecisionView | null;
  /** The full decision (SDL, log bytes) while in memory. */
  full: Decision | null;
}

interface JobActivity {
  rounds: Map<number, RoundActivity>;
  current: number | null;
  listeners: Set<{ round: number | null; fn: (ev: ActivityEvent) => void }>;
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

  /** A router step for `job:<id>` (quotes and unknown keys are ignored). */
  step(jobKey: string, step: AgentStep): void {
    const m = /^job:(\d+)$/.exec(jobKey);
    if (!m) return;
    const j = this.jobs.get(m[1]!);
    if (!j || j.current === null) return;
    const round = j.current;
    j.rounds.get(round)?.steps.push(step);
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

  watch(jobId: bigint, round: number | null, fn: (ev: ActivityEvent) => void): ActivitySubscription {
    const j = this.job(jobId);
    const target = round ?? j.current;
    const listener = { round: target, fn };
    const replay: ActivityEvent[] = [];
    if (target !== null) {
      const r = j.rounds.get(target);
      for (const step of r?.steps ?? []) replay.push({ type: 'step', round: target, step });
      if (r?.decision) replay.push({ type: 'decision', round: target, decision: r.decision });
    }
    j.listeners.add(listener);
    return { round: target, replay, unsubscribe: () => j.listeners.delete(listener) };
  }

  private emit(j: JobActivity, ev: ActivityEvent): void {
    for (const l of j.listeners) {
      // A listener that waited for "whatever round comes" follows the first round that starts.
      if (l.round === null) l.round = ev.round;
      if (l.round === ev.round) l.fn(ev);
    }
  }
}
