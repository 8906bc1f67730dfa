/**
 * Seeded synthetic catalogs and requests, for property tests and the routing benchmark.
 * Deterministic: the same seed gives the same candidates.
 */
import { externalProviderRef, onchainProviderRef } from '../catalog/normalise.js';
import type { Candidate, Hex, JobRequest } from '../domain/types.js';

/** mulberry32: a tiny, fast, seedable PRNG (uniform in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SYNTHETIC_MODELS = ['h100', 'a100', 'l40s', 'rtx4090', 'a10g', 'l4', 'v100'] as const;
export const SYNTHETIC_REGIONS = ['us-east', 'us-west', 'eu-central', 'eu-west', 'asia-southeast', 'asia-east'] as const;
const MARKETS = ['onchain', 'akash', 'lambda', 'aws-spot', 'ionet', 'vast', 'runpod'] as const;
/** Billed per machine, and quote only (no launcher), as the catalog's markets are by default. */
const PER_INSTANCE = new Set<string>(['lambda', 'aws-spot', 'ionet', 'vast']);
const QUOTE_ONLY = new Set<string>(['lambda', 'aws-spot', 'ionet', 'vast', 'runpod']);
const BASE_PRICE: Record<string, number> = { h100: 2_000_000, a100: 1_200_000, l40s: 800_000, rtx4090: 350_000, a10g: 450_000, l4: 300_000, v100: 250_000 };

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

export function syntheticCandidates(n: number, seed: number, fetchedAt = 1_790_000_000): Candidate[] {
  const rnd = mulberry32(seed);
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const market = pick(rnd, MARKETS);
    const model = pick(rnd, SYNTHETIC_MODELS);
    const gpuCount = pick(rnd, [1, 1, 2, 4, 8]);
    const onchain = market === 'onchain';
    // Few distinct providers so ties on price happen and the providerRef tie-break is exercised.
    const providerIndex = Math.floor(rnd() * Math.max(4, n / 8));
    const provider = onchain ? (`0x${(providerIndex + 1).toString(16).padStart(40, '0')}` as Hex) : null;
    const externalId = onchain ? '' : `${market}-provider-${providerIndex}`;
    // Prices on a coarse grid (10,000 micros) so equal prices are common.
    const price = Math.round((BASE_PRICE[model]! * (0.6 + rnd() * 0.9)) / 10_000) * 10_000;
    out.push({
      id: `${market}:${i}`,
      market,
      providerRef: provider ? onchainProviderRef(provider) : externalProviderRef(market, externalId),
      provider,
      offerId: onchain ? BigInt(i + 1) : 0n,
      externalId,
      name: `${market} provider ${providerIndex}`,
      gpuModel: model,
      gpuCount,
      vramGb: pick(rnd, [16, 24, 40, 48, 80]),
      vcpu: gpuCount * pick(rnd, [4, 8, 16]),
      ramGb: gpuCount * pick(rnd, [16, 32, 64, 128]),
      region: pick(rnd, SYNTHETIC_REGIONS),
      pricePerGpuHour: BigInt(price),
      reliability: Math.round((0.7 + rnd() * 0.3) * 1000) / 1000,
      startLatencySec: pick(rnd, [30, 60, 120, 180, 300]),
      audited: rnd() < 0.5,
      availableUnits: rnd() < 0.1 ? 0 : 1 + Math.floor(rnd() * 4),
      source: market === 'onchain' ? 'subgraph' : market,
      sourceFetchedAt: fetchedAt,
      billing: PER_INSTANCE.has(market) ? 'per-instance' : 'per-gpu',
      // Quote-only markets and a few stale quotes, as a real deployment has them.
      launcher: QUOTE_ONLY.has(market) ? null : `${market}-launcher`,
      maxAgeSec: 3600,
      stale: rnd() < 0.05,
    });
  }
  return out;
}

export function syntheticRequest(seed: number, candidates: readonly Candidate[] = []): JobRequest {
  const rnd = mulberry32(seed ^ 0x9e3779b9);
  const models = rnd() < 0.25 ? [] : [pick(rnd, SYNTHETIC_MODELS), ...(rnd() < 0.4 ? [pick(rnd, SYNTHETIC_MODELS)] : [])];
  const regions = rnd() < 0.4 ? [] : [pick(rnd, SYNTHETIC_REGIONS), ...(rnd() < 0.5 ? [pick(rnd, SYNTHETIC_REGIONS)] : []), ...(rnd() < 0.2 ? ['us'] : [])];
  const durationSec = pick(rnd, [600, 3600, 7200, 86_400, 3 * 86_400]);
  const gpuCount = pick(rnd, [1, 1, 2, 4, 8]);
  const maxPrice = BigInt(Math.round(200_000 + rnd() * 2_800_000));
  const excluded = candidates.length > 0 && rnd() < 0.3 ? [pick(rnd, candidates).providerRef] : [];
  const allowList = candidates.length > 0 && rnd() < 0.1 ? [pick(rnd, candidates).providerRef, 'akash'] : [];
  return {
    jobId: BigInt(Math.floor(rnd() * 1e9)),
    buyer: '0x00000000000000000000000000000000000000b0',
    teamId: rnd() < 0.3 ? 1 : 0,
    gpuModels: models,
    gpuCount,
    minVramGb: pick(rnd, [0, 16, 24, 40, 80]),
    minVcpu: pick(rnd, [0, 4, 8, 16]),
    minRamGb: pick(rnd, [0, 16, 32, 64]),
    regions,
    maxPricePerGpuHour: maxPrice,
    durationSec,
    allowExternal: rnd() < 0.8,
    teamRemainingCap: rnd() < 0.3 ? BigInt(Math.round(rnd() * 200_000_000)) : null,
    budget: rnd() < 0.7 ? (maxPrice * BigInt(gpuCount) * BigInt(durationSec)) / 3600n : null,
    specHash: `0x${'5e'.repeat(32)}`,
    trust: { auditedOnly: rnd() < 0.2, allowList },
    excludeProviderRefs: excluded,
    // Documents with an image, without one (kept off Akash) and drafts that do not say (drawn last: the earlier
    // draws, and so the requests benchmarks were measured with, are unchanged).
    ...workloadDraw(rnd()),
  };
}

function workloadDraw(x: number): Pick<JobRequest, 'workload'> {
  if (x < 0.6) return { workload: { image: 'necto/demo:1' } };
  return x < 0.8 ? { workload: null } : {};
}
