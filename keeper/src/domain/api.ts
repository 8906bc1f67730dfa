// The HTTP API's wire contract: request schemas (zod at the boundary) and the response types. Request amounts
// are USDC base units (6 decimals) given as a decimal string or a safe integer, so 1.5 USDC per GPU-hour is
// "1500000"; responses carry them as decimal strings.
import { keccak256, stringToHex } from 'viem';
import { z } from 'zod';
import { addressSchema, bytes32Schema, constraintSchema, hexSchema, jobRequestSchema, sourceStatusSchema, stepSchema, uintSchema, weightsSchema } from './schema.js';
import { imageRefSchema } from './job-document.js';
import type { AgentStep, Decision, Hex, JobRequest, Quote, QuoteRow } from './types.js';

export const usdcAmount = z
  .union([z.string().regex(/^\d{1,30}$/, 'expected an integer amount of USDC base units (6 decimals)'), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)])
  .transform((v) => BigInt(v));

export const hex32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'expected 0x followed by 64 hex digits')
  .transform((s) => s.toLowerCase() as Hex);

export const jobIdParam = z.object({
  id: z
    .string()
    .regex(/^\d{1,78}$/, 'job id must be a positive integer')
    .transform((s) => BigInt(s))
    .refine((n) => n > 0n && n < 2n ** 256n, 'job id must be between 1 and 2^256-1'),
});

export const rootParam = z.object({ root: hex32 });

const name = z.string().trim().min(1).max(64);

/** A draft job to quote: the fields of a JobSpec plus optional context. */
export const quoteBodySchema = z
  .object({
    gpuModels: z.array(name).max(32).default([]),
    gpuCount: z.number().int().min(1).max(1024),
    minVramGb: z.number().int().min(0).max(65_535).default(0),
    minVcpu: z.number().int().min(0).max(65_535).default(0),
    minRamGb: z.number().int().min(0).max(4_294_967_295).default(0),
    regions: z.array(name).max(64).default([]),
    maxPricePerGpuHour: usdcAmount.refine((v) => v > 0n && v < 2n ** 48n, 'must be > 0 and fit uint48'),
    durationSec: z.number().int().min(60).max(4_294_967_295),
    allowExternal: z.boolean().default(true),
    teamId: z.number().int().min(0).max(4_294_967_295).default(0),
    buyer: z.string().regex(/^0x[0-9a-fA-F]{40}$/).optional(),
    budget: usdcAmount.optional(),
    trust: z
      .object({ auditedOnly: z.boolean().default(false), allowList: z.array(z.string().min(1).max(80)).max(64).default([]) })
      .default({ auditedOnly: false, allowList: [] }),
    description: z.string().max(4_000).optional(),
    /** The container image the job will run; null: its document names none (no Akash); absent: not said. */
    image: imageRefSchema.nullable().optional(),
  })
  .strict();

export type QuoteBody = z.output<typeof quoteBodySchema>;

export function quoteRequest(body: QuoteBody): JobRequest {
  const base = {
    jobId: null,
    buyer: (body.buyer ?? '0x0000000000000000000000000000000000000000').toLowerCase() as Hex,
    teamId: body.teamId,
    gpuModels: body.gpuModels,
    gpuCount: body.gpuCount,
    minVramGb: body.minVramGb,
    minVcpu: body.minVcpu,
    minRamGb: body.minRamGb,
    regions: body.regions,
    maxPricePerGpuHour: body.maxPricePerGpuHour,
    durationSec: body.durationSec,
    allowExternal: body.allowExternal,
    teamRemainingCap: null,
    budget: body.budget ?? null,
    trust: body.trust,
    excludeProviderRefs: [] as Hex[],
    ...(body.description ? { description: body.description } : {}),
    ...(body.image !== undefined ? { workload: body.image === null ? null : { image: body.image } } : {}),
  };
  // A draft has no on-chain spec hash; hash the draft itself so equal drafts share a key.
  const specHash = keccak256(stringToHex(JSON.stringify(base, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))));
  return { ...base, specHash };
}

