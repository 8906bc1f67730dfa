// Request schemas of the HTTP API (zod at the boundary). Amounts are USDC base units (6 decimals) given as a
// decimal string or a safe integer, so 1.5 USDC per GPU-hour is "1500000".
import { keccak256, stringToHex } from 'viem';
import { z } from 'zod';
import type { Hex, JobRequest } from '../routing/types.js';

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
