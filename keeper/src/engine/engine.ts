/**
 * The routing engine: hard constraints, then a cost-first score. Pure and deterministic: integer
 * arithmetic only (bigint for money, parts-per-million for ratios), a total order for sorting, no clock,
 * no randomness, so a reasoning log replays to the same choice anywhere.
 */
import { canonicalGpuModel, regionMatches, regionRule, type RegionRule } from '../catalog/normalise.js';
import { CONSTRAINT_WORDS as W } from '../domain/constraints.js';
import type {
  Candidate,
  ConstraintName,
  Exclusion,
  ExclusionReason,
  ExclusionSummary,
  JobRequest,
  ScoredCandidate,
  ScoringWeights,
} from '../domain/types.js';

/** Bumped whenever a change could alter a choice (constraint, cost formula, score, tie-break). */
export const ENGINE_VERSION = 'necto-engine/1.2.0';

/**
 * Defaults: a provider with 90% reliability pays a 2% cost penalty, each hour of start latency 1%,
 * each step down the buyer's region preference list 0.5%.
 */
export const DEFAULT_WEIGHTS: Readonly<ScoringWeights> = Object.freeze({
  reliabilityBps: 2000,
  latencyBpsPerHour: 100,
  regionBpsPerRank: 50,
});

export const COST_ONLY_WEIGHTS: Readonly<ScoringWeights> = Object.freeze({
  reliabilityBps: 0,
  latencyBpsPerHour: 0,
  regionBpsPerRank: 0,
});

export const CONSTRAINT_ORDER: readonly ConstraintName[] = Object.freeze([
  'external',
  'launcher',
  'image',
  'stale',
  'excludedRef',
  'auditedOnly',
  'allowList',
  'gpuModel',
  'gpuCount',
  'vram',
  'vcpu',
  'ram',
  'region',
  'capacity',
  'maxPrice',
  'budget',
  'teamCap',
] as const);

/**
 * Markets where the keeper itself deploys the job document's container (an Akash deployment runs the document's
 * image, nothing else): a job whose document names no image (`workload: null`) cannot run there. An unknown
 * workload (a draft quote that does not say) is not excluded.
 */
export const IMAGE_MARKETS: ReadonlySet<string> = new Set(['akash']);

/** The job names no image, and the candidate's market deploys the document's image. */
const lacksImage = (req: JobRequest, c: Candidate): boolean => req.workload === null && IMAGE_MARKETS.has(c.market);

/** Penalties are expressed in units of 1e-10 of the total cost: bps (1e-4) × ppm (1e-6). */
const PENALTY_BASE = 10_000_000_000n;
const PPM = 1_000_000;

