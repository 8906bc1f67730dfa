// The provider's config file (JSON or YAML): who it is on-chain, what it offers, how it runs containers and what it
// accepts. The wallet key is never in the file itself: an env var name or a key file path.
import { isAddress, getAddress, type Address } from 'viem';
import { z } from 'zod';
import { contentStoreConfigSchema } from '../content/store.js';
import { DEFAULT_LOG_LIMIT_BYTES } from '../manifest/log.js';
import { dockerRuntimeOptionsSchema } from '../runtime/docker.js';

const address = z
  .string()
  .refine((v) => isAddress(v, { strict: false }), 'expected a 0x address')
  .transform((v) => getAddress(v) as Address);
const url = z.string().url();
const name = z.string().trim().min(1).max(64);
/** USDC base units (6 decimals) per GPU-hour, as an integer or a decimal string of base units. */
const usdcPerGpuHour = z
  .union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,15}$/)])
  .transform((v) => BigInt(v))
  .refine((v) => v > 0n && v < 2n ** 48n, 'must be > 0 and fit uint48');
const bytes = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d+(\.\d+)?\s*(b|k|kb|m|mb|g|gb|ki|kib|mi|mib|gi|gib)?$/i, 'expected a size such as "8g" or "512m"')
    .transform(parseSize),
]);

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: ${text}`);
  const unit = (m[2] ?? '').toLowerCase().replace(/i?b$/, '').replace(/i$/, '');
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit];
  if (mult === undefined) throw new Error(`unknown size unit in ${text}`);
  return Math.floor(Number(m[1]) * mult);
}

export const walletSchema = z.union([
  z.object({ keyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).default('PROVIDER_PRIVATE_KEY') }).strict(),
  z.object({ keyFile: z.string().min(1) }).strict(),
]);

export const offerSchema = z
  .object({
    gpuModel: name,
    gpuCount: z.number().int().min(1).max(65_535),
    vramGb: z.number().int().min(0).max(65_535),
    vcpu: z.number().int().min(1).max(65_535),
    ramGb: z.number().int().min(1).max(4_294_967_295),
    region: name,
    pricePerGpuHour: usdcPerGpuHour,
    /** How many such machines this provider can run at once. */
    units: z.number().int().min(0).max(4_294_967_295),
  })
  .strict();

/** The container engine (options of DockerRuntime) plus how the agent bounds a run. */
export const runtimeSchema = dockerRuntimeOptionsSchema.extend({
  /** Bytes of a job's log kept in the stored log (head and tail past this). */
  maxLogBytes: bytes.default(DEFAULT_LOG_LIMIT_BYTES),
  /** Seconds a container gets between SIGTERM and SIGKILL when stopped at its paid duration. */
  stopGraceSeconds: z.number().int().min(0).max(300).default(10),
}).strict();

export const policySchema = z
  .object({
    /** Image reference globs (`*` any run of characters); empty = any image. */
    allowImages: z.array(z.string().min(1)).default([]),
    /** Image reference globs refused even when allowed. */
    denyImages: z.array(z.string().min(1)).default([]),
    maxDurationSec: z.number().int().positive().default(7 * 24 * 3600),
    maxGpus: z.number().int().min(0).default(8),
    /** Memory limit per container. */
    maxMemory: bytes.default(64 * 1024 ** 3),
    maxVcpu: z.number().positive().default(16),
    maxPids: z.number().int().positive().default(4096),
    /** Network for jobs: none (default) or bridge (outbound allowed, listed ports published). */
    network: z.enum(['none', 'bridge']).default('none'),
  })
  .strict();

export const providerConfigSchema = z
  .object({
    wallet: walletSchema.prefault({ keyEnv: 'PROVIDER_PRIVATE_KEY' }),
    chain: z
      .object({
        rpcUrl: url,
        chainId: z.number().int().positive(),
        /** A deployment file (`contracts/deployments/<chainId>.json` shape); default: the generated @necto/contracts. */
        deploymentFile: z.string().min(1).optional(),
        confirmations: z.number().int().min(0).max(64).default(1),
        pollIntervalMs: z.number().int().min(100).max(60_000).default(1_000),
        logBlockRange: z.number().int().min(1).max(100_000).default(2_000),
      })
      .strict(),
    subgraphUrl: url.optional(),
    keeperUrl: url,
    profile: z
      .object({
        name,
        metadataURI: z.string().max(512).default(''),
        region: z.string().trim().min(1).max(32),
        /** Where earnings go; default: the provider wallet. */
        payout: address.optional(),
        paused: z.boolean().default(false),
      })
      .strict(),
    offers: z.array(offerSchema).max(64).default([]),
    runtime: runtimeSchema.prefault({}),
    /** Where manifests, logs and outputs are stored: default the keeper's content store. */
    content: contentStoreConfigSchema.optional(),
    policy: policySchema.prefault({}),
    /** Durable state (cursor, jobs) and job outputs. */
    stateDir: z.string().min(1),
    http: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8790),
        /** The URL buyers reach this agent at (sent in heartbeats); default http://host:port. */
        publicUrl: url.optional(),
        corsOrigins: z.array(z.string().min(1)).default(['http://127.0.0.1:5173', 'http://localhost:5173']),
      })
      .strict()
      .prefault({}),
    heartbeatIntervalMs: z.number().int().min(1_000).max(60_000).default(15_000),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const keys = new Set<string>();
    cfg.offers.forEach((o, i) => {
      const key = offerKey(o);
      if (keys.has(key)) ctx.addIssue({ code: 'custom', path: ['offers', i], message: 'two offers with the same hardware and region' });
      keys.add(key);
    });
  });

export type ProviderConfigInput = z.input<typeof providerConfigSchema>;
export type ProviderConfigFile = z.output<typeof providerConfigSchema>;
export type OfferConfig = z.output<typeof offerSchema>;
export type Policy = z.output<typeof policySchema>;
export type RuntimeConfig = z.output<typeof runtimeSchema>;

/** The hardware identity of an offer: price and units may change, this may not (a change lists a new offer). */
export function offerKey(o: { gpuModel: string; gpuCount: number; vramGb: number; vcpu: number; ramGb: number; region: string }): string {
  return [o.gpuModel, o.gpuCount, o.vramGb, o.vcpu, o.ramGb, o.region].join('|');
}
