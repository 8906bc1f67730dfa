/**
 * Types shared by the keeper's body (chain intake, API, main) and its brain (catalog, engine, agent, log).
 * Money is always USDC with 6 decimals as `bigint`; times are unix seconds unless the name says otherwise.
 * These shapes are a contract with the body: extend with optional fields, never change existing ones.
 */

export type Hex = `0x${string}`;

/** A job to route (from a JobSubmitted event) or a draft job to quote (from the API). */
export interface JobRequest {
  /** null for a quote. */
  jobId: bigint | null;
  buyer: Hex;
  teamId: number;
  /** Any of; [] = any. Compared case-insensitively. */
  gpuModels: string[];
  gpuCount: number;
  /** Per GPU. */
  minVramGb: number;
  /** For the whole job. */
  minVcpu: number;
  /** For the whole job. */
  minRamGb: number;
  /** Allow-list; [] = any. Order is the buyer's preference (used as a tie-breaker). */
  regions: string[];
  /** USDC 6 decimals. */
  maxPricePerGpuHour: bigint;
  durationSec: number;
  allowExternal: boolean;
  /** What is left of the team's spending cap this period (null: no team or no cap). */
  teamRemainingCap: bigint | null;
  /** Escrowed budget (null for a quote without one). */
  budget: bigint | null;
  specHash: Hex;
  trust: {
    auditedOnly: boolean;
    /** providerRefs or market names; [] = any. */
    allowList: string[];
  };
  /** Providers of earlier rounds that were rejected or did not start. */
  excludeProviderRefs: Hex[];
  /** Free text for Gemini. */
  description?: string;
  /**
   * What runs (image, command, env, ports): what an Akash deployment deploys. null: the job's document names no
   * image (never routed to a market that deploys the document's image); absent: not known (a draft that does not
   * say, or a log written before the keeper read it).
   */
  workload?: import('./job-document.js').JobWorkload | null;
}

export type Market = 'onchain' | 'akash' | 'ionet' | 'lambda' | 'aws-spot' | 'vast' | 'runpod' | (string & {});

/** One rentable shape of one provider, normalised across markets. */
export interface Candidate {
  /** Stable within a catalog: `<source>:<externalId or offerId>[:<variant>]`. */
  id: string;
  market: Market;
  /** onchain: bytes32(uint160(provider)); external: keccak256(abi.encode(market, externalId)). Lower-case hex. */
  providerRef: Hex;
  /** On-chain provider address, null for external markets. */
  provider: Hex | null;
  /** On-chain offer id, 0n for external markets. */
  offerId: bigint;
  /** Provider id within its market ('' for on-chain). */
  externalId: string;
  name: string;
  /** Lower-case canonical model name, e.g. `a100`, `h100`, `rtx4090`. */
  gpuModel: string;
  /** GPUs per machine (unit). */
  gpuCount: number;
  /** Per GPU. */
  vramGb: number;
  /** Per machine. */
  vcpu: number;
  /** Per machine. */
  ramGb: number;
  region: string;
  /** USDC 6 decimals per GPU-hour, normalised. */
  pricePerGpuHour: bigint;
  /** 0..1 */
  reliability: number;
  startLatencySec: number;
  audited: boolean;
  /** Machines available now. */
  availableUnits: number;
  /** Catalog source name (`subgraph`, `akash`, `lambda`, …). */
  source: string;
  /** unix s */
  sourceFetchedAt: number;
  /**
   * 'per-gpu' (default): the job pays for the GPUs it asks for. 'per-instance': the machine is rented whole
   * (Lambda, AWS instance types), so the job pays for all `gpuCount` GPUs of it.
   */
  billing?: 'per-gpu' | 'per-instance';
  /**
   * What can start a job on this offer in this deployment: the launcher's name (`provider-agent`,
   * `akash-deployer`, …), or null when the market is quote-only here (never routed to). Absent in logs
   * recorded before markets declared launchers (treated as launchable).
   */
  launcher?: string | null;
  /** Seconds a quote of this source stays fresh (its TTL). */
  maxAgeSec?: number;
  /** Older than `maxAgeSec` at lookup: shown, never picked unless the buyer names it in the trust allow-list. */
  stale?: boolean;
  /** The figures `reliability` was computed from, with their basis (recorded in the reasoning log). */
  reliabilityInputs?: Record<string, number | string | boolean | null>;
}

export interface AgentStep {
  seq: number;
  /** unix ms */
  at: number;
  kind: 'thought' | 'tool_call' | 'tool_result' | 'decision' | 'error';
  title: string;
  detail: unknown;
}