/** The untracked-job spec hand-off: the document itself (hashed as canonical JSON) or its exact text. */
export const specBodySchema = z.union([
  z.object({ document: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ raw: z.string().min(2).max(256 * 1024) }).strict(),
]);

export const stepsQuerySchema = z.object({
  round: z.coerce.number().int().min(1).max(255).optional(),
});

const decimal = z.string().regex(/^\d+$/, 'expected a decimal integer');

/** A routing decision as the API shows it (JSON-safe: amounts are decimal strings of USDC base units). */
export const decisionViewSchema = z.object({
  jobId: decimal,
  round: z.number().int(),
  /**
   * committed: the route is on-chain; already_routed: another commit for this round won (nothing sent);
   * no_candidate: nothing satisfies the constraints; failed: the commit failed (see error).
   */
  status: z.enum(['committed', 'already_routed', 'no_candidate', 'failed']),
  chosen: z
    .object({
      candidateId: z.string(),
      market: z.string(),
      providerRef: bytes32Schema,
      provider: addressSchema.nullable(),
      offerId: decimal,
      externalId: z.string(),
      name: z.string(),
      gpuModel: z.string(),
      region: z.string(),
      pricePerGpuHour: decimal,
    })
    .nullable(),
  totalCost: decimal.nullable(),
  alternatives: z.array(
    z.object({ rank: z.number().int(), candidateId: z.string(), market: z.string(), name: z.string(), pricePerGpuHour: decimal, totalCost: decimal }),
  ),
  logRoot: bytes32Schema,
  decisionHash: bytes32Schema,
  sdlHash: bytes32Schema,
  hasSdl: z.boolean(),
  model: z.object({ kind: z.string(), name: z.string() }).nullable(),
  explanation: z.string().nullable(),
  tx: z.object({ hash: bytes32Schema, blockNumber: decimal }).nullable(),
  error: z.string().nullable(),
  /** unix ms */
  decidedAt: z.number(),
  /** Where this view came from: the keeper's memory, or rebuilt from the on-chain commit and the stored log. */
  source: z.enum(['memory', 'log']),
});
export type DecisionView = z.infer<typeof decisionViewSchema>;

/** One row of a quote, parsed from its JSON (amounts as decimal strings) back to bigints. */
export const quoteRowSchema = z.object({
  rank: z.number().int(),
  candidateId: z.string(),
  market: z.string(),
  providerRef: hexSchema,
  name: z.string(),
  gpuModel: z.string(),
  gpuCount: z.number(),
  vramGb: z.number(),
  region: z.string(),
  pricePerGpuHour: uintSchema,
  totalCost: uintSchema,
  effectiveCost: uintSchema,
  reliability: z.number(),
  startLatencySec: z.number(),
  audited: z.boolean(),
  source: z.string(),
  sourceAgeSec: z.number(),
  billing: z.enum(['per-gpu', 'per-instance']),
  rentedGpus: z.number().int().nonnegative(),
  usedGpus: z.number().int().nonnegative(),
  stale: z.boolean(),
  launcher: z.string().nullable(),
  notRoutable: z.string().optional(),
}) satisfies z.ZodType<QuoteRow, unknown>;

/** `POST /quote`'s answer, parsed from its JSON back to the keeper's Quote. */
export const quoteSchema = z.object({
  request: jobRequestSchema,
  at: z.number(),
  best: quoteRowSchema.nullable(),
  rows: z.array(quoteRowSchema),
  unroutable: z.array(quoteRowSchema),
  feasibleCount: z.number(),
  excludedCount: z.number(),
  exclusions: z.array(z.object({ constraint: constraintSchema, count: z.number(), candidateIds: z.array(z.string()) })),
  sources: z.array(sourceStatusSchema),
  weights: weightsSchema,
  engineVersion: z.string(),
}) satisfies z.ZodType<Quote, unknown>;

/** A `step` event of `GET /jobs/:id/steps`: the agent step with its round. */
export const stepEventSchema = stepSchema.extend({ round: z.number().int() });
export type StepEvent = z.infer<typeof stepEventSchema>;

