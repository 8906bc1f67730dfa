/**
 * io.net IO Cloud VM hardware (`GET /enterprise/v1/io-cloud/vmaas/hardware`, no key needed; an `x-api-key` is sent
 * when configured). One candidate per hardware item: `num_cards` GPUs in one location rented as one VM, so it is
 * billed per instance (`price` is the VM's USD per hour). Sold-out items stay listed with no capacity. io.net
 * publishes no availability figure on this endpoint, so reliability is scored 0 with that basis in the log.
 */
import { z } from 'zod';
import { canonicalGpuModel, canonicalRegion, externalProviderRef, regionOfCountry, usdToMicros } from '../normalise.js';
import { fetchJson, type SourceDefinition } from '../source.js';
import type { Candidate } from '../../domain/types.js';

const hardwareSchema = z.object({
  id: z.string().min(1),
  deploy_id: z.union([z.number().int(), z.string().min(1)]),
  name: z.string().min(1),
  num_cards: z.number().int().positive(),
  supplier: z.string(),
  sold_out: z.boolean().optional(),
  /** USD per hour for the whole VM. */
  price: z.number().nonnegative(),
  /** GB per GPU. */
  vram_per_card: z.number().int().nonnegative().nullable().optional(),
  vcpu: z.number().int().nonnegative().nullable().optional(),
  /** GB. */
  memory: z.number().int().nonnegative().nullable().optional(),
  /** Country code (`US`) or null. */
  location: z.string().nullable().optional(),
});

export const ionetHardwareSchema = z.object({ data: z.object({ hardware: z.array(hardwareSchema) }) });
type IonetRaw = z.infer<typeof ionetHardwareSchema>;

const START_LATENCY_SEC = 300;

export const ionetSource: SourceDefinition<IonetRaw> = {
  name: 'ionet',
  market: 'ionet',
  snapshotFiles: ['ionet-vmaas-hardware.json'],
  defaultUrl: 'https://api.io.solutions/enterprise/v1/io-cloud/vmaas/hardware',
  needsApiKey: false,
  maxAgeSec: 900,
  reliabilityBasis: 'none published by io.net on its hardware list: scored 0 (full reliability penalty)',
  fromSnapshot: ([file]) => ionetHardwareSchema.parse(file),
  async fetchLive(ctx) {
    return ionetHardwareSchema.parse(await fetchJson('ionet', ctx, ctx.url, ctx.apiKey ? { headers: { 'x-api-key': ctx.apiKey } } : {}));
  },
  normalise(raw, fetchedAt) {
    const out: Candidate[] = [];
    for (const h of raw.data.hardware) {
      const externalId = h.id;
      const gpus = BigInt(h.num_cards);
      out.push({
        id: `ionet:${h.id}`,
        market: 'ionet',
        providerRef: externalProviderRef('ionet', externalId),
        provider: null,
        offerId: 0n,
        externalId,
        name: `io.net ${h.num_cards}× ${h.name} (${h.location ?? 'any location'}, ${h.supplier})`,
        gpuModel: canonicalGpuModel(h.name),
        gpuCount: h.num_cards,
        vramGb: h.vram_per_card ?? 0,
        vcpu: h.vcpu ?? 0,
        ramGb: h.memory ?? 0,
        region: regionOfCountry(h.location) ?? canonicalRegion(h.location),
        pricePerGpuHour: (usdToMicros(h.price) + gpus - 1n) / gpus,
        reliability: 0,
        reliabilityInputs: { basis: 'none published by io.net', supplier: h.supplier },
        startLatencySec: START_LATENCY_SEC,
        audited: false,
        availableUnits: h.sold_out === true ? 0 : 1,
        source: 'ionet',
        sourceFetchedAt: fetchedAt,
        billing: 'per-instance',
      });
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  },
};