/** Names of the hard constraints, in the order the engine checks them. */
export type ConstraintName =
  | 'external'
  | 'launcher'
  | 'image'
  | 'stale'
  | 'excludedRef'
  | 'auditedOnly'
  | 'allowList'
  | 'gpuModel'
  | 'gpuCount'
  | 'vram'
  | 'vcpu'
  | 'ram'
  | 'region'
  | 'capacity'
  | 'maxPrice'
  | 'budget'
  | 'teamCap';

export interface ExclusionReason {
  constraint: ConstraintName;
  /** Short, human readable: `h100 not in [a100]`, `price 2.100000 > max 1.500000`. */
  detail: string;
}

/** A candidate that failed at least one hard constraint (all failing constraints are listed). */
export interface Exclusion {
  candidateId: string;
  providerRef: Hex;
  market: Market;
  reasons: ExclusionReason[];
}

/** Per-constraint view of the exclusions (what the API shows when nothing fits). */
export interface ExclusionSummary {
  constraint: ConstraintName;
  count: number;
  /** Up to 20 example candidate ids. */
  candidateIds: string[];
}

/**
 * Scoring weights. Score = effective cost = totalCost × (1 + penalties); lower wins.
 * Penalties, in basis points of the total cost:
 *   reliabilityBps × (1 − reliability) + latencyBpsPerHour × startLatency/1h + regionBpsPerRank × regionRank.
 * All zero = cost only (cheapest feasible wins). Ties: totalCost, reliability, latency, regionRank, providerRef, id.
 */
export interface ScoringWeights {
  reliabilityBps: number;
  latencyBpsPerHour: number;
  regionBpsPerRank: number;
}

export interface ScoredCandidate {
  candidate: Candidate;
  /** 1-based. */
  rank: number;
  /** USDC 6-dec per requested GPU-hour that would be committed (per-instance billing spreads the whole machine). */
  pricePerGpuHour: bigint;
  /** USDC 6-dec for the whole duration: pricePerGpuHour × gpuCount × durationSec / 3600. */
  totalCost: bigint;
  /** USDC 6-dec; totalCost with the weighted penalties; the ranking key. */
  effectiveCost: bigint;
  /** Position of the candidate's region in the request's allow-list (0 when the list is empty). */
  regionRank: number;
  /** Penalty parts in units of 1e-10 of the total cost, for the log and the UI. */
  penalties: { reliability: bigint; latency: bigint; region: bigint };
}

/** State of one catalog source at the time of a lookup. */
export interface SourceStatus {
  source: string;
  market: Market;
  /** 'live' when the last refresh succeeded, 'snapshot' when serving the recorded snapshot. */
  origin: 'live' | 'snapshot';
  /** unix s the data was produced (snapshot: its recorded time). */
  fetchedAt: number;
  /** now − fetchedAt, seconds; -1 when the source has no data yet (live-only source never reached). */
  ageSec: number;
  candidateCount: number;
  /** The source's TTL, seconds, and whether its data is older than that. */
  maxAgeSec?: number;
  stale?: boolean;
  /** The market's launcher in this deployment, null = quote only. */
  launcher?: string | null;
  /** Last refresh error, if any (no secrets). */
  error?: string;
}

export interface CatalogView {
  /** unix s */
  at: number;
  candidates: Candidate[];
  sources: SourceStatus[];
}

export interface Catalog {
  /** Current candidates of every source; triggers a live refresh of stale sources when `live` (never waits longer than the timeout). */
  lookup(): Promise<CatalogView>;
  /** Status of each source without refreshing. */
  sources(): SourceStatus[];
}

export interface LogStore {
  readonly kind: 'local' | '0g';
  /** Stores the bytes; returns their 0G Merkle root. */
  put(bytes: Uint8Array): Promise<{ root: Hex }>;
  /** The bytes whose 0G root is `root`, verified; null when unknown. */
  get(root: Hex): Promise<Uint8Array | null>;
}

export interface ModelInfo {
  kind: 'local' | 'gemini';
  name: string;
}

/** What the agent proposed and what the keeper accepted. */
export interface AgentVerdict {
  /** Candidate id the model picked (null when it picked none). */
  proposedId: string | null;
  /** Candidate id finally chosen (always the engine's when the proposal was overridden). */
  acceptedId: string | null;
  overridden: boolean;
  /** Why the proposal was overridden (infeasible, not top-ranked, unknown id, no pick). */
  overrideReason: string | null;
  /** The model's own explanation (free text). */
  explanation: string;
}

