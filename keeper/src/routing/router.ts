/**
 * The router: runs the agent for a job, validates its pick against the deterministic engine, builds
 * the Akash SDL when the choice is on Akash, writes the canonical reasoning log and stores it (awaited)
 * before returning, so the body can commit logRoot/decisionHash right after.
 */
import { DecisionContext, runRoutingAgent, type ModelConfig } from '../agent/index.js';
import { CONSTRAINT_ORDER, DEFAULT_WEIGHTS, ENGINE_VERSION, checkCandidate, costOf, countExcludedOffers, route, summariseExclusions } from '../engine/index.js';
import { encodeLog } from '../log/index.js';
import type { BuiltSdl, SdlOptions } from '../akash/index.js';
import {
  ZERO_BYTES32,
  jobKeyOf,
  type AgentStep,
  type AgentVerdict,
  type Catalog,
  type CatalogView,
  type Decision,
  type Exclusion,
  type JobRequest,
  type LogStore,
  type Quote,
  type QuoteRow,
  type ReasoningLog,
  type ScoredCandidate,
  type ScoringWeights,
  type SourceStatus,
} from '../domain/types.js';

export const KEEPER_VERSION = '0.1.0';

export interface RouterOptions {
  catalog: Catalog;
  model: 'local' | { gemini: { apiKey: string; model: string; baseUrl?: string; stream?: boolean } };
  logStore: LogStore;
  /** Scoring weights (recorded in every log). Default DEFAULT_WEIGHTS. */
  weights?: ScoringWeights;
  sdl?: SdlOptions;
  /** Agent loop time limit (Gemini). Default 60 s. */
  agentTimeoutMs?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

export interface DecideOptions {
  /** Called with each step as the agent takes it (a throwing listener does not break routing). */
  onStep?: (step: AgentStep) => void;
}

export interface Router {
  decide(req: JobRequest, opts?: DecideOptions): Promise<Decision>;
  quote(req: JobRequest): Promise<Quote>;
}

const QUOTE_ROWS = 50;

function quoteRow(
  s: Pick<ScoredCandidate, 'rank' | 'candidate' | 'pricePerGpuHour' | 'totalCost' | 'effectiveCost'>,
  sources: Map<string, SourceStatus>,
  usedGpus: number,
  notRoutable?: string,
): QuoteRow {
  const c = s.candidate;
  const billing = c.billing ?? 'per-gpu';
  return {
    rank: s.rank,
    candidateId: c.id,
    market: c.market,
    providerRef: c.providerRef,
    name: c.name,
    gpuModel: c.gpuModel,
    gpuCount: c.gpuCount,
    vramGb: c.vramGb,
    region: c.region,
    pricePerGpuHour: s.pricePerGpuHour,
    totalCost: s.totalCost,
    effectiveCost: s.effectiveCost,
    reliability: c.reliability,
    startLatencySec: c.startLatencySec,
    audited: c.audited,
    source: c.source,
    sourceAgeSec: sources.get(c.source)?.ageSec ?? -1,
    billing,
    rentedGpus: billing === 'per-instance' ? c.gpuCount : usedGpus,
    usedGpus,
    stale: c.stale === true,
    launcher: c.launcher === undefined ? 'unspecified' : c.launcher,
    ...(notRoutable !== undefined ? { notRoutable } : {}),
  };
}

/** Offers excluded only because they cannot be launched here, are stale or cannot run an image-less job: shown, never picked. */
function unroutableRows(req: JobRequest, excluded: readonly Exclusion[], view: CatalogView, sources: Map<string, SourceStatus>): QuoteRow[] {
  const byId = new Map(view.candidates.map((c) => [c.id, c]));
  const rows: QuoteRow[] = [];
  for (const e of excluded) {
    if (!e.reasons.every((r) => r.constraint === 'launcher' || r.constraint === 'stale' || r.constraint === 'image')) continue;
    const c = byId.get(e.candidateId);
    if (!c) continue;
    const cost = costOf(req, c);
    rows.push(
      quoteRow({ rank: 0, candidate: c, ...cost, effectiveCost: cost.totalCost }, sources, req.gpuCount, e.reasons.map((r) => r.detail).join('; ')),
    );
  }
  rows.sort((a, b) => (a.totalCost !== b.totalCost ? (a.totalCost < b.totalCost ? -1 : 1) : a.candidateId < b.candidateId ? -1 : 1));
  return rows.slice(0, QUOTE_ROWS);
}

/** Accepts the model's pick only when it is the engine's top-ranked feasible candidate. */
function judge(
  proposedId: string | null,
  ranked: ScoredCandidate[],
  ctx: DecisionContext,
  explanation: string,
  modelError: string | null,
): Promise<AgentVerdict> | AgentVerdict {
  const top = ranked[0]?.candidate.id ?? null;
  const verdict = (overrideReason: string | null): AgentVerdict => ({
    proposedId,
    acceptedId: top,
    overridden: overrideReason !== null,
    overrideReason,
    explanation,
  });
  if (modelError !== null) return verdict(`model failed (${modelError}); the engine's pick stands`);
  if (proposedId === top) return verdict(null);
  if (proposedId === null) {
    return verdict(top === null ? null : `model picked none; the engine's pick ${top} stands`);
  }
  return ctx.candidate(proposedId).then((c) => {
    if (!c) return verdict(`model picked unknown candidate ${proposedId}; overridden by the engine's pick ${top ?? 'none'}`);
    const check = checkCandidate(ctx.request, c);
    if (!check.feasible) {
      const why = check.reasons.map((r) => `${r.constraint}: ${r.detail}`).join('; ');
      return verdict(`model pick ${proposedId} is infeasible (${why}); overridden by the engine's pick ${top ?? 'none'}`);
    }
    const rank = ranked.find((s) => s.candidate.id === proposedId)?.rank ?? -1;
    return verdict(`model pick ${proposedId} is feasible but ranked ${rank}, not 1; overridden by the engine's pick ${top ?? 'none'}`);
  });
}

export function createRouter(opts: RouterOptions): Router {
  const weights = opts.weights ?? DEFAULT_WEIGHTS;
  const nowMs = opts.now ?? Date.now;
  const modelConfig: ModelConfig = opts.model;

  return {
    async decide(req, decideOpts = {}) {
      const jobKey = jobKeyOf(req);
      const steps: AgentStep[] = [];
      const emit = (kind: AgentStep['kind'], title: string, detail: unknown) => {
        const step: AgentStep = { seq: steps.length, at: nowMs(), kind, title, detail };
        steps.push(step);
        try {
          decideOpts.onStep?.(step);
        } catch {
          // A broken listener must not break routing.
        }
      };

      const ctx = new DecisionContext(req, opts.catalog, weights, opts.sdl);
      const run = await runRoutingAgent(ctx, modelConfig, emit, {
        ...(opts.agentTimeoutMs !== undefined ? { timeoutMs: opts.agentTimeoutMs } : {}),
      });
      // The engine's answer is the ground truth whatever the model did (or did not) call.
      const view = await ctx.lookup();
      const result = await ctx.routeResult();
      const verdict = await judge(run.proposedId, result.ranked, ctx, run.explanation, run.error);
      if (verdict.overridden && verdict.overrideReason) emit('thought', 'Model pick overridden', { reason: verdict.overrideReason });

      const best = result.ranked[0] ?? null;
      const chosen = best?.candidate ?? null;
      let sdl: BuiltSdl | null = null;
      if (chosen?.market === 'akash') {
        try {
          sdl = await ctx.sdlFor(chosen);
        } catch (err) {
          emit('error', 'SDL build failed', { message: err instanceof Error ? err.message.slice(0, 300) : String(err) });
        }
      }

      if (best && chosen) {
        emit('decision', `Chose ${chosen.name} (${chosen.market})`, {
          candidateId: chosen.id,
          providerRef: chosen.providerRef,
          pricePerGpuHour: best.pricePerGpuHour,
          totalCost: best.totalCost,
          overridden: verdict.overridden,
          sdlHash: sdl?.hash ?? null,
        });
      } else {
        emit('decision', 'No candidate fits', { exclusions: summariseExclusions(result.excluded, 5) });
      }

      const log: ReasoningLog = {
        schema: 'necto.reasoning-log/1',
        jobKey,
        createdAt: Math.floor(nowMs() / 1000),
        versions: { keeper: KEEPER_VERSION, engine: ENGINE_VERSION },
        model: run.model,
        request: req,
        sources: view.sources,
        candidates: view.candidates,
        constraints: [...CONSTRAINT_ORDER],
        weights: { ...weights },
        exclusions: result.excluded,
        ranked: result.ranked.map(({ candidate, ...rest }) => ({ ...rest, candidateId: candidate.id })),
        choice:
          best && chosen
            ? {
                candidateId: chosen.id,
                providerRef: chosen.providerRef,
                market: chosen.market,
                externalId: chosen.externalId,
                offerId: chosen.offerId,
                pricePerGpuHour: best.pricePerGpuHour,
                totalCost: best.totalCost,
              }
            : null,
        agent: verdict,
        sdl,
        steps,
      };
      const encoded = await encodeLog(log);
      const stored = await opts.logStore.put(encoded.bytes);
      if (stored.root.toLowerCase() !== encoded.root) {
        throw new Error(`log store returned root ${stored.root}, expected ${encoded.root}`);
      }
      return {
        request: req,
        chosen,
        ranked: result.ranked,
        excluded: result.excluded,
        log,
        logBytes: encoded.bytes,
        logRoot: encoded.root,
        decisionHash: encoded.decisionHash,
        sdl: sdl?.yaml ?? null,
        sdlHash: sdl?.hash ?? ZERO_BYTES32,
        steps,
        pricePerGpuHour: best?.pricePerGpuHour ?? null,
      };
    },

    async quote(req) {
      const view = await opts.catalog.lookup();
      const result = route(req, view.candidates, weights);
      const sources = new Map(view.sources.map((s) => [s.source, s]));
      const rows = result.ranked.slice(0, QUOTE_ROWS).map((s) => quoteRow(s, sources, req.gpuCount));
      return {
        request: req,
        at: view.at,
        best: rows[0] ?? null,
        rows,
        unroutable: unroutableRows(req, result.excluded, view, sources),
        feasibleCount: result.ranked.length,
        excludedCount: countExcludedOffers(result.excluded),
        exclusions: summariseExclusions(result.excluded),
        sources: view.sources,
        weights: { ...weights },
        engineVersion: ENGINE_VERSION,
      };
    },
  };
}
