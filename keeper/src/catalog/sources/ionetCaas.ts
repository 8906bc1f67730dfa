/**
 * io.net IO Cloud container (CaaS) prices, read only with an API key (`x-api-key`, never logged), as io.net documents
 * them (docs.io.net, "Getting Started with CaaS API"; the enterprise CaaS reference):
 *   GET /enterprise/v1/io-cloud/caas/hardware/max-gpus-per-container   the hardware types and how many are free
 *   GET /enterprise/v1/io-cloud/caas/available-replicas?hardware_id&hardware_qty=1   locations with free replicas
 *   GET /enterprise/v1/io-cloud/caas/price?location_ids=[id]&hardware_id&duration_hours=1&gpus_per_container=1
 *       &replica_count=1&currency=usdc                                 `data.total_cost_usdc`: one GPU for one hour
 * One candidate per hardware type with a free replica, in the location with the most, priced per GPU-hour and
 * billed per GPU (a container takes the GPUs it asks for, up to `max_gpus_per_container`). The hardware list
 * publishes no VRAM, vCPU or RAM figures (0: a job with such minimums does not fit) and no reliability (scored 0).
 */
import { z } from 'zod';
import { canonicalGpuModel, externalProviderRef, regionOfCountry, usdToMicros } from '../normalise.js';
import { fetchJson, type FetchContext, type SourceDefinition } from '../source.js';
import type { Candidate } from '../../domain/types.js';

export const caasHardwareSchema = z.object({
  data: z.object({
    hardware: z.array(
      z.object({
        hardware_id: z.number().int().nonnegative(),
        hardware_name: z.string().min(1),
        brand_name: z.string(),
        max_gpus_per_container: z.number().int().positive(),
        available: z.number().int().nonnegative(),
      }),
    ),
    total: z.number().int().nonnegative(),
  }),
});

export const caasReplicasSchema = z.object({
  data: z.array(
    z.object({
      id: z.number().int().nonnegative(),
      iso2: z.string(),
      name: z.string(),
      available_replicas: z.number().int().nonnegative(),
    }),
  ),
});

export const caasPriceSchema = z.object({
  data: z
    .object({
      total_cost_usdc: z.number().nonnegative(),
      ionet_fee: z.number().optional(),
      currency_conversion_fee: z.number().optional(),
    })
    .passthrough(),
});

type Hardware = z.infer<typeof caasHardwareSchema>['data']['hardware'][number];
type Location = z.infer<typeof caasReplicasSchema>['data'][number];

export interface IonetCaasRaw {
  hardware: z.infer<typeof caasHardwareSchema>;
  /** By hardware_id. */
  replicas: Record<string, z.infer<typeof caasReplicasSchema>>;
  /** By hardware_id: the price of one GPU for one hour in the chosen location. */
  prices: Record<string, z.infer<typeof caasPriceSchema>>;
}

/** Hardware types priced per refresh (each costs two requests). */
const MAX_HARDWARE = 24;
const START_LATENCY_SEC = 300;

/** The location with the most free replicas (ties: the lower id), or null when none has one. */
function bestLocation(locations: readonly Location[]): Location | null {
  let best: Location | null = null;
  for (const l of locations) {
    if (l.available_replicas < 1) continue;
    if (!best || l.available_replicas > best.available_replicas || (l.available_replicas === best.available_replicas && l.id < best.id)) best = l;
  }
  return best;
}

const snapshotSchema = z.object({
  hardware: caasHardwareSchema,
  replicas: z.record(z.string(), caasReplicasSchema),
  prices: z.record(z.string(), caasPriceSchema),
});

export const ionetCaasSource: SourceDefinition<IonetCaasRaw> = {
  name: 'ionet-caas',
  market: 'ionet',
  snapshotFiles: ['ionet-caas-prices.json'],
  defaultUrl: 'https://api.io.solutions/enterprise/v1/io-cloud/caas',
  needsApiKey: true,
  onlyWithApiKey: true,
  maxAgeSec: 900,
  reliabilityBasis: 'none published by io.net on its CaaS hardware list: scored 0 (full reliability penalty)',
  fromSnapshot: ([file]) => snapshotSchema.parse(file),
  async fetchLive(ctx: FetchContext) {
    const base = ctx.url.replace(/\/+$/, '');
    const headers = { 'x-api-key': ctx.apiKey ?? '' };
    const hardware = caasHardwareSchema.parse(await fetchJson('ionet-caas', ctx, `${base}/hardware/max-gpus-per-container`, { headers }));
    const free = hardware.data.hardware.filter((h) => h.available > 0).slice(0, MAX_HARDWARE);
    const replicas: IonetCaasRaw['replicas'] = {};
    const prices: IonetCaasRaw['prices'] = {};
    await Promise.all(
      free.map(async (h: Hardware) => {
        const id = String(h.hardware_id);
        const r = caasReplicasSchema.parse(
          await fetchJson('ionet-caas', ctx, `${base}/available-replicas?${new URLSearchParams({ hardware_id: id, hardware_qty: '1' })}`, { headers }),
        );
        replicas[id] = r;
        const at = bestLocation(r.data);
        if (!at) return;
        const query = new URLSearchParams({
          location_ids: JSON.stringify([at.id]),
          hardware_id: id,
          duration_hours: '1',
          gpus_per_container: '1',
          replica_count: '1',
          currency: 'usdc',
        });
        prices[id] = caasPriceSchema.parse(await fetchJson('ionet-caas', ctx, `${base}/price?${query}`, { headers }));
      }),
    );
    return { hardware, replicas, prices };
  },
  normalise(raw, fetchedAt) {
    const out: Candidate[] = [];
    for (const h of raw.hardware.data.hardware) {
      const id = String(h.hardware_id);
      const price = raw.prices[id];
      const at = bestLocation(raw.replicas[id]?.data ?? []);
      if (!price || !at) continue;
      const externalId = `caas:${h.hardware_id}@${at.id}`;
      out.push({
        id: `ionet-caas:${h.hardware_id}@${at.id}`,
        market: 'ionet',
        providerRef: externalProviderRef('ionet', externalId),
        provider: null,
        offerId: 0n,
        externalId,
        name: `io.net container ${h.brand_name} ${h.hardware_name} (${at.name})`,
        gpuModel: canonicalGpuModel(h.hardware_name),
        gpuCount: h.max_gpus_per_container,
        vramGb: 0,
        vcpu: 0,
        ramGb: 0,
        region: regionOfCountry(at.iso2) ?? 'unknown',
        pricePerGpuHour: usdToMicros(price.data.total_cost_usdc),
        reliability: 0,
        reliabilityInputs: { basis: 'none published by io.net', availableReplicas: at.available_replicas, location: at.name },
        startLatencySec: START_LATENCY_SEC,
        audited: false,
        availableUnits: at.available_replicas,
        source: 'ionet-caas',
        sourceFetchedAt: fetchedAt,
        billing: 'per-gpu',
      });
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  },
};