/** Every error answer: `{ error: { code, message, issues? } }`. */
export const apiErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

/** What a step stream carries. */
export type ActivityEvent =
  | { type: 'step'; round: number; step: AgentStep }
  | { type: 'decision'; round: number; decision: DecisionView };

export type SpecOutcome =
  | { status: 'accepted'; jobId: string; routing: 'scheduled' | 'already_routed' }
  | { status: 'unknown_job' }
  | { status: 'tracked' }
  | { status: 'hash_mismatch'; expected: Hex; actual: Hex }
  | { status: 'invalid_document'; issues: Array<{ path: string; message: string }> };

export type VerifyOutcome = {
  root: Hex;
  /** Recomputed from the stored bytes. */
  computed: { logRoot: Hex; decisionHash: Hex };
  /** The RouteCommitted that carries this root (null: no commit names it). */
  onchain: { jobId: string; round: number; logRoot: Hex; decisionHash: Hex; txHash: Hex; blockNumber: string; source: 'chain' | 'subgraph' } | null;
  matches: { logRoot: boolean; decisionHash: boolean };
  verified: boolean;
};

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  chain: { ok: boolean; chainId: number; headBlock: string | null; latencyMs: number | null; error?: string };
  subgraph: { ok: boolean; url: string; block: string | null; lagBlocks: number | null; error?: string };
  intake: { running: boolean; cursorBlock: string | null; lagBlocks: number | null; pendingJobs: number; lastError?: string };
  txQueue: { pending: number };
  uptimeSec: number;
}

export type RerouteOutcome =
  | { status: 'started'; jobId: string; round: number }
  | { status: 'not_eligible'; jobId: string; reason: string }
  | { status: 'unknown_job' };

/** The API's view of a decision. */
export function decisionView(input: {
  jobId: bigint;
  round: number;
  status: DecisionView['status'];
  decision: Decision | null;
  logRoot?: Hex;
  decisionHash?: Hex;
  sdlHash?: Hex;
  tx?: { hash: Hex; blockNumber: bigint } | null;
  error?: string | null;
  decidedAt: number;
  source?: DecisionView['source'];
}): DecisionView {
  const d = input.decision;
  const chosen = d?.chosen ?? null;
  const scored = d?.ranked.find((r) => r.candidate.id === chosen?.id) ?? d?.ranked[0];
  const zero = ('0x' + '0'.repeat(64)) as Hex;
  return {
    jobId: input.jobId.toString(),
    round: input.round,
    status: input.status,
    chosen: chosen
      ? {
          candidateId: chosen.id,
          market: chosen.market,
          providerRef: chosen.providerRef,
          provider: chosen.provider,
          offerId: chosen.offerId.toString(),
          externalId: chosen.externalId,
          name: chosen.name,
          gpuModel: chosen.gpuModel,
          region: chosen.region,
          pricePerGpuHour: (d?.pricePerGpuHour ?? scored?.pricePerGpuHour ?? chosen.pricePerGpuHour).toString(),
        }
      : null,
    totalCost: chosen && scored ? scored.totalCost.toString() : null,
    alternatives: (d?.ranked ?? []).slice(0, 6).map((r) => ({
      rank: r.rank,
      candidateId: r.candidate.id,
      market: r.candidate.market,
      name: r.candidate.name,
      pricePerGpuHour: r.pricePerGpuHour.toString(),
      totalCost: r.totalCost.toString(),
    })),
    logRoot: input.logRoot ?? d?.logRoot ?? zero,
    decisionHash: input.decisionHash ?? d?.decisionHash ?? zero,
    sdlHash: input.sdlHash ?? d?.sdlHash ?? zero,
    hasSdl: Boolean(d?.sdl),
    model: d ? { kind: d.log.model.kind, name: d.log.model.name } : null,
    explanation: d?.log.agent.explanation ?? null,
    tx: input.tx ? { hash: input.tx.hash, blockNumber: input.tx.blockNumber.toString() } : null,
    error: input.error ?? null,
    decidedAt: input.decidedAt,
    source: input.source ?? 'memory',
  };
}

