// The job-facing services behind the API: decisions (from memory, or rebuilt from the on-chain commit and the
// stored log after a restart), the Akash SDL, the untracked spec hand-off and the step stream.
import type { DecisionView, SpecOutcome } from '../domain/api.js';
import type { JobsService } from './types.js';
import { errorSummary, type Logger } from '../logger.js';
import { decodeLog } from '../log/index.js';
import type { Hex, LogStore, ReasoningLog } from '../domain/types.js';
import type { ActivityHub } from './activity.js';
import type { JobBook, RouteRecord } from '../chain/job-book.js';
import { parseSpecSubmission, type SpecStore } from '../chain/spec-document.js';

export interface JobServiceDeps {
  book: JobBook;
  activity: ActivityHub;
  specs: SpecStore;
  logStore: LogStore;
  logger: Logger;
  /** Called when an untracked job's spec was accepted (the scheduler routes it on the next pass). */
  onSpecAccepted: (jobId: bigint) => void;
}

export function createJobService(deps: JobServiceDeps): JobsService {
  const log = deps.logger.child({ component: 'jobs' });

  async function loadLog(route: RouteRecord): Promise<ReasoningLog | null> {
    try {
      const bytes = await deps.logStore.get(route.logRoot);
      return bytes ? decodeLog(bytes) : null;
    } catch (err) {
      log.warn('stored log unreadable', { logRoot: route.logRoot, err: errorSummary(err) });
      return null;
    }
  }

  return {
    subscribe: (jobId, round) => deps.activity.subscribe(jobId, round),

    async decision(jobId) {
      const job = deps.book.get(jobId);
      const latestRoute = job?.routes.at(-1);
      const mem = deps.activity.lastDecision(jobId);
      // Memory wins unless the chain has a newer round (committed by another keeper instance or before a restart).
      if (mem && (!latestRoute || mem.round >= latestRoute.round)) return mem.view;
      if (!job || !latestRoute) return mem?.view ?? null;
      const stored = await loadLog(latestRoute);
      return viewFromLog(jobId, latestRoute, stored);
    },

    async sdl(jobId) {
      const mem = deps.activity.lastDecision(jobId);
      const job = deps.book.get(jobId);
      const latestRoute = job?.routes.at(-1);
      if (mem?.full?.sdl && (!latestRoute || mem.round >= latestRoute.round)) {
        return { round: mem.round, yaml: mem.full.sdl, hash: mem.full.sdlHash };
      }
      if (!latestRoute) return null;
      const stored = await loadLog(latestRoute);
      return stored?.sdl ? { round: latestRoute.round, yaml: stored.sdl.yaml, hash: stored.sdl.hash } : null;
    },

    async submitSpec(jobId, submission): Promise<SpecOutcome> {
      const job = deps.book.get(jobId);
      if (!job) return { status: 'unknown_job' };
      if (job.submitted.tracked) return { status: 'tracked' };
      const parsed = parseSpecSubmission(submission);
      if (!parsed.ok) return { status: 'invalid_document', issues: parsed.issues };
      const expected = job.submitted.specHash;
      if (parsed.hash !== expected) return { status: 'hash_mismatch', expected, actual: parsed.hash };
      deps.specs.put(jobId, parsed.text, parsed.document);
      const routed = job.phase !== 'open';
      if (!routed) deps.onSpecAccepted(jobId);
      return { status: 'accepted', jobId: jobId.toString(), routing: routed ? 'already_routed' : 'scheduled' };
    },
  };
}

/** A decision rebuilt from the on-chain commit and, when available, its stored reasoning log. */
export function viewFromLog(jobId: bigint, route: RouteRecord, stored: ReasoningLog | null): DecisionView {
  const choice = stored?.choice ?? null;
  const candidate = choice ? stored!.candidates.find((c) => c.id === choice.candidateId) : undefined;
  const byId = new Map(stored?.candidates.map((c) => [c.id, c]) ?? []);
  return {
    jobId: jobId.toString(),
    round: route.round,
    status: 'committed',
    chosen: {
      candidateId: choice?.candidateId ?? '',
      market: route.market || 'onchain',
      providerRef: route.providerRef,
      provider: route.market ? null : route.provider,
      offerId: route.offerId.toString(),
      externalId: route.externalId,
      name: candidate?.name ?? (route.externalId || route.provider),
      gpuModel: candidate?.gpuModel ?? '',
      region: candidate?.region ?? '',
      pricePerGpuHour: route.pricePerGpuHour.toString(),
    },
    totalCost: choice ? choice.totalCost.toString() : null,
    alternatives: (stored?.ranked ?? []).slice(0, 6).map((r) => ({
      rank: r.rank,
      candidateId: r.candidateId,
      market: byId.get(r.candidateId)?.market ?? '',
      name: byId.get(r.candidateId)?.name ?? r.candidateId,
      pricePerGpuHour: r.pricePerGpuHour.toString(),
      totalCost: r.totalCost.toString(),
    })),
    logRoot: route.logRoot,
    decisionHash: route.decisionHash,
    sdlHash: route.sdlHash,
    hasSdl: Boolean(stored?.sdl),
    model: stored ? { kind: stored.model.kind, name: stored.model.name } : null,
    explanation: stored?.agent.explanation ?? null,
    tx: { hash: route.txHash as Hex, blockNumber: route.blockNumber.toString() },
    error: stored ? null : 'reasoning log not available from the log store',
    decidedAt: (stored?.createdAt ?? 0) * 1000,
    source: 'log',
  };
}
