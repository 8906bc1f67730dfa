// Shapes of the keeper API responses (keeper/src/api), validated at the boundary. Amounts are decimal strings
// of USDC base units; they become bigint here.
import { z } from 'zod';

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const amount = z.union([z.string().regex(/^-?\d+$/), z.number().int()]).transform((v) => BigInt(v));

export const QuoteRowSchema = z.object({
  rank: z.number().int(),
  candidateId: z.string(),
  market: z.string(),
  providerRef: hex,
  name: z.string(),
  gpuModel: z.string(),
  gpuCount: z.number(),
  vramGb: z.number(),
  region: z.string(),
  pricePerGpuHour: amount,
  totalCost: amount,
  effectiveCost: amount.optional(),
  reliability: z.number(),
  startLatencySec: z.number(),
  audited: z.boolean().optional(),
  source: z.string(),
  sourceAgeSec: z.number(),
});
export type QuoteRow = z.infer<typeof QuoteRowSchema>;

export const SourceStatusSchema = z.object({
  source: z.string(),
  market: z.string(),
  origin: z.enum(['live', 'snapshot']),
  fetchedAt: z.number(),
  ageSec: z.number(),
  candidateCount: z.number(),
  error: z.string().optional(),
});
export type SourceStatus = z.infer<typeof SourceStatusSchema>;

export const QuoteSchema = z.object({
  at: z.number(),
  best: QuoteRowSchema.nullable(),
  rows: z.array(QuoteRowSchema),
  feasibleCount: z.number(),
  excludedCount: z.number(),
  exclusions: z.array(z.object({ constraint: z.string(), count: z.number(), candidateIds: z.array(z.string()) })),
  sources: z.array(SourceStatusSchema),
});
export type Quote = z.infer<typeof QuoteSchema>;

export const AgentStepSchema = z.object({
  round: z.number().optional(),
  seq: z.number(),
  at: z.number(),
  kind: z.enum(['thought', 'tool_call', 'tool_result', 'decision', 'error']),
  title: z.string(),
  detail: z.unknown(),
});
export type AgentStep = z.infer<typeof AgentStepSchema>;

export const DecisionSchema = z.object({
  jobId: z.string(),
  round: z.number(),
  status: z.enum(['committed', 'already_routed', 'no_candidate', 'failed']),
  chosen: z
    .object({
      candidateId: z.string(),
      market: z.string(),
      providerRef: hex,
      provider: hex.nullable(),
      offerId: z.string(),
      externalId: z.string(),
      name: z.string(),
      gpuModel: z.string(),
      region: z.string(),
      pricePerGpuHour: amount,
    })
    .nullable(),
  totalCost: amount.nullable(),
  alternatives: z.array(
    z.object({ rank: z.number(), candidateId: z.string(), market: z.string(), name: z.string(), pricePerGpuHour: amount, totalCost: amount }),
  ),
  logRoot: hex,
  decisionHash: hex,
  sdlHash: hex,
  hasSdl: z.boolean(),
  model: z.object({ kind: z.string(), name: z.string() }).nullable(),
  explanation: z.string().nullable(),
  tx: z.object({ hash: hex, blockNumber: z.string() }).nullable(),
  error: z.string().nullable(),
  decidedAt: z.number(),
  source: z.string(),
});
export type Decision = z.infer<typeof DecisionSchema>;

export const ApiErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() }),
});

/** The parts of a reasoning log (necto.reasoning-log/1) the verify panel shows. Everything else passes through. */
export const ReasoningLogSchema = z
  .object({
    schema: z.string(),
    jobKey: z.string(),
    createdAt: z.number().optional(),
    model: z.object({ kind: z.string(), name: z.string() }).partial().optional(),
    choice: z
      .object({ candidateId: z.string(), market: z.string(), externalId: z.string().optional(), pricePerGpuHour: z.union([z.string(), z.number()]) })
      .passthrough()
      .nullable()
      .optional(),
    ranked: z.array(z.object({ candidateId: z.string(), rank: z.number() }).passthrough()).optional(),
    exclusions: z
      .array(z.object({ candidateId: z.string(), reasons: z.array(z.object({ constraint: z.string(), detail: z.string() })) }).passthrough())
      .optional(),
  })
  .passthrough();
export type ReasoningLog = z.infer<typeof ReasoningLogSchema>;
