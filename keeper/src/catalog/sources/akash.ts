/**
 * Akash providers and GPU prices from the Akash Console API (`GET /v1/providers`, `GET /v1/gpu-prices`,
 * shapes as in akash-network/console apps/api). A candidate is one (provider, GPU model) pair: its price is
 * the network's median bid for that model (USD per GPU-hour), its capacity the provider's available GPUs,
 * its reliability the provider's 7-day uptime.
 */
import { z } from 'zod';
import { canonicalGpuModel, canonicalRegion, externalProviderRef, parseSizeGb, regionOfCountry, usdToMicros } from '../normalise.js';
import { fetchJson, reliabilityOf, type SourceDefinition } from '../source.js';
import type { Candidate } from '../../domain/types.js';

const statsItem = z.object({ active: z.number(), available: z.number(), pending: z.number() });
const legacyStats = z.object({ cpu: z.number(), gpu: z.number(), memory: z.number(), storage: z.number() });
const gpuModel = z.object({ vendor: z.string(), model: z.string(), ram: z.string(), interface: z.string() });

const providerSchema = z.object({
  owner: z.string().regex(/^akash1[0-9a-z]{38,}$/),
  name: z.string().nullable(),
  hostUri: z.string(),
  isOnline: z.boolean().nullable().optional(),
  isValidVersion: z.boolean(),
  isAudited: z.boolean(),
  uptime7d: z.number().nullable(),
  ipCountryCode: z.string().nullable().optional(),
  locationRegion: z.string().nullable().optional(),
  gpuModels: z.array(gpuModel),
  stats: z
    .object({ cpu: statsItem, gpu: statsItem, memory: statsItem })
    .optional(),
  availableStats: legacyStats.optional(),
});

export const akashProvidersSchema = z.array(providerSchema);

export const akashGpuPricesSchema = z.object({
  availability: z.object({ total: z.number(), available: z.number() }),
  models: z.array(
    gpuModel.extend({
      availability: z.object({ total: z.number(), available: z.number() }),
      providerAvailability: z.object({ total: z.number(), available: z.number() }).passthrough(),
      price: z
        .object({
          currency: z.string(),
          min: z.number(),
          max: z.number(),
          avg: z.number(),
          weightedAverage: z.number(),
          med: z.number(),
        })
        .nullable(),
    }),
  ),
});

export interface AkashRaw {
  providers: z.infer<typeof akashProvidersSchema>;
  gpuPrices: z.infer<typeof akashGpuPricesSchema>;
}

const GIB = 1024 ** 3;
/** Bid, lease and image pull on Akash usually take a few minutes; audited providers are quicker to answer. */
const START_LATENCY_SEC = 180;
const START_LATENCY_AUDITED_SEC = 120;
/** GPUs one deployment can take on one node; the console does not publish per-node counts. */
const MAX_GPUS_PER_NODE = 8;

function priceFor(raw: AkashRaw, m: z.infer<typeof gpuModel>): number | null {
  const models = raw.gpuPrices.models.filter((p) => p.vendor === m.vendor && p.model === m.model && p.price !== null);
  const exact = models.find((p) => p.ram === m.ram && p.interface === m.interface);
  const sameRam = models.find((p) => p.ram === m.ram);
  const hit = exact ?? sameRam ?? models[0];
  return hit?.price?.med ?? null;
}

export const akashSource: SourceDefinition<AkashRaw> = {
  name: 'akash',
  market: 'akash',
  snapshotFiles: ['akash-providers.json', 'akash-gpu-prices.json'],
  defaultUrl: 'https://console-api.akash.network',
  needsApiKey: false,
  maxAgeSec: 3600,
  reliabilityBasis: 'Akash Console API provider uptime over 7 days (uptime7d)',
  fromSnapshot: ([providers, gpuPrices]) => ({
    providers: akashProvidersSchema.parse(providers),
    gpuPrices: akashGpuPricesSchema.parse(gpuPrices),
  }),
  async fetchLive(ctx) {
    const base = ctx.url.replace(/\/+$/, '');
    const [providers, gpuPrices] = await Promise.all([
      fetchJson('akash', ctx, `${base}/v1/providers`),
      fetchJson('akash', ctx, `${base}/v1/gpu-prices`),
    ]);
    return { providers: akashProvidersSchema.parse(providers), gpuPrices: akashGpuPricesSchema.parse(gpuPrices) };
  },
  normalise(raw, fetchedAt) {
    const out: Candidate[] = [];
    for (const p of raw.providers) {
      if (p.isOnline === false || !p.isValidVersion) continue;
      const gpuAvailable = p.stats?.gpu.available ?? p.availableStats?.gpu ?? 0;
      const cpuMilli = p.stats?.cpu.available ?? p.availableStats?.cpu ?? 0;
      const memBytes = p.stats?.memory.available ?? p.availableStats?.memory ?? 0;
      const region = p.locationRegion ? canonicalRegion(p.locationRegion) : (regionOfCountry(p.ipCountryCode) ?? 'unknown');
      const host = p.hostUri.replace(/^https?:\/\//, '').replace(/:\d+$/, '');
      const seen = new Set<string>();
      for (const m of p.gpuModels) {
        if (m.vendor.toLowerCase() !== 'nvidia') continue; // the SDL builder targets nvidia only
        const key = `${m.model}-${m.ram}-${m.interface}`.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        const usd = priceFor(raw, m);
        if (usd === null) continue; // no bids seen for this model: nothing to price it by
        out.push({
          id: `akash:${p.owner}:${key}`,
          market: 'akash',
          providerRef: externalProviderRef('akash', p.owner),
          provider: null,
          offerId: 0n,
          externalId: p.owner,
          name: p.name ?? host,
          gpuModel: canonicalGpuModel(m.model),
          gpuCount: Math.max(0, Math.min(MAX_GPUS_PER_NODE, Math.floor(gpuAvailable))),
          vramGb: parseSizeGb(m.ram),
          vcpu: Math.floor(cpuMilli / 1000),
          ramGb: Math.floor(memBytes / GIB),
          region,
          pricePerGpuHour: usdToMicros(usd),
          reliability: reliabilityOf(p.uptime7d ?? 0),
          reliabilityInputs: { basis: 'Akash Console API uptime7d', uptime7d: p.uptime7d ?? null },
          startLatencySec: p.isAudited ? START_LATENCY_AUDITED_SEC : START_LATENCY_SEC,
          audited: p.isAudited,
          availableUnits: gpuAvailable >= 1 ? 1 : 0,
          source: 'akash',
          sourceFetchedAt: fetchedAt,
          billing: 'per-gpu',
        });
      }
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  },
};
