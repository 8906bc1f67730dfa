/**
 * Akash SDL (v2.0) generated from a job (resources) and its job document (workload), parsed and turned into the
 * deployment's groups and manifest by `@akashnetwork/chain-sdk`. The manifest version — sha256 over the sorted
 * manifest JSON, what a provider computes for the manifest it receives — is committed on-chain as `sdlHash`,
 * is the `hash` of MsgCreateDeployment and is checked by the provider gateway when the manifest is sent.
 */
import { generateManifest, generateManifestVersion, manifestToSortedJSON, type GenerateManifestResult, type SDLInput } from '@akashnetwork/chain-sdk';
import { toHex } from '@cosmjs/encoding';
import { parse, stringify } from 'yaml';
import type { Candidate, Hex, JobRequest } from '../domain/types.js';
import { priceFor, type PricingOptions, type PricingRecord } from './pricing.js';
import type { JobWorkload as Workload } from '../domain/job-document.js';

export class SdlError extends Error {
  override name = 'SdlError';
}

export const SERVICE = 'job';
export const PLACEMENT = 'necto';

export interface SdlOptions {
  /** Default `uact`. */
  pricing?: PricingOptions;
  /** Ephemeral storage per replica (GiB), default 20. */
  storageGb?: number;
}

export interface BuiltSdl {
  yaml: string;
  /** 0x-hex manifest version (sha256 of the sorted manifest JSON). */
  hash: Hex;
  /** How the buyer's USD ceiling became the SDL's per-block price (goes into the reasoning log). */
  pricing: PricingRecord;
}

export type ManifestGroups = Extract<GenerateManifestResult, { ok: true }>['value'];

/** The SDL document for a job whose workload is known. Nothing is exposed that the document does not list. */
export function sdlDocument(req: JobRequest, candidate: Candidate, workload: Workload, opts: SdlOptions = {}): { doc: Record<string, unknown>; pricing: PricingRecord } {
  const gpus = Math.max(1, req.gpuCount);
  const vcpu = Math.max(1, req.minVcpu || 2 * gpus);
  const ramGb = Math.max(1, req.minRamGb || 16 * gpus);
  // The buyer's ceiling, not the candidate's median: providers bid at or under it.
  const pricing = priceFor(req.maxPricePerGpuHour * BigInt(gpus), opts.pricing ?? { denom: 'uact' });
  const gpuModel: Record<string, string> = { model: candidate.gpuModel };
  const vram = Math.max(candidate.vramGb, req.minVramGb);
  if (vram > 0) gpuModel.ram = `${vram}Gi`;

  const service: Record<string, unknown> = { image: workload.image };
  // The document's command is the container's argv (Docker `Cmd`): on Akash that is `args`; the image's
  // entrypoint stays as the image defines it.
  if (workload.command && workload.command.length > 0) service.args = workload.command;
  const env = Object.entries(workload.env ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (env.length > 0) service.env = env.map(([k, v]) => `${k}=${v}`);
  if (workload.ports && workload.ports.length > 0) {
    service.expose = workload.ports.map((p) => ({ port: p.port, as: p.port, proto: p.protocol, to: [{ global: true }] }));
  }
  const doc = {
    version: '2.0',
    services: { [SERVICE]: service },
    profiles: {
      compute: {
        [SERVICE]: {
          resources: {
            cpu: { units: vcpu },
            memory: { size: `${ramGb}Gi` },
            storage: { size: `${opts.storageGb ?? 20}Gi` },
            gpu: { units: gpus, attributes: { vendor: { nvidia: [gpuModel] } } },
          },
        },
      },
      placement: { [PLACEMENT]: { pricing: { [SERVICE]: { denom: pricing.denom, amount: Number(pricing.amountPerBlock) } } } },
    },
    deployment: { [SERVICE]: { [PLACEMENT]: { profile: SERVICE, count: 1 } } },
  };
  return { doc, pricing };
}

/** Parses and validates SDL text with chain-sdk; throws SdlError listing what is wrong. */
export function manifestOf(yaml: string): ManifestGroups {
  let input: unknown;
  try {
    input = parse(yaml);
  } catch (err) {
    throw new SdlError(`SDL is not YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!input || typeof input !== 'object') throw new SdlError('SDL is not a mapping');
  let result: GenerateManifestResult;
  try {
    result = generateManifest(input as SDLInput, 'mainnet');
  } catch (err) {
    throw new SdlError(`invalid SDL: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!result.ok) {
    const issues = result.value.map((e) => `${(e as { instancePath?: string }).instancePath || '/'} ${e.message ?? ''}`.trim());
    throw new SdlError(`invalid SDL: ${issues.join('; ').slice(0, 500)}`);
  }
  return result.value;
}

/** The manifest version a provider computes for these groups. */
export async function manifestVersionOf(groups: ManifestGroups['groups']): Promise<Hex> {
  return `0x${toHex(await generateManifestVersion(groups))}`;
}

/** The manifest JSON sent to the provider gateway (the bytes the version hash is taken over). */
export function manifestJson(groups: ManifestGroups['groups']): string {
  return manifestToSortedJSON(groups);
}

/** Builds the SDL for a job routed to Akash. Throws SdlError when the job's document names no workload. */
export async function buildSdl(req: JobRequest, candidate: Candidate, opts: SdlOptions = {}): Promise<BuiltSdl> {
  if (!req.workload) throw new SdlError('the job document names no image: nothing to deploy on Akash');
  const { doc, pricing } = sdlDocument(req, candidate, req.workload, opts);
  const yaml = stringify(doc);
  return { yaml, hash: await versionOfSdl(yaml), pricing };
}

/** Manifest versions of recent SDL texts: jobs with the same workload and resources share one (a burst of them). */
const recentVersions = new Map<string, Promise<Hex>>();
const RECENT_VERSIONS_MAX = 256;

/** The manifest version of SDL text (validated), remembered for the last RECENT_VERSIONS_MAX texts. */
function versionOfSdl(yaml: string): Promise<Hex> {
  const hit = recentVersions.get(yaml);
  if (hit) {
    recentVersions.delete(yaml); // most recently used goes last
    recentVersions.set(yaml, hit);
    return hit;
  }
  const version = (async () => manifestVersionOf(manifestOf(yaml).groups))();
  recentVersions.set(yaml, version);
  version.catch(() => recentVersions.delete(yaml)); // a failure is not remembered
  if (recentVersions.size > RECENT_VERSIONS_MAX) recentVersions.delete(recentVersions.keys().next().value!);
  return version;
}

/** Validates any SDL text the way buildSdl does; returns its manifest version hash. */
export async function validateSdl(yaml: string): Promise<Hex> {
  return manifestVersionOf(manifestOf(yaml).groups);
}
