/**
 * The buyer's job document: what runs (image, command, env, ports, outputs path) plus the routing fields the keeper
 * reads. Its canonical JSON (keys sorted, no whitespace) is what `specHash` commits to: tracked jobs publish that
 * text on-chain (`JobSpec.document`), untracked jobs hand it to the keeper. Browser-safe: zod, viem and the
 * dependency-free canonical JSON writer.
 */
import { keccak256, stringToHex, type Hex } from 'viem';
import { z } from 'zod';
import { canonicalJson } from './canonical.js';

const name = z.string().trim().min(1).max(64);

/** The routing fields (what the keeper filters offers by). */
export const jobRoutingShape = {
  gpuModels: z.array(name).max(32).default([]),
  regions: z.array(name).max(64).default([]),
  minVramGb: z.number().int().min(0).max(65_535).default(0),
  minVcpu: z.number().int().min(0).max(65_535).default(0),
  minRamGb: z.number().int().min(0).max(4_294_967_295).default(0),
  description: z.string().max(4_000).optional(),
  trust: z
    .object({ auditedOnly: z.boolean().default(false), allowList: z.array(z.string().min(1).max(80)).max(64).default([]) })
    .optional(),
};

export const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
export const DEFAULT_OUTPUTS_PATH = '/outputs';

/** An OCI image reference: `[registry/]repo[:tag][@sha256:<64 hex>]`, no whitespace. */
export const imageRefSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[a-z0-9][a-z0-9._\-/:]*(@sha256:[0-9a-f]{64})?$/, 'expected an OCI image reference such as "ghcr.io/acme/app:1.0"');

export const jobPortSchema = z.object({
  port: z.number().int().min(1).max(65_535),
  protocol: z.enum(['tcp', 'udp']),
});

const absolutePath = z
  .string()
  .max(256)
  .refine((p) => p.startsWith('/') && p !== '/' && p.split('/').slice(1).every((s) => s !== '' && s !== '.' && s !== '..'), 'expected an absolute path inside the container (not "/")');

/** A bech32 Akash account address (`akash1` + 38 data characters). */
export const akashAddressSchema = z.string().regex(/^akash1[02-9ac-hj-np-z]{38}$/, 'expected an akash1… account address');

export const jobDocumentSchema = z
  .object({
    image: imageRefSchema,
    command: z.array(z.string().max(16_384)).max(256).optional(),
    env: z
      .record(z.string().regex(ENV_NAME, 'env names are [A-Z_][A-Z0-9_]*'), z.string().max(16_384))
      .refine((e) => Object.keys(e).length <= 64, 'at most 64 env entries')
      .optional(),
    ports: z.array(jobPortSchema).max(16).optional(),
    outputs: absolutePath.optional(),
    /** An Akash route is signed by this Akash address (the buyer's own wallet, e.g. Keplr), not the managed wallet. */
    akashSigner: akashAddressSchema.optional(),
    ...jobRoutingShape,
  })
  .loose();

/** What runs, without the routing fields: what an Akash deployment deploys. */
export const jobWorkloadSchema = jobDocumentSchema.pick({ image: true, command: true, env: true, ports: true }).strip();
export type JobWorkload = z.output<typeof jobWorkloadSchema>;

/** The workload a job document names, or null when it names no (valid) image. */
export function workloadOf(document: unknown): JobWorkload | null {
  const parsed = jobWorkloadSchema.safeParse(document);
  return parsed.success ? parsed.data : null;
}

/** The Akash address a job document names as the signer of its Akash deployments, or null (managed wallet). */
export function akashSignerOf(document: unknown): string | null {
  const parsed = z.object({ akashSigner: akashAddressSchema }).safeParse(document);
  return parsed.success ? parsed.data.akashSigner : null;
}

export type JobDocumentInput = z.input<typeof jobDocumentSchema>;
export type JobDocument = z.output<typeof jobDocumentSchema>;

/** The exact text a document is hashed as. */
export function jobDocumentText(document: unknown): string {
  return canonicalJson(document);
}

/** keccak256 of the UTF-8 bytes of `text` (the on-chain `specHash`). */
export function specHashOfText(text: string): Hex {
  return keccak256(stringToHex(text));
}

export type ParsedJobDocument =
  | { ok: true; document: JobDocument; specHash: Hex }
  | { ok: false; reason: 'not_json' | 'invalid'; issues: Array<{ path: string; message: string }> };

/** Parses a document from its published text (tracked: the on-chain `JobSpec.document`; untracked: the keeper's copy). */
export function parseJobDocumentText(text: string): ParsedJobDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not_json', issues: [{ path: '(root)', message: 'is not JSON' }] };
  }
  const parsed = jobDocumentSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, reason: 'invalid', issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })) };
  }
  return { ok: true, document: parsed.data, specHash: specHashOfText(text) };
}
