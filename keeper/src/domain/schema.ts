/**
 * zod schemas for the routing types in their JSON form (bigints as decimal strings, as in the canonical
 * reasoning log). Parsing gives back the in-memory types, so a stored log can be replayed.
 */
import { z } from 'zod';
import type { Candidate, Hex, JobRequest, ReasoningLog, SourceStatus } from './types.js';
import { jobWorkloadSchema } from './job-document.js';

export const hexSchema = z.string().regex(/^0x[0-9a-fA-F]*$/, 'expected 0x-hex') as unknown as z.ZodType<Hex>;
export const addressSchema = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected an address') as unknown as z.ZodType<Hex>;
export const bytes32Schema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected 32 bytes') as unknown as z.ZodType<Hex>;

/** A bigint written as a decimal string (or already a bigint, or a safe integer). */
export const bigintSchema = z.union([
  z.bigint(),
  z.string().regex(/^-?\d+$/, 'expected a decimal integer').transform((s) => BigInt(s)),
  z.number().int().refine(Number.isSafeInteger).transform((n) => BigInt(n)),
]);
export const uintSchema = bigintSchema.refine((v) => v >= 0n, 'expected a non-negative integer');

export const jobRequestSchema = z.object({
  jobId: uintSchema.nullable(),
  buyer: addressSchema,
  teamId: z.number().int().nonnegative(),
  gpuModels: z.array(z.string().min(1).max(64)).max(32),
  gpuCount: z.number().int().min(1).max(1024),
  minVramGb: z.number().int().nonnegative(),
  minVcpu: z.number().int().nonnegative(),
  minRamGb: z.number().int().nonnegative(),
  regions: z.array(z.string().min(1).max(64)).max(32),
  maxPricePerGpuHour: uintSchema,
  durationSec: z.number().int().positive(),
  allowExternal: z.boolean(),
  teamRemainingCap: uintSchema.nullable(),
  budget: uintSchema.nullable(),
  specHash: bytes32Schema,
  trust: z.object({
    auditedOnly: z.boolean(),
    allowList: z.array(z.string().min(1).max(80)).max(256),
  }),
  excludeProviderRefs: z.array(bytes32Schema).max(256),
  description: z.string().max(4000).optional(),
  workload: jobWorkloadSchema.nullable().optional(),
}) satisfies z.ZodType<JobRequest, unknown>;

export const candidateSchema = z.object({
  id: z.string().min(1),
  market: z.string().min(1),
  providerRef: bytes32Schema,
  provider: addressSchema.nullable(),
  offerId: uintSchema,
  externalId: z.string(),
  name: z.string(),
  gpuModel: z.string(),
  gpuCount: z.number().int().nonnegative(),
  vramGb: z.number().nonnegative(),
  vcpu: z.number().nonnegative(),
  ramGb: z.number().nonnegative(),
  region: z.string(),
  pricePerGpuHour: uintSchema,
  reliability: z.number().min(0).max(1),
  startLatencySec: z.number().nonnegative(),
  audited: z.boolean(),
  availableUnits: z.number().int().nonnegative(),
  source: z.string(),
  sourceFetchedAt: z.number(),
  billing: z.enum(['per-gpu', 'per-instance']).optional(),
  launcher: z.string().min(1).nullable().optional(),
  maxAgeSec: z.number().int().nonnegative().optional(),
  stale: z.boolean().optional(),
  reliabilityInputs: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])).optional(),
}) satisfies z.ZodType<Candidate, unknown>;

export const weightsSchema = z.object({
  reliabilityBps: z.number().int().nonnegative(),
  latencyBpsPerHour: z.number().int().nonnegative(),
  regionBpsPerRank: z.number().int().nonnegative(),
});

export const constraintSchema = z.enum([
  'external', 'launcher', 'image', 'stale', 'excludedRef', 'auditedOnly', 'allowList', 'gpuModel', 'gpuCount', 'vram', 'vcpu', 'ram',
  'region', 'capacity', 'maxPrice', 'budget', 'teamCap',
]);

export const stepSchema = z.object({
  seq: z.number().int(),
  at: z.number(),
  kind: z.enum(['thought', 'tool_call', 'tool_result', 'decision', 'error']),
  title: z.string(),
  detail: z.unknown(),
});

export const sourceStatusSchema = z.object({
  source: z.string(),
  market: z.string(),
  origin: z.enum(['live', 'snapshot']),
  fetchedAt: z.number(),
  ageSec: z.number(),
  candidateCount: z.number(),
  maxAgeSec: z.number().optional(),
  stale: z.boolean().optional(),
  launcher: z.string().nullable().optional(),
  error: z.string().optional(),
}) satisfies z.ZodType<SourceStatus, unknown>;

/** A stored reasoning log, parsed back (unknown extra keys are rejected: the log is a fixed format). */
export const reasoningLogSchema = z.strictObject({
  schema: z.literal('necto.reasoning-log/1'),
  jobKey: z.string(),
  createdAt: z.number(),
  versions: z.object({ keeper: z.string(), engine: z.string() }),
  model: z.object({ kind: z.enum(['local', 'gemini']), name: z.string() }),
  request: jobRequestSchema,
  sources: z.array(sourceStatusSchema),
  candidates: z.array(candidateSchema),
  constraints: z.array(constraintSchema),
  weights: weightsSchema,
  exclusions: z.array(
    z.object({
      candidateId: z.string(),
      providerRef: bytes32Schema,
      market: z.string(),
      reasons: z.array(z.object({ constraint: constraintSchema, detail: z.string() })),
    }),
  ),
  ranked: z.array(
    z.object({
      candidateId: z.string(),
      rank: z.number().int(),
      pricePerGpuHour: uintSchema,
      totalCost: uintSchema,
      effectiveCost: uintSchema,
      regionRank: z.number().int(),
      penalties: z.object({ reliability: uintSchema, latency: uintSchema, region: uintSchema }),
    }),
  ),
  choice: z
    .object({
      candidateId: z.string(),
      providerRef: bytes32Schema,
      market: z.string(),
      externalId: z.string(),
      offerId: uintSchema,
      pricePerGpuHour: uintSchema,
      totalCost: uintSchema,
    })
    .nullable(),
  agent: z.object({
    proposedId: z.string().nullable(),
    acceptedId: z.string().nullable(),
    overridden: z.boolean(),
    overrideReason: z.string().nullable(),
    explanation: z.string(),
  }),
  sdl: z
    .object({
      yaml: z.string(),
      hash: bytes32Schema,
      pricing: z
        .object({
          denom: z.enum(['uact', 'uakt']),
          amountPerBlock: z.string().regex(/^[0-9]+$/),
          maxUsdMicrosPerHour: z.string().regex(/^[0-9]+$/),
          blockMs: z.number().int().positive(),
          usdPerToken: z.number().positive(),
          source: z.string().min(1).max(300),
        })
        .optional(),
    })
    .nullable(),
  steps: z.array(stepSchema),
}) satisfies z.ZodType<ReasoningLog, unknown>;

/** What a verifier reads from a stored log: which job it is about and what it chose (other keys pass through). */
export const reasoningLogClaimsSchema = reasoningLogSchema.pick({ schema: true, jobKey: true, choice: true }).loose();
