/**
 * The result manifest: what a provider ran for a job round and what came out of it. It is stored as the bytes of
 * its canonical JSON under their 0G Merkle root, and that root is the on-chain `resultHash`, so anyone can fetch
 * it by the on-chain value, recompute the root and compare. Browser-safe: imports only zod and viem.
 */
import { isAddress, type Address, type Hex } from 'viem';
import { z } from 'zod';

export const RESULT_MANIFEST_KIND = 'necto.result/1';

const hex32 = z.custom<Hex>(
  (value) => typeof value === 'string' && /^0x[0-9a-f]{64}$/.test(value),
  'expected a lowercase 32-byte 0x-hex value',
);
const address = z.custom<Address>((value) => typeof value === 'string' && isAddress(value, { strict: false }), 'expected a 0x address');
const unixSeconds = z.number().int().nonnegative();

/** Why a run ended. `pull-failed` runs never started a container. */
export const runReasonSchema = z.enum(['ok', 'nonzero', 'oom', 'timeout', 'cancelled', 'pull-failed']);
export type RunReason = z.infer<typeof runReasonSchema>;

/**
 * A stored blob. 0G cannot store an empty file, so empty content has no root: `root` is null exactly when
 * `bytes`/`size` is 0.
 */
const contentRoot = hex32.nullable();

export const resultLogSchema = z
  .object({
    /** 0G root of the stored log bytes (stdout and stderr as the runtime interleaved them). */
    root: contentRoot,
    /** Length of the stored log in bytes (after truncation). */
    bytes: z.number().int().nonnegative(),
    /**
     * True when the container wrote more than the provider keeps; the stored log is then its first and last parts
     * with one `[necto: N bytes of log omitted]` line between them.
     */
    truncated: z.boolean(),
  })
  .refine((log) => (log.root === null) === (log.bytes === 0), 'log.root is null exactly when the log is empty');

export const resultOutputSchema = z
  .object({
    /** Path relative to the outputs directory, `/`-separated, no `.` or `..` segments. */
    path: z
      .string()
      .min(1)
      .refine((p) => !p.startsWith('/') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'), 'expected a relative path'),
    size: z.number().int().nonnegative(),
    /** sha256 of the file's bytes. */
    sha256: hex32,
    /** 0G root of the file's bytes (where it is stored); null for an empty file. */
    root: contentRoot,
  })
  .refine((o) => (o.root === null) === (o.size === 0), 'root is null exactly when the file is empty');

export const resultRuntimeSchema = z.object({
  kind: z.enum(['docker', 'akash-standin', 'akash']),
  version: z.string().min(1).optional(),
});

/** Akash only: the lease the workload ran under. */
export const resultLeaseSchema = z.object({
  dseq: z.string().regex(/^\d+$/),
  gseq: z.number().int().nonnegative(),
  oseq: z.number().int().nonnegative(),
  provider: z.string().min(1),
  status: z.string().min(1),
});

export const resultManifestSchema = z
  .object({
    kind: z.literal(RESULT_MANIFEST_KIND),
    chainId: z.number().int().positive(),
    jobMarket: address,
    /** Decimal job id (uint256 does not fit a JSON number). */
    jobId: z.string().regex(/^(0|[1-9]\d*)$/, 'expected a decimal job id'),
    round: z.number().int().nonnegative(),
    /** The on-chain provider wallet, or the market operator for external markets. */
    provider: address,
    market: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a market name such as "onchain" or "akash"'),
    image: z.string().min(1),
    /** `sha256:<hex>` image id or repo digest as the runtime reports it; null when it reported none. */
    imageDigest: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/)
      .nullable(),
    command: z.array(z.string()),
    startedAt: unixSeconds,
    finishedAt: unixSeconds,
    exitCode: z.number().int().nullable(),
    reason: runReasonSchema,
    log: resultLogSchema,
    outputs: z.array(resultOutputSchema),
    runtime: resultRuntimeSchema,
    lease: resultLeaseSchema.optional(),
  })
  .refine((m) => m.finishedAt >= m.startedAt, 'finishedAt is before startedAt')
  // Akash reports replica readiness, not exit codes: a leased run may end "ok" with no exit code.
  .refine((m) => m.reason !== 'ok' || m.exitCode === 0 || (m.exitCode === null && m.lease !== undefined), 'reason "ok" needs exit code 0')
  .refine((m) => m.reason !== 'nonzero' || m.exitCode !== 0, 'reason "nonzero" cannot have exit code 0')
  .refine(
    (m) => m.outputs.every((o, i) => i === 0 || (m.outputs[i - 1] as ResultOutputShape).path < o.path),
    'outputs must be sorted by path, without duplicates',
  );

type ResultOutputShape = z.infer<typeof resultOutputSchema>;

export type ResultManifest = z.infer<typeof resultManifestSchema>;
export type ResultOutput = z.infer<typeof resultOutputSchema>;
export type ResultLog = z.infer<typeof resultLogSchema>;
export type ResultLease = z.infer<typeof resultLeaseSchema>;
