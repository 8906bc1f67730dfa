/**
 * Lambda Cloud instance types (`GET /api/v1/instance-types`, needs an API key). A candidate is one
 * instance type in one region with capacity; the machine is rented whole (per-instance billing).
 */
import { z } from 'zod';
import { canonicalGpuModel, canonicalRegion, externalProviderRef } from '../normalise.js';
import { fetchJson, type SourceDefinition } from '../source.js';
import type { Candidate } from '../../domain/types.js';

export const lambdaInstanceTypesSchema = z.object({
  data: z.record(
    z.string(),
    z.object({
      instance_type: z.object({
        name: z.string(),
        description: z.string(),
        gpu_description: z.string(),
        price_cents_per_hour: z.number().int().nonnegative(),
        specs: z.object({
          vcpus: z.number().int(),
          memory_gib: z.number(),
          storage_gib: z.number(),
          gpus: z.number().int(),
        }),
      }),
      regions_with_capacity_available: z.array(z.object({ name: z.string(), description: z.string().optional() })),
    }),
  ),
});

type LambdaRaw = z.infer<typeof lambdaInstanceTypesSchema>;

/** `A100 (80 GB SXM4)` → 80. */
function vramOf(gpuDescription: string): number {
  const m = /(\d+)\s*GB/i.exec(gpuDescription);
  return m ? Number(m[1]) : 0;
}

export const lambdaSource: SourceDefinition<LambdaRaw> = {
  name: 'lambda',
  market: 'lambda',
  snapshotFiles: ['lambda-instance-types.json'],
  defaultUrl: 'https://cloud.lambdalabs.com/api/v1/instance-types',
  needsApiKey: true,
  maxAgeSec: 3600,
  reliabilityBasis: 'none published: scored 0 (full reliability penalty)',
  fromSnapshot: ([file]) => lambdaInstanceTypesSchema.parse(file),
  async fetchLive(ctx) {
    const json = await fetchJson('lambda', ctx, ctx.url, { headers: { authorization: `Bearer ${ctx.apiKey ?? ''}` } });
    return lambdaInstanceTypesSchema.parse(json);
  },
  normalise(raw, fetchedAt) {
    const out: Candidate[] = [];
    for (const entry of Object.values(raw.data)) {
      const t = entry.instance_type;
      if (t.specs.gpus < 1) continue;
      for (const r of entry.regions_with_capacity_available) {
        const externalId = `${t.name}@${r.name}`;
        out.push({
          id: `lambda:${externalId}`,
          market: 'lambda',
          providerRef: externalProviderRef('lambda', externalId),
          provider: null,
          offerId: 0n,
          externalId,
          name: `Lambda ${t.description} (${r.description ?? r.name})`,
          gpuModel: canonicalGpuModel(t.gpu_description),
          gpuCount: t.specs.gpus,
          vramGb: vramOf(t.gpu_description),
          vcpu: t.specs.vcpus,
          ramGb: Math.floor(t.specs.memory_gib),
          region: canonicalRegion(r.name),
          // cents per instance-hour → USDC micros per GPU-hour (1 cent = 10,000 micros); exact for Lambda's prices.
          pricePerGpuHour: (BigInt(t.price_cents_per_hour) * 10_000n) / BigInt(t.specs.gpus),
          // Lambda publishes no availability figure per instance type: no data, no credit.
          reliability: 0,
          reliabilityInputs: { basis: 'none published by Lambda' },
          startLatencySec: 300,
          audited: true,
          availableUnits: 1,
          source: 'lambda',
          sourceFetchedAt: fetchedAt,
          billing: 'per-instance',
        });
      }
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  },
};
