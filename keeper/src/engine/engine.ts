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
function namedByBuyer(p: PreparedRequest, c: Candidate, refLower: string): boolean {
  return (
    p.allowList.size > 0 &&
    (p.allowList.has(refLower) ||
      p.allowList.has(c.market.toLowerCase()) ||
      (c.provider !== null && p.allowList.has(c.provider.toLowerCase())))
  );
}

/**
 * Same rules as `failures` but the budget and team cap (checked by the caller, which only computes the total when
 * one is set), as one allocation-free test (the hot path: most candidates in a big catalog).
 */
function feasibleBeforeTotal(p: PreparedRequest, c: Candidate, refLower: string, pricePerGpuHour: bigint, regionRank: number): boolean {
  const { req } = p;
  return (
    (req.allowExternal || c.market === 'onchain') &&
    c.launcher !== null &&
    !lacksImage(req, c) &&
    (c.stale !== true || namedByBuyer(p, c, refLower)) &&
    !(p.excluded.size > 0 && p.excluded.has(refLower)) &&
    (!req.trust.auditedOnly || c.audited) &&
    (p.allowList.size === 0 || namedByBuyer(p, c, refLower)) &&
    (p.models.size === 0 || p.models.has(c.gpuModel)) &&
    c.gpuCount >= req.gpuCount &&
    c.vramGb >= req.minVramGb &&
    c.vcpu >= req.minVcpu &&
    c.ramGb >= req.minRamGb &&
    regionRank >= 0 &&
    c.availableUnits >= 1 &&
    pricePerGpuHour <= req.maxPricePerGpuHour
  );
}

/**
 * Reasons are immutable and shared: a catalog of thousands of candidates mostly fails for the same few
 * reasons, and building one object and string per candidate dominated routing time (garbage collection).
 * The reasons that depend only on the offer (its market, source and TTL) are shared by every route; the others
 * are cached per route (their details name the request's limits).
 */
class ReasonCache {
  private readonly byKey = new Map<ConstraintName, Map<string | number | bigint, ExclusionReason>>();

  /** The cached reason, or undefined (then `put` it): no closure is allocated on the hot path. */
  get(constraint: ConstraintName, key: string | number | bigint): ExclusionReason | undefined {
    return this.byKey.get(constraint)?.get(key);
  }

  put(constraint: ConstraintName, key: string | number | bigint, detail: string): ExclusionReason {
    let m = this.byKey.get(constraint);
    if (!m) {
      m = new Map();
      this.byKey.set(constraint, m);
    }
    const r: ExclusionReason = Object.freeze({ constraint, detail });
    m.set(key, r);
    return r;
  }
}

const OFFER_REASONS = new ReasonCache();

/**
 * One frozen reasons list per distinct combination within a route: thousands of excluded offers share a handful
 * of combinations (`[launcher]`, `[launcher, gpuModel]`, …), so each gets a shared list instead of its own array.
 */
class ReasonLists {
  private readonly root: ReasonNode = { next: new Map(), list: undefined };

  intern(reasons: readonly ExclusionReason[]): ExclusionReason[] {
    let node = this.root;
    for (const r of reasons) {
      let child = node.next.get(r);
      if (!child) {
        child = { next: new Map(), list: undefined };
        node.next.set(r, child);
      }
      node = child;
    }
    node.list ??= Object.freeze(reasons.slice()) as ExclusionReason[];
    return node.list;
  }
}

interface ReasonNode {
  next: Map<ExclusionReason, ReasonNode>;
  list: ExclusionReason[] | undefined;
}

function externalReason(market: string): ExclusionReason {
  return OFFER_REASONS.get('external', market) ?? OFFER_REASONS.put('external', market, `${W.external} for this job (${market})`);
}

function launcherReason(market: string): ExclusionReason {
  return OFFER_REASONS.get('launcher', market) ?? OFFER_REASONS.put('launcher', market, `${W.launcher} for ${market} (quote only)`);
}

function imageReason(market: string): ExclusionReason {
  return OFFER_REASONS.get('image', market) ?? OFFER_REASONS.put('image', market, `${W.image}: the job document names none, and ${market} runs only the document's image`);
}