/** USDC 6-dec as `1.500000`. */
export function formatUsdc(amount: bigint): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const whole = abs / 1_000_000n;
  const frac = (abs % 1_000_000n).toString().padStart(6, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

/** What the job costs with this candidate. */
export interface CostQuote {
  /** Per requested GPU-hour; what gets committed. */
  pricePerGpuHour: bigint;
  /** For the whole duration (the contract's formula: price × gpuCount × duration / 3600). */
  totalCost: bigint;
}

export function costOf(req: Pick<JobRequest, 'gpuCount' | 'durationSec'>, c: Candidate): CostQuote {
  const gpus = BigInt(Math.max(1, Math.floor(req.gpuCount)));
  let pricePerGpuHour = c.pricePerGpuHour;
  if (c.billing === 'per-instance') {
    // The whole machine is paid for: spread its price over the GPUs the job asked for, rounding up.
    const machineGpus = BigInt(Math.max(1, Math.floor(c.gpuCount)));
    const perHour = c.pricePerGpuHour * machineGpus;
    pricePerGpuHour = (perHour + gpus - 1n) / gpus;
  }
  const totalCost = (pricePerGpuHour * gpus * BigInt(Math.max(0, Math.floor(req.durationSec)))) / 3600n;
  return { pricePerGpuHour, totalCost };
}

/** A request with its lists turned into sets once, so each candidate check is O(1). */
interface PreparedRequest {
  req: JobRequest;
  models: Set<string>;
  /** Pre-rendered lists for exclusion details. */
  modelsText: string;
  regionsText: string;
  maxPriceText: string;
  regions: RegionRule[];
  excluded: Set<string>;
  allowList: Set<string>;
}

function prepare(req: JobRequest): PreparedRequest {
  const models = new Set(req.gpuModels.map(canonicalGpuModel));
  return {
    req,
    models,
    modelsText: [...models].join(','),
    regionsText: req.regions.join(','),
    maxPriceText: formatUsdc(req.maxPricePerGpuHour),
    regions: req.regions.map(regionRule),
    excluded: new Set(req.excludeProviderRefs.map((r) => r.toLowerCase())),
    allowList: new Set(req.trust.allowList.map((r) => r.toLowerCase())),
  };
}

function regionRankOf(p: PreparedRequest, region: string): number {
  if (p.regions.length === 0) return 0;
  for (let i = 0; i < p.regions.length; i++) if (regionMatches(region, p.regions[i]!)) return i;
  return -1;
}

/** The buyer's trust allow-list names this offer's provider or market: an explicit choice. */
function namedByBuyer(p: PreparedRequest, c: Candidate): boolean {
  return (
    p.allowList.size > 0 &&
    (p.allowList.has(c.providerRef.toLowerCase()) ||
      p.allowList.has(c.market.toLowerCase()) ||
      (c.provider !== null && p.allowList.has(c.provider.toLowerCase())))
  );
}

/** Same rules as `failures`, as one allocation-free test (the hot path: most candidates in a big catalog). */
function feasible(p: PreparedRequest, c: Candidate, pricePerGpuHour: bigint, totalCost: bigint, regionRank: number): boolean {
  const { req } = p;
  return (
    (req.allowExternal || c.market === 'onchain') &&
    c.launcher !== null &&
    !lacksImage(req, c) &&
    (c.stale !== true || namedByBuyer(p, c)) &&
    !(p.excluded.size > 0 && p.excluded.has(c.providerRef.toLowerCase())) &&
    (!req.trust.auditedOnly || c.audited) &&
    (p.allowList.size === 0 || namedByBuyer(p, c)) &&
    (p.models.size === 0 || p.models.has(c.gpuModel)) &&
    c.gpuCount >= req.gpuCount &&
    c.vramGb >= req.minVramGb &&
    c.vcpu >= req.minVcpu &&
    c.ramGb >= req.minRamGb &&
    regionRank >= 0 &&
    c.availableUnits >= 1 &&
    pricePerGpuHour <= req.maxPricePerGpuHour &&
    (req.budget === null || totalCost <= req.budget) &&
    (req.teamRemainingCap === null || totalCost <= req.teamRemainingCap)
  );
}

/**
 * Reasons are immutable and shared: a catalog of thousands of candidates mostly fails for the same few
 * reasons, and building one object and string per candidate dominated routing time (garbage collection).
 */
class ReasonCache {
  private readonly byKey = new Map<ConstraintName, Map<string | number | bigint, ExclusionReason>>();

  get(constraint: ConstraintName, key: string | number | bigint, detail: () => string): ExclusionReason {
    let m = this.byKey.get(constraint);
    if (!m) {
      m = new Map();
      this.byKey.set(constraint, m);
    }
    let r = m.get(key);
    if (!r) {
      r = Object.freeze({ constraint, detail: detail() });
      m.set(key, r);
    }
    return r;
  }
}

/** Every hard constraint the candidate fails, in CONSTRAINT_ORDER; [] when feasible. */
function failures(p: PreparedRequest, c: Candidate, cost: CostQuote, regionRank: number, cache = new ReasonCache()): ExclusionReason[] {
  const { req } = p;
  const out: ExclusionReason[] = [];
  if (!req.allowExternal && c.market !== 'onchain') {
    out.push(cache.get('external', c.market, () => `${W.external} for this job (${c.market})`));
  }
  if (c.launcher === null) {
    out.push(cache.get('launcher', c.market, () => `${W.launcher} for ${c.market} (quote only)`));
  }
  if (lacksImage(req, c)) {
    out.push(cache.get('image', c.market, () => `${W.image}: the job document names none, and ${c.market} runs only the document's image`));
  }
  if (c.stale === true && !namedByBuyer(p, c)) {
    out.push(cache.get('stale', c.source, () => `${W.stale}: ${c.source} data older than its ${c.maxAgeSec ?? 0} s TTL`));
  }
  if (p.excluded.size > 0 && p.excluded.has(c.providerRef.toLowerCase())) {
    out.push(cache.get('excludedRef', 0, () => W.excludedRef));
  }
  if (req.trust.auditedOnly && !c.audited) {
    out.push(cache.get('auditedOnly', 0, () => W.auditedOnly));
  }
  if (p.allowList.size > 0 && !namedByBuyer(p, c)) {
    out.push(cache.get('allowList', 0, () => W.allowList));
  }
  if (p.models.size > 0 && !p.models.has(c.gpuModel)) {
    out.push(cache.get('gpuModel', c.gpuModel, () => `${W.gpuModel} (${c.gpuModel}, wanted ${p.modelsText})`));
  }
  if (c.gpuCount < req.gpuCount) {
    out.push(cache.get('gpuCount', c.gpuCount, () => `${W.gpuCount} (${c.gpuCount} < ${req.gpuCount})`));
  }
  if (c.vramGb < req.minVramGb) {
    out.push(cache.get('vram', c.vramGb, () => `${W.vram} (${c.vramGb} GB < ${req.minVramGb} GB)`));
  }
  if (c.vcpu < req.minVcpu) {
    out.push(cache.get('vcpu', c.vcpu, () => `${W.vcpu} (${c.vcpu} < ${req.minVcpu})`));
  }
  if (c.ramGb < req.minRamGb) {
    out.push(cache.get('ram', c.ramGb, () => `${W.ram} (${c.ramGb} GB < ${req.minRamGb} GB)`));
  }
  if (regionRank < 0) {
    out.push(cache.get('region', c.region, () => `${W.region} (${c.region}, wanted ${p.regionsText})`));
  }
  if (c.availableUnits < 1) {
    out.push(cache.get('capacity', 0, () => `${W.capacity}: no machine available now`));
  }
  if (cost.pricePerGpuHour > req.maxPricePerGpuHour) {
    out.push(cache.get('maxPrice', cost.pricePerGpuHour, () => `${W.maxPrice} (${formatUsdc(cost.pricePerGpuHour)} > ${p.maxPriceText} USDC per GPU-hour)`));
  }
  if (req.budget !== null && cost.totalCost > req.budget) {
    const budget = req.budget;
    out.push(cache.get('budget', cost.totalCost, () => `${W.budget} (${formatUsdc(cost.totalCost)} > ${formatUsdc(budget)} USDC)`));
  }
  if (req.teamRemainingCap !== null && cost.totalCost > req.teamRemainingCap) {
    const cap = req.teamRemainingCap;
    out.push(cache.get('teamCap', cost.totalCost, () => `${W.teamCap} (${formatUsdc(cost.totalCost)} > ${formatUsdc(cap)} USDC)`));
  }
  return out;
}

/** Check one candidate against the request (the agent's constraint tool uses this too). */
export function checkCandidate(req: JobRequest, c: Candidate): { feasible: boolean; reasons: ExclusionReason[]; cost: CostQuote } {
  const p = prepare(req);
  const cost = costOf(req, c);
  const reasons = failures(p, c, cost, regionRankOf(p, c.region));
  return { feasible: reasons.length === 0, reasons, cost };
}

export interface RouteResult {
  ranked: ScoredCandidate[];
  excluded: Exclusion[];
}

interface Row {
  scored: ScoredCandidate;
  /** Lower-case providerRef for the final tie-break (computed once, not per comparison). */
  ref: string;
  /** totalCost × (BASE + penalties): exact ranking key. */
  key: bigint;
  reliabilityPpm: number;
  latencySec: number;
}

function assertWeights(w: ScoringWeights): void {
  for (const [k, v] of Object.entries(w)) {
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`weight ${k} must be a non-negative integer, got ${v}`);
  }
}

