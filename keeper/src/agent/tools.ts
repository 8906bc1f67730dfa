/**
 * The routing agent's tools. They all work on one decision's context: the catalog lookup is done once
 * and cached, the constraint check and ranking are the deterministic engine's, the SDL builder is the
 * Akash module's. The model can read and explain; it cannot loosen a constraint or change a weight.
 */
import { FunctionTool } from '@google/adk';
import { z } from 'zod';
import { buildSdl, type BuiltSdl, type SdlOptions } from '../akash/index.js';
import { checkCandidate, formatUsdc, route, summariseExclusions, type RouteResult } from '../engine/index.js';
import type { Candidate, Catalog, CatalogView, JobRequest, ScoringWeights } from '../domain/types.js';

export const TOOL_NAMES = {
  lookup: 'lookup_catalog',
  check: 'check_constraints',
  rank: 'rank_candidates',
  sdl: 'build_akash_sdl',
} as const;

/** One decision's state, shared by the tools and the router. */
export class DecisionContext {
  private view: CatalogView | null = null;
  private viewPromise: Promise<CatalogView> | null = null;
  private result: RouteResult | null = null;
  private byId: Map<string, Candidate> | null = null;
  private readonly sdls = new Map<string, Promise<BuiltSdl>>();

  constructor(
    readonly request: JobRequest,
    private readonly catalog: Catalog,
    readonly weights: ScoringWeights,
    private readonly sdlOptions: SdlOptions = {},
  ) {}

  /** The catalog as seen by this decision (looked up once). */
  async lookup(): Promise<CatalogView> {
    if (this.view) return this.view;
    this.viewPromise ??= this.catalog.lookup().then((v) => (this.view = v));
    return this.viewPromise;
  }

  /** The engine's answer over this decision's catalog view (computed once). */
  async routeResult(): Promise<RouteResult> {
    if (this.result) return this.result;
    const view = await this.lookup();
    this.result = route(this.request, view.candidates, this.weights);
    return this.result;
  }

  async candidate(id: string): Promise<Candidate | undefined> {
    if (!this.byId) this.byId = new Map((await this.lookup()).candidates.map((c) => [c.id, c]));
    return this.byId.get(id);
  }

  sdlFor(candidate: Candidate): Promise<BuiltSdl> {
    let p = this.sdls.get(candidate.id);
    if (!p) {
      p = buildSdl(this.request, candidate, this.sdlOptions);
      this.sdls.set(candidate.id, p);
    }
    return p;
  }
}

const usd = (v: bigint) => formatUsdc(v);

// The tools' parameter schemas, built once (zod schemas are costly to construct: a few ms per decision).
const lookupParameters = z.object({});
const checkParameters = z.object({
  candidateIds: z.array(z.string()).max(20).optional().describe('Candidate ids to check one by one'),
});
const rankParameters = z.object({ limit: z.number().int().min(1).max(20).optional().describe('How many to return (default 5)') });
const sdlParameters = z.object({ candidateId: z.string().describe('An Akash candidate id') });

