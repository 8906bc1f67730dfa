/**
 * Vast.ai offers from its search endpoint (`GET /api/v0/bundles/?q=<json>`, no key needed to search). One
 * candidate per offer: an offer is `num_gpus` GPUs of one host machine rented together, so it is billed per
 * instance (`dph_total` is the whole offer's price per hour). Reliability is Vast's own per-machine figure
 * (`reliability2`, older responses `reliability`).
 */
import { z } from 'zod';
import { canonicalGpuModel, canonicalRegion, externalProviderRef, regionOfCountry, usdToMicros } from '../normalise.js';
import { fetchJson, reliabilityOf, type SourceDefinition } from '../source.js';
import type { Candidate } from '../../domain/types.js';

const offerSchema = z.object({
  id: z.number().int(),
  machine_id: z.number().int(),
  gpu_name: z.string().min(1),
  num_gpus: z.number().int().positive(),
  /** MB per GPU. */
  gpu_ram: z.number().nonnegative(),
  cpu_cores_effective: z.number().nonnegative(),
  /** MB. */
  cpu_ram: z.number().nonnegative(),
  dph_total: z.number().nonnegative(),
  reliability2: z.number().min(0).max(1).optional(),
  reliability: z.number().min(0).max(1).optional(),
  /** `Texas, US`, `Germany, DE`, or null. */
  geolocation: z.string().nullable().optional(),
  rentable: z.boolean().optional(),
  rented: z.boolean().optional(),
  verified: z.boolean().optional(),
});

export const vastBundlesSchema = z.object({ offers: z.array(offerSchema) });
type VastRaw = z.infer<typeof vastBundlesSchema>;

/** The search the live path sends: verified, rentable, on-demand offers. */
export const VAST_QUERY = {
  verified: { eq: true },
  rentable: { eq: true },
  rented: { eq: false },
  type: 'on-demand',
  order: [['dph_total', 'asc']],
  limit: 1000,
} as const;

const START_LATENCY_SEC = 180;

function regionOf(geolocation: string | null | undefined): string {
  if (!geolocation) return 'unknown';
  const country = geolocation.split(',').pop()?.trim() ?? '';
  return regionOfCountry(country) ?? canonicalRegion(geolocation);
}

export const vastSource: SourceDefinition<VastRaw> = {
  name: 'vast',
  market: 'vast',
  snapshotFiles: ['vast-bundles.json'],
  defaultUrl: 'https://console.vast.ai/api/v0/bundles/',
  needsApiKey: false,
  maxAgeSec: 900,
  reliabilityBasis: "Vast.ai's per-machine reliability figure (reliability2)",
  fromSnapshot: ([file]) => vastBundlesSchema.parse(file),
  async fetchLive(ctx) {
    const url = `${ctx.url}?q=${encodeURIComponent(JSON.stringify(VAST_QUERY))}`;
    return vastBundlesSchema.parse(await fetchJson('vast', ctx, url, ctx.apiKey ? { headers: { authorization: `Bearer ${ctx.apiKey}` } } : {}));
  },
  normalise(raw, fetchedAt) {
    const out: Candidate[] = [];
    for (const o of raw.offers) {
      if (o.rentable === false || o.rented === true) continue;
      const externalId = `machine-${o.machine_id}`;
      const vendorReliability = o.reliability2 ?? o.reliability ?? null;
      const perInstance = usdToMicros(o.dph_total);
      const gpus = BigInt(o.num_gpus);
      out.push({
        id: `vast:${o.id}`,
        market: 'vast',
        providerRef: externalProviderRef('vast', externalId),
        provider: null,
        offerId: 0n,
        externalId,
        name: `Vast.ai ${o.num_gpus}× ${o.gpu_name} (machine ${o.machine_id})`,
        gpuModel: canonicalGpuModel(o.gpu_name),
        gpuCount: o.num_gpus,
        vramGb: Math.round(o.gpu_ram / 1024),
        vcpu: Math.floor(o.cpu_cores_effective),
        ramGb: Math.floor(o.cpu_ram / 1024),
        region: regionOf(o.geolocation),
        pricePerGpuHour: (perInstance + gpus - 1n) / gpus,
        reliability: reliabilityOf(vendorReliability ?? 0),
        reliabilityInputs: { basis: 'Vast.ai reliability2', reliability2: vendorReliability, verified: o.verified ?? null },
        startLatencySec: START_LATENCY_SEC,
        audited: o.verified === true,
        availableUnits: 1,
        source: 'vast',
        sourceFetchedAt: fetchedAt,
        billing: 'per-instance',
      });
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  },
};