/** GET /jobs/:id/akash — the Akash deployment of the job's latest Akash round (managed wallet). */
export const akashDeploymentViewSchema = z.object({
  jobId: z.string(),
  round: z.number().int(),
  state: z.enum(['created', 'bidding', 'leased', 'manifest-sent', 'running', 'closed']),
  /** `akash-standin`: the local Akash stand-in, not the Akash network. */
  network: z.enum(['akash', 'akash-standin']),
  label: z.string(),
  owner: z.string(),
  dseq: z.string(),
  provider: z.string(),
  lease: z.object({ gseq: z.number().int(), oseq: z.number().int(), provider: z.string(), price: z.object({ denom: z.string(), amount: z.string() }) }).nullable(),
  startedAt: z.number().nullable(),
  end: z.object({ reason: z.string(), at: z.number(), detail: z.string() }).nullable(),
  logRoot: z.string().nullable(),
  resultRoot: z.string().nullable(),
  lastError: z.string().nullable(),
  /** The job's earlier Akash rounds, newest first: each deployment's state and how it ended (e.g. no bid). */
  earlier: z
    .array(z.object({ round: z.number().int(), dseq: z.string(), provider: z.string(), state: z.enum(['created', 'bidding', 'leased', 'manifest-sent', 'running', 'closed']), end: z.object({ reason: z.string(), at: z.number(), detail: z.string() }).nullable() }))
    .default([]),
});
export type AkashDeploymentView = z.output<typeof akashDeploymentViewSchema>;

const coinView = z.object({ denom: z.string(), amount: z.string() });
const bidIdView = z.object({ owner: z.string(), dseq: z.string(), gseq: z.number().int(), oseq: z.number().int(), provider: z.string(), bseq: z.number().int() });

/** GET /jobs/:id/akash/self-sign — an Akash round the buyer signs with their own wallet (Keplr). */
export const akashSelfSignViewSchema = z.object({
  jobId: z.string(),
  round: z.number().int(),
  /** The buyer's Akash address: grantee and deployment owner. */
  owner: z.string(),
  /** The operator's Akash address: deposit granter and fee granter. */
  granter: z.string(),
  chainId: z.string(),
  /** The Akash node's REST API the browser broadcasts to. */
  nodeUrl: z.string(),
  /** `akash-standin`: the local Akash stand-in, not the Akash network. */
  network: z.enum(['akash', 'akash-standin']),
  provider: z.string(),
  sdlHash: z.string(),
  /** What the buyer's MsgCreateDeployment deposits (source grant). */
  deposit: coinView,
  feeAllowance: coinView,
  grantExpiresAt: z.number(),
  grantTx: z.string(),
  deployment: z
    .object({
      dseq: z.string(),
      state: z.enum(['created', 'bidding', 'leased', 'manifest-sent', 'running', 'closed']),
      lease: bidIdView.extend({ price: coinView }).nullable(),
      end: z.object({ reason: z.string(), at: z.number(), detail: z.string() }).nullable(),
    })
    .nullable(),
});
export type AkashSelfSignView = z.output<typeof akashSelfSignViewSchema>;

/** GET /jobs/:id/akash/self-sign/bids */
export const akashBidsViewSchema = z.object({ bids: z.array(z.object({ id: bidIdView, state: z.string(), price: coinView, routed: z.boolean() })) });
export type AkashBidsView = z.output<typeof akashBidsViewSchema>;

/** GET /jobs/:id/akash/self-sign/lease/status (the provider's lease status, relayed). */
export const akashLeaseStatusViewSchema = z.object({
  services: z.record(z.string(), z.object({ name: z.string(), ready_replicas: z.number().int().default(0), available_replicas: z.number().int().default(0), total: z.number().int().optional() }).loose()).nullable().transform((s) => s ?? {}),
}).loose();
/** GET /jobs/:id/akash/self-sign/lease/logs */
export const akashLeaseLogsViewSchema = z.object({ text: z.string(), truncated: z.boolean() });
