/**
 * Akash SDL (v2.0, validated as beta3 for mainnet) generated from a job and its chosen Akash candidate.
 * The SDL is what a deployment would be created with; its manifest version (a sha256 over the sorted
 * manifest, computed by akashjs) is committed on-chain as `sdlHash`.
 */
import { SDL } from '@akashnetwork/akashjs/build/sdl/index.js';
import { stringify } from 'yaml';
import type { Candidate, Hex, JobRequest } from '../domain/types.js';

/** Mainnet USDC (Noble) IBC denom accepted by Akash for deployment escrow. */
export const AKASH_USDC_DENOM = 'ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1';
/** Average Akash block time (ms) used to turn an hourly price into the SDL's per-block price. */
export const AKASH_BLOCK_MS = 6_117;

export interface SdlOptions {
  /** Container image; the job document behind specHash names the real one. */
  image?: string;
  /** Pay in USDC (IBC, 6 decimals) or in uakt (needs `aktUsd`). Default usdc. */
  denom?: 'usdc' | 'uakt';
  /** USD per AKT, for uakt pricing. */
  aktUsd?: number;
  storageGb?: number;
}

export interface BuiltSdl {
  yaml: string;
  /** 0x-hex of akashjs `manifestVersion()`. */
  hash: Hex;
}

/** Highest price per block, in the denom's base units (6 decimals for both USDC and AKT). */
function pricePerBlock(maxPerHourMicrosUsd: bigint, opts: SdlOptions): number {
  const perBlockMicrosUsd = (maxPerHourMicrosUsd * BigInt(AKASH_BLOCK_MS) + 3_599_999n) / 3_600_000n;
  if ((opts.denom ?? 'usdc') === 'usdc') return Number(perBlockMicrosUsd);
  const akt = opts.aktUsd;
  if (akt === undefined || !(akt > 0)) throw new Error('uakt pricing needs a positive aktUsd');
  return Math.ceil(Number(perBlockMicrosUsd) / akt);
}

export function sdlDocument(req: JobRequest, candidate: Candidate, opts: SdlOptions = {}): Record<string, unknown> {
  const gpus = Math.max(1, req.gpuCount);
  const vcpu = Math.max(1, req.minVcpu || 2 * gpus);
  const ramGb = Math.max(4, req.minRamGb || 16 * gpus);
  // The buyer's ceiling, not the candidate's median: providers bid at or under it.
  const maxPerHour = req.maxPricePerGpuHour * BigInt(gpus);
  const gpuModel: Record<string, string> = { model: candidate.gpuModel };
  if (candidate.vramGb > 0) gpuModel.ram = `${candidate.vramGb}Gi`;
  return {
    version: '2.0',
    services: {
      job: {
        image: opts.image ?? 'nvidia/cuda:12.4.1-runtime-ubuntu22.04',
        env: [`NECTO_SPEC_HASH=${req.specHash}`],
        expose: [{ port: 8080, as: 80, to: [{ global: true }] }],
      },
    },
    profiles: {
      compute: {
        job: {
          resources: {
            cpu: { units: vcpu },
            memory: { size: `${ramGb}Gi` },
            storage: { size: `${opts.storageGb ?? 100}Gi` },
            gpu: { units: gpus, attributes: { vendor: { nvidia: [gpuModel] } } },
          },
        },
      },
      placement: {
        necto: {
          pricing: {
            job: {
              denom: (opts.denom ?? 'usdc') === 'usdc' ? AKASH_USDC_DENOM : 'uakt',
              amount: pricePerBlock(maxPerHour, opts),
            },
          },
        },
      },
    },
    deployment: { job: { necto: { profile: 'job', count: 1 } } },
  };
}

/** Builds the SDL, validates it with akashjs (throws on an invalid SDL) and hashes its manifest. */
export async function buildSdl(req: JobRequest, candidate: Candidate, opts: SdlOptions = {}): Promise<BuiltSdl> {
  const yaml = stringify(sdlDocument(req, candidate, opts));
  const sdl = SDL.fromString(yaml, 'beta3', 'mainnet');
  const version = await sdl.manifestVersion();
  return { yaml, hash: `0x${Buffer.from(version).toString('hex')}` };
}

/** Validates any SDL text the way buildSdl does; returns its manifest version hash. */
export async function validateSdl(yaml: string): Promise<Hex> {
  const sdl = SDL.fromString(yaml, 'beta3', 'mainnet');
  return `0x${Buffer.from(await sdl.manifestVersion()).toString('hex')}`;
}