function compareRows(a: Row, b: Row): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  const sa = a.scored;
  const sb = b.scored;
  if (sa.totalCost !== sb.totalCost) return sa.totalCost < sb.totalCost ? -1 : 1;
  if (a.reliabilityPpm !== b.reliabilityPpm) return b.reliabilityPpm - a.reliabilityPpm;
  if (a.latencySec !== b.latencySec) return a.latencySec - b.latencySec;
  if (sa.regionRank !== sb.regionRank) return sa.regionRank - sb.regionRank;
  if (a.ref !== b.ref) return a.ref < b.ref ? -1 : 1;
  const ia = sa.candidate.id;
  const ib = sb.candidate.id;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/**
 * Filter by the hard constraints, then rank the feasible candidates by effective cost
 * (total cost × (1 + weighted penalties)); ties by total cost, reliability, start latency,
 * region preference, providerRef, id.
 */
export function route(req: JobRequest, candidates: readonly Candidate[], weights: ScoringWeights = DEFAULT_WEIGHTS): RouteResult {
  assertWeights(weights);
  const p = prepare(req);
  const wRel = BigInt(weights.reliabilityBps);
  const wLat = BigInt(weights.latencyBpsPerHour);
  const wReg = BigInt(weights.regionBpsPerRank);
  const rows: Row[] = [];
  const excluded: Exclusion[] = [];
  const reasonCache = new ReasonCache();

  // Per-request constants of the cost formula, hoisted out of the loop (same arithmetic as costOf).
  const gpus = BigInt(Math.max(1, Math.floor(req.gpuCount)));
  const duration = BigInt(Math.max(0, Math.floor(req.durationSec)));
  const ppm = BigInt(PPM);

  for (const c of candidates) {
    let pricePerGpuHour = c.pricePerGpuHour;
    if (c.billing === 'per-instance') {
      const perHour = c.pricePerGpuHour * BigInt(Math.max(1, Math.floor(c.gpuCount)));
      pricePerGpuHour = (perHour + gpus - 1n) / gpus;
    }
    const totalCost = (pricePerGpuHour * gpus * duration) / 3600n;
    const regionRank = regionRankOf(p, c.region);
    if (!feasible(p, c, pricePerGpuHour, totalCost, regionRank)) {
      const reasons = failures(p, c, { pricePerGpuHour, totalCost }, regionRank, reasonCache);
      excluded.push({ candidateId: c.id, providerRef: c.providerRef, market: c.market, reasons });
      continue;
    }
    const reliabilityPpm = Math.round(Math.min(1, Math.max(0, c.reliability)) * PPM);
    const latencySec = Math.max(0, Math.round(c.startLatencySec));
    const penalties = {
      reliability: wRel === 0n ? 0n : wRel * BigInt(PPM - reliabilityPpm),
      latency: wLat === 0n ? 0n : (wLat * BigInt(latencySec) * ppm) / 3600n,
      region: wReg === 0n || regionRank === 0 ? 0n : wReg * BigInt(regionRank) * ppm,
    };
    const key = totalCost * (PENALTY_BASE + penalties.reliability + penalties.latency + penalties.region);
    rows.push({
      key,
      ref: c.providerRef.toLowerCase(),
      reliabilityPpm,
      latencySec,
      scored: {
        candidate: c,
        rank: 0,
        pricePerGpuHour,
        totalCost,
        effectiveCost: key / PENALTY_BASE,
        regionRank,
        penalties,
      },
    });
  }

  rows.sort(compareRows);
  const ranked = rows.map((r, i) => {
    r.scored.rank = i + 1;
    return r.scored;
  });
  return { ranked, excluded };
}