export function createTools(ctx: DecisionContext): FunctionTool<z.ZodObject<z.ZodRawShape>>[] {
  const lookup = new FunctionTool({
    name: TOOL_NAMES.lookup,
    description:
      'Look up the compute catalog for this job: every source (on-chain offers, Akash, Lambda, AWS Spot) with its age, and a summary of the candidates per market and per GPU model. Call this first.',
    parameters: lookupParameters,
    execute: async () => {
      const view = await ctx.lookup();
      const perMarket: Record<string, number> = {};
      const cheapest = new Map<string, bigint>();
      for (const c of view.candidates) {
        perMarket[c.market] = (perMarket[c.market] ?? 0) + 1;
        const prev = cheapest.get(c.gpuModel);
        if (prev === undefined || c.pricePerGpuHour < prev) cheapest.set(c.gpuModel, c.pricePerGpuHour);
      }
      return {
        candidateCount: view.candidates.length,
        perMarket,
        cheapestPerGpuModelUsdPerGpuHour: Object.fromEntries(
          [...cheapest].sort(([a], [b]) => (a < b ? -1 : 1)).map(([m, p]) => [m, usd(p)]),
        ),
        sources: view.sources.map((s) => ({
          source: s.source,
          origin: s.origin,
          ageSec: s.ageSec,
          candidates: s.candidateCount,
          ...(s.error ? { error: s.error } : {}),
        })),
      };
    },
  });

  const check = new FunctionTool({
    name: TOOL_NAMES.check,
    description:
      "Apply the job's hard constraints (GPU model, count, VRAM, vCPU, RAM, region, max price, budget and team cap over the whole duration, trust filters). Without candidateIds: how many candidates are feasible and which constraint excluded how many. With candidateIds: whether each of them is feasible and why not.",
    parameters: checkParameters,
    execute: async ({ candidateIds }) => {
      if (candidateIds && candidateIds.length > 0) {
        const out = [];
        for (const id of candidateIds) {
          const c = await ctx.candidate(id);
          if (!c) {
            out.push({ candidateId: id, feasible: false, reasons: ['unknown candidate id'] });
            continue;
          }
          const r = checkCandidate(ctx.request, c);
          out.push({
            candidateId: id,
            feasible: r.feasible,
            reasons: r.reasons.map((x) => `${x.constraint}: ${x.detail}`),
            totalCostUsd: usd(r.cost.totalCost),
          });
        }
        return { checked: out };
      }
      const result = await ctx.routeResult();
      return {
        feasibleCount: result.ranked.length,
        excludedCount: result.excluded.length,
        excludedBy: summariseExclusions(result.excluded, 3).map((s) => ({
          constraint: s.constraint,
          count: s.count,
          examples: s.candidateIds,
        })),
      };
    },
  });

  const rank = new FunctionTool({
    name: TOOL_NAMES.rank,
    description:
      'Rank the feasible candidates with the deterministic scorer: total cost over the whole duration first, then reliability, start latency and region preference as weighted penalties. Returns the best `limit` candidates, best first, and the weights.',
    parameters: rankParameters,
    execute: async ({ limit }) => {
      const result = await ctx.routeResult();
      return {
        weights: ctx.weights,
        feasibleCount: result.ranked.length,
        top: result.ranked.slice(0, limit ?? 5).map((s) => ({
          rank: s.rank,
          candidateId: s.candidate.id,
          market: s.candidate.market,
          name: s.candidate.name,
          gpu: `${s.candidate.gpuCount}x ${s.candidate.gpuModel} ${s.candidate.vramGb}GB`,
          region: s.candidate.region,
          pricePerGpuHourUsd: usd(s.pricePerGpuHour),
          totalCostUsd: usd(s.totalCost),
          effectiveCostUsd: usd(s.effectiveCost),
          reliability: s.candidate.reliability,
          startLatencySec: s.candidate.startLatencySec,
          audited: s.candidate.audited,
        })),
      };
    },
  });

  const sdl = new FunctionTool({
    name: TOOL_NAMES.sdl,
    description:
      'Build and validate the Akash SDL (deployment manifest) for an Akash candidate of this job. Returns its manifest version hash (committed on-chain as sdlHash) and the SDL text.',
    parameters: sdlParameters,
    execute: async ({ candidateId }) => {
      const c = await ctx.candidate(candidateId);
      if (!c) throw new Error(`unknown candidate ${candidateId}`);
      if (c.market !== 'akash') throw new Error(`${candidateId} is not an Akash candidate`);
      const built = await ctx.sdlFor(c);
      return { valid: true, sdlHash: built.hash, sdl: built.yaml };
    },
  });

  return [lookup, check, rank, sdl] as unknown as FunctionTool<z.ZodObject<z.ZodRawShape>>[];
}