/** The reasoning log, in memory (bigints). Canonical JSON of it is what gets stored and hashed. */
export interface ReasoningLog {
  schema: 'necto.reasoning-log/1';
  /** `job:<jobId>` or `quote:<specHash>`. */
  jobKey: string;
  /** unix s */
  createdAt: number;
  versions: { keeper: string; engine: string };
  model: ModelInfo;
  request: JobRequest;
  sources: SourceStatus[];
  /** Every candidate the engine saw, in catalog order. */
  candidates: Candidate[];
  constraints: ConstraintName[];
  weights: ScoringWeights;
  exclusions: Exclusion[];
  /** Feasible candidates, best first (candidate referenced by id). */
  ranked: Array<Omit<ScoredCandidate, 'candidate'> & { candidateId: string }>;
  choice: {
    candidateId: string;
    providerRef: Hex;
    market: Market;
    externalId: string;
    offerId: bigint;
    pricePerGpuHour: bigint;
    totalCost: bigint;
  } | null;
  agent: AgentVerdict;
  /** `pricing`: how the USD ceiling became the SDL's per-block price, and the rate's source. */
  sdl: { yaml: string; hash: Hex; pricing?: AkashPricingRecord } | null;
  steps: AgentStep[];
}

export interface Decision {
  request: JobRequest;
  chosen: Candidate | null;
  ranked: ScoredCandidate[];
  excluded: Exclusion[];
  log: ReasoningLog;
  /** Canonical JSON. */
  logBytes: Uint8Array;
  /** 0G Merkle root. */
  logRoot: Hex;
  /** keccak256(logBytes). */
  decisionHash: Hex;
  sdl: string | null;
  /** 0x00…0 when not Akash. */
  sdlHash: Hex;
  steps: AgentStep[];
  /** pricePerGpuHour to commit (= ranked[0].pricePerGpuHour of the chosen one), null when nothing fits. */
  pricePerGpuHour?: bigint | null;
}

export interface QuoteRow {
  rank: number;
  candidateId: string;
  market: Market;
  providerRef: Hex;
  name: string;
  gpuModel: string;
  gpuCount: number;
  vramGb: number;
  region: string;
  pricePerGpuHour: bigint;
  totalCost: bigint;
  effectiveCost: bigint;
  reliability: number;
  startLatencySec: number;
  audited: boolean;
  source: string;
  /** Age of this row's source, seconds. */
  sourceAgeSec: number;
  /** What is rented: `gpuCount` GPUs per machine, billed per GPU or for the whole machine. */
  billing: 'per-gpu' | 'per-instance';
  /** GPUs paid for (the whole machine when billed per instance) and GPUs the job uses. */
  rentedGpus: number;
  usedGpus: number;
  /** Older than its source's TTL. */
  stale: boolean;
  /** The launcher that would start the job, null when the market is quote-only here. */
  launcher: string | null;
  /** Why this row cannot be picked (quote only, stale), absent when routable. */
  notRoutable?: string;
}

/** Price comparison for a draft job (deterministic engine only; no log stored, no agent). */
export interface Quote {
  request: JobRequest;
  /** unix s */
  at: number;
  best: QuoteRow | null;
  /** Feasible rows, best first (at most 50). */
  rows: QuoteRow[];
  /** Offers that fit the job but cannot be picked (quote only, stale), cheapest first (at most 50). */
  unroutable: QuoteRow[];
  feasibleCount: number;
  excludedCount: number;
  /** Why candidates were excluded, per constraint (always present; the answer when `best` is null). */
  exclusions: ExclusionSummary[];
  /** Every source with its age. */
  sources: SourceStatus[];
  weights: ScoringWeights;
  engineVersion: string;
}

export const ZERO_BYTES32: Hex = '0x0000000000000000000000000000000000000000000000000000000000000000';

/** Key under which steps are streamed: `job:<jobId>` or `quote:<specHash>`. */
export function jobKeyOf(req: Pick<JobRequest, 'jobId' | 'specHash'>): string {
  return req.jobId === null ? `quote:${req.specHash}` : `job:${req.jobId.toString()}`;
}

/** How a buyer's USD ceiling became an Akash SDL's per-block price (kept in the reasoning log with the SDL). */
export interface AkashPricingRecord {
  denom: 'uact' | 'uakt';
  /** Highest price per block in the denom's base unit (6 decimals), as the SDL carries it. */
  amountPerBlock: string;
  /** The ceiling it comes from: USD (6 decimals) per hour for the whole deployment. */
  maxUsdMicrosPerHour: string;
  blockMs: number;
  /** USD per whole token of the denom. */
  usdPerToken: number;
  /** Where the rate came from. */
  source: string;
}