function staleReason(source: string, maxAgeSec: number): ExclusionReason {
  const key = `${source}\u0000${maxAgeSec}`;
  return OFFER_REASONS.get('stale', key) ?? OFFER_REASONS.put('stale', key, `${W.stale}: ${source} data older than its ${maxAgeSec} s TTL`);
}

const EXCLUDED_REF_REASON: ExclusionReason = Object.freeze({ constraint: 'excludedRef', detail: W.excludedRef });
const AUDITED_ONLY_REASON: ExclusionReason = Object.freeze({ constraint: 'auditedOnly', detail: W.auditedOnly });
const ALLOW_LIST_REASON: ExclusionReason = Object.freeze({ constraint: 'allowList', detail: W.allowList });
const CAPACITY_REASON: ExclusionReason = Object.freeze({ constraint: 'capacity', detail: `${W.capacity}: no machine available now` });

/** Every hard constraint the candidate fails, in CONSTRAINT_ORDER; [] when feasible. */
function failures(
  p: PreparedRequest,
  c: Candidate,
  cost: CostQuote,
  regionRank: number,
  cache = new ReasonCache(),
  refLower = c.providerRef.toLowerCase(),
  out: ExclusionReason[] = [],
): ExclusionReason[] {
  const { req } = p;
  if (!req.allowExternal && c.market !== 'onchain') out.push(externalReason(c.market));
  if (c.launcher === null) out.push(launcherReason(c.market));
  if (lacksImage(req, c)) out.push(imageReason(c.market));
  if (c.stale === true && !namedByBuyer(p, c, refLower)) out.push(staleReason(c.source, c.maxAgeSec ?? 0));
  if (p.excluded.size > 0 && p.excluded.has(refLower)) out.push(EXCLUDED_REF_REASON);
  if (req.trust.auditedOnly && !c.audited) out.push(AUDITED_ONLY_REASON);
  if (p.allowList.size > 0 && !namedByBuyer(p, c, refLower)) out.push(ALLOW_LIST_REASON);
  if (p.models.size > 0 && !p.models.has(c.gpuModel)) {
    out.push(cache.get('gpuModel', c.gpuModel) ?? cache.put('gpuModel', c.gpuModel, `${W.gpuModel} (${c.gpuModel}, wanted ${p.modelsText})`));
  }
  if (c.gpuCount < req.gpuCount) {
    out.push(cache.get('gpuCount', c.gpuCount) ?? cache.put('gpuCount', c.gpuCount, `${W.gpuCount} (${c.gpuCount} < ${req.gpuCount})`));
  }
  if (c.vramGb < req.minVramGb) {
    out.push(cache.get('vram', c.vramGb) ?? cache.put('vram', c.vramGb, `${W.vram} (${c.vramGb} GB < ${req.minVramGb} GB)`));
  }
  if (c.vcpu < req.minVcpu) {
    out.push(cache.get('vcpu', c.vcpu) ?? cache.put('vcpu', c.vcpu, `${W.vcpu} (${c.vcpu} < ${req.minVcpu})`));
  }
  if (c.ramGb < req.minRamGb) {
    out.push(cache.get('ram', c.ramGb) ?? cache.put('ram', c.ramGb, `${W.ram} (${c.ramGb} GB < ${req.minRamGb} GB)`));
  }
  if (regionRank < 0) {
    out.push(cache.get('region', c.region) ?? cache.put('region', c.region, `${W.region} (${c.region}, wanted ${p.regionsText})`));
  }
  if (c.availableUnits < 1) out.push(CAPACITY_REASON);
  if (cost.pricePerGpuHour > req.maxPricePerGpuHour) {
    out.push(
      cache.get('maxPrice', cost.pricePerGpuHour) ??
        cache.put('maxPrice', cost.pricePerGpuHour, `${W.maxPrice} (${formatUsdc(cost.pricePerGpuHour)} > ${p.maxPriceText} USDC per GPU-hour)`),
    );
  }
  if (req.budget !== null && cost.totalCost > req.budget) {
    out.push(
      cache.get('budget', cost.totalCost) ??
        cache.put('budget', cost.totalCost, `${W.budget} (${formatUsdc(cost.totalCost)} > ${formatUsdc(req.budget)} USDC)`),
    );
  }
  if (req.teamRemainingCap !== null && cost.totalCost > req.teamRemainingCap) {
    out.push(
      cache.get('teamCap', cost.totalCost) ??
        cache.put('teamCap', cost.totalCost, `${W.teamCap} (${formatUsdc(cost.totalCost)} > ${formatUsdc(req.teamRemainingCap)} USDC)`),
    );
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
 * What the engine derives from an offer alone, computed once per catalog version (the candidates array a catalog
 * lookup returns; the catalog re-creates an offer when its data changes) and checked against the offer's own
 * fields before use, so an offer changed in place is derived again: the lower-case providerRef, the machine's
 * hourly price, the reliability and latency figures and their weighted penalties (for the last weights seen), and
 * the price per requested GPU for each GPU count asked.
 */
interface OfferFacts {
  candidate: Candidate;
  providerRef: string;
  price: bigint;
  gpuCount: number;
  perInstance: boolean;
  reliability: number;
  startLatencySec: number;
  refLower: string;
  /** Price of the whole machine per hour (per-instance billing). */
  machinePerHour: bigint;
  /** pricePerGpuHour by requested GPU count (per-instance billing spreads the machine, rounding up). */
  priceByGpus: Map<number, bigint>;
  reliabilityPpm: number;
  latencySec: number;
  relDeficit: bigint;
  latencyPpm: bigint;
  /** Penalties for weights (wRel, wLat); -1 = none computed yet. */
  wRel: number;
  wLat: number;
  relPenalty: bigint;
  latPenalty: bigint;
  /** PENALTY_BASE + relPenalty + latPenalty. */
  basePlus: bigint;
}

/** Per catalog version (candidates array), the facts of each offer by index. */
const FACTS = new WeakMap<readonly Candidate[], Array<OfferFacts | undefined>>();

function factsOf(c: Candidate): OfferFacts {
  const perInstance = c.billing === 'per-instance';
  const reliabilityPpm = Math.round(Math.min(1, Math.max(0, c.reliability)) * PPM);
  const latencySec = Math.max(0, Math.round(c.startLatencySec));
  return {
    candidate: c,
    providerRef: c.providerRef,
    price: c.pricePerGpuHour,
    gpuCount: c.gpuCount,
    perInstance,
    reliability: c.reliability,
    startLatencySec: c.startLatencySec,
    refLower: c.providerRef.toLowerCase(),
    machinePerHour: perInstance ? c.pricePerGpuHour * BigInt(Math.max(1, Math.floor(c.gpuCount))) : c.pricePerGpuHour,
    priceByGpus: new Map(),
    reliabilityPpm,
    latencySec,
    relDeficit: BigInt(PPM - reliabilityPpm),
    latencyPpm: BigInt(latencySec) * BigInt(PPM),
    wRel: -1,
    wLat: -1,
    relPenalty: 0n,
    latPenalty: 0n,
    basePlus: PENALTY_BASE,
  };
}

/** The offer's facts at `i` of this catalog version, derived again when the offer is not the one they were made of. */
function cachedFacts(facts: Array<OfferFacts | undefined>, i: number, c: Candidate): OfferFacts {
  const f = facts[i];
  if (
    f !== undefined &&
    f.candidate === c &&
    f.providerRef === c.providerRef &&
    f.price === c.pricePerGpuHour &&
    f.gpuCount === c.gpuCount &&
    f.perInstance === (c.billing === 'per-instance') &&
    f.reliability === c.reliability &&
    f.startLatencySec === c.startLatencySec
  ) {
    return f;
  }
  const fresh = factsOf(c);
  facts[i] = fresh;
  return fresh;
}

/** costOf's pricePerGpuHour, memoised per offer and requested GPU count. */
function priceFor(f: OfferFacts, gpusNum: number, gpus: bigint): bigint {
  if (!f.perInstance) return f.price;
  const hit = f.priceByGpus.get(gpusNum);
  if (hit !== undefined) return hit;
  const price = (f.machinePerHour + gpus - 1n) / gpus;
  f.priceByGpus.set(gpusNum, price);
  return price;
}

/** The offer's weighted reliability and latency penalties (bps × ppm), memoised for the last weights seen. */
function penaltiesFor(f: OfferFacts, wRelNum: number, wLatNum: number, wRel: bigint, wLat: bigint): void {
  if (f.wRel === wRelNum && f.wLat === wLatNum) return;
  f.relPenalty = wRel === 0n ? 0n : wRel * f.relDeficit;
  f.latPenalty = wLat === 0n ? 0n : (wLat * f.latencyPpm) / 3600n;
  f.basePlus = PENALTY_BASE + f.relPenalty + f.latPenalty;
  f.wRel = wRelNum;
  f.wLat = wLatNum;
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
  const reasonLists = new ReasonLists();
  const scratch: ExclusionReason[] = [];

  // Per-request constants of the cost formula, hoisted out of the loop (same arithmetic as costOf).
  const gpusNum = Math.max(1, Math.floor(req.gpuCount));
  const gpus = BigInt(gpusNum);
  const gpusTimesDuration = gpus * BigInt(Math.max(0, Math.floor(req.durationSec)));
  const ppm = BigInt(PPM);
  // Region penalty per preference rank, and each distinct region's rank (a catalog has few distinct regions).
  const regionPenalty = p.regions.map((_, rank) => (wReg === 0n || rank === 0 ? 0n : wReg * BigInt(rank) * ppm));
  const rankByRegion = new Map<string, number>();
  const capped = req.budget !== null || req.teamRemainingCap !== null;

  let facts = FACTS.get(candidates);
  if (facts === undefined) {
    facts = new Array<OfferFacts | undefined>(candidates.length);
    FACTS.set(candidates, facts);
  }

  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    const f = cachedFacts(facts, i, c);
    const pricePerGpuHour = priceFor(f, gpusNum, gpus);
    let regionRank = rankByRegion.get(c.region);
    if (regionRank === undefined) {
      regionRank = regionRankOf(p, c.region);
      rankByRegion.set(c.region, regionRank);
    }
    // The total is only needed here when a budget or team cap bounds it (most offers are excluded before).
    let totalCost = capped ? (pricePerGpuHour * gpusTimesDuration) / 3600n : -1n;
    if (
      !feasibleBeforeTotal(p, c, f.refLower, pricePerGpuHour, regionRank) ||
      (req.budget !== null && totalCost > req.budget) ||
      (req.teamRemainingCap !== null && totalCost > req.teamRemainingCap)
    ) {
      // failures() reads totalCost only for a set budget or cap, i.e. when it was computed above.
      scratch.length = 0;
      failures(p, c, { pricePerGpuHour, totalCost }, regionRank, reasonCache, f.refLower, scratch);
      excluded.push({ candidateId: c.id, providerRef: c.providerRef, market: c.market, reasons: reasonLists.intern(scratch) });
      continue;
    }
    if (!capped) totalCost = (pricePerGpuHour * gpusTimesDuration) / 3600n;
    penaltiesFor(f, weights.reliabilityBps, weights.latencyBpsPerHour, wRel, wLat);
    const region = regionPenalty[regionRank] ?? 0n;
    const key = totalCost * (region === 0n ? f.basePlus : f.basePlus + region);
    rows.push({
      key,
      ref: f.refLower,
      reliabilityPpm: f.reliabilityPpm,
      latencySec: f.latencySec,
      scored: {
        candidate: c,
        rank: 0,
        pricePerGpuHour,
        totalCost,
        effectiveCost: key / PENALTY_BASE,
        regionRank,
        penalties: { reliability: f.relPenalty, latency: f.latPenalty, region },
      },
    });
  }

  rows.sort(compareRows);
  const ranked: ScoredCandidate[] = new Array<ScoredCandidate>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const scored = rows[i]!.scored;
    scored.rank = i + 1;
    ranked[i] = scored;
  }
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