/**
 * Per-constraint counts of the exclusions (the answer to "why did nothing fit?"). An offer failing several
 * constraints counts under each of them; `countExcludedOffers` gives the number of offers left out.
 */
export function summariseExclusions(excluded: readonly Exclusion[], examples = 20): ExclusionSummary[] {
  const byConstraint = new Map<ConstraintName, ExclusionSummary>();
  for (const e of excluded) {
    for (const r of e.reasons) {
      let s = byConstraint.get(r.constraint);
      if (!s) {
        s = { constraint: r.constraint, count: 0, candidateIds: [] };
        byConstraint.set(r.constraint, s);
      }
      s.count++;
      if (s.candidateIds.length < examples) s.candidateIds.push(e.candidateId);
    }
  }
  return CONSTRAINT_ORDER.flatMap((c) => {
    const s = byConstraint.get(c);
    return s ? [s] : [];
  });
}

/** Offers left out, each counted once whatever the number of constraints it fails. */
export function countExcludedOffers(excluded: readonly Exclusion[]): number {
  return new Set(excluded.map((e) => e.candidateId)).size;
}

/** Replays a reasoning log: the id the engine chooses from the log's own inputs. */
export function replay(log: { request: JobRequest; candidates: readonly Candidate[]; weights: ScoringWeights }): string | null {
  return route(log.request, log.candidates, log.weights).ranked[0]?.candidate.id ?? null;
}
