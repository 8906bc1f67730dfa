/**
 * RunPod GPU types from its GraphQL API (`POST https://api.runpod.io/graphql`, needs an API key):
 * `gpuTypes { id displayName memoryInGb maxGpuCount lowestPrice(input: {gpuCount: 1}) { … } }`. One candidate
 * per GPU type with an on-demand price (`uninterruptablePrice`, USD per GPU-hour, billed per GPU). The lowest
 * price is across RunPod's data centres, so the region is not known. RunPod publishes no reliability figure.
 */
import { z } from 'zod';
import { canonicalGpuModel, externalProviderRef, usdToMicros } from '../normalise.js';
import { fetchJson, type SourceDefinition } from '../source.js';
import type { Candidate } from '../../domain/types.js';

export const RUNPOD_QUERY = `query GpuTypes {
  gpuTypes {
    id displayName memoryInGb maxGpuCount secureCloud communityCloud
    lowestPrice(input: { gpuCount: 1 }) { minimumBidPrice uninterruptablePrice minVcpu minMemory stockStatus }
  }
}`;

const gpuTypeSchema = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  memoryInGb: z.number().nonnegative(),
  maxGpuCount: z.number().int().nonnegative(),
  secureCloud: z.boolean().optional(),
  communityCloud: z.boolean().optional(),
  lowestPrice: z
    .object({
      minimumBidPrice: z.number().nonnegative().nullable(),
      uninterruptablePrice: z.number().nonnegative().nullable(),
      minVcpu: z.number().nonnegative().nullable().optional(),
      minMemory: z.number().nonnegative().nullable().optional(),
      stockStatus: z.string().nullable().optional(),
    })
    .nullable(),
});

export const runpodGpuTypesSchema = z.object({
  data: z.object({ gpuTypes: z.array(gpuTypeSchema) }).nullable().optional(),
  errors: z.array(z.object({ message: z.string() })).optional(),
});
type RunpodRaw = z.infer<typeof gpuTypeSchema>[];

function gpuTypesOf(json: unknown): RunpodRaw {
  const parsed = runpodGpuTypesSchema.parse(json);
  if (parsed.errors && parsed.errors.length > 0) throw new Error(`runpod: ${parsed.errors[0]!.message.slice(0, 200)}`);
  if (!parsed.data) throw new Error('runpod: no data');
  return parsed.data.gpuTypes;
}

const START_LATENCY_SEC = 120;

export const runpodSource: SourceDefinition<RunpodRaw> = {
  name: 'runpod',
  market: 'runpod',
  snapshotFiles: ['runpod-gpu-types.json'],
  defaultUrl: 'https://api.runpod.io/graphql',
  needsApiKey: true,
  maxAgeSec: 900,
  reliabilityBasis: 'none published: scored 0 (full reliability penalty)',
  fromSnapshot: ([file]) => gpuTypesOf(file),
  async fetchLive(ctx) {
    return gpuTypesOf(
      await fetchJson('runpod', ctx, ctx.url, { method: 'POST', body: { query: RUNPOD_QUERY }, headers: { authorization: `Bearer ${ctx.apiKey ?? ''}` } }),
    );
  },
  normalise(types, fetchedAt) {
    const out: Candidate[] = [];
    for (const t of types) {
      const price = t.lowestPrice?.uninterruptablePrice ?? null;
      if (price === null || price <= 0 || t.maxGpuCount < 1) continue;
      const perGpuVcpu = t.lowestPrice?.minVcpu ?? 0;
      const perGpuRam = t.lowestPrice?.minMemory ?? 0;
      const stock = t.lowestPrice?.stockStatus ?? null;
      out.push({
        // Ids travel through the agent's tools: no spaces (`NVIDIA H100 80GB HBM3` → `nvidia-h100-80gb-hbm3`).
        id: `runpod:${t.id.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
        market: 'runpod',
        providerRef: externalProviderRef('runpod', t.id),
        provider: null,
        offerId: 0n,
        externalId: t.id,
        name: `RunPod ${t.displayName}`,
        gpuModel: canonicalGpuModel(t.id),
        gpuCount: t.maxGpuCount,
        vramGb: t.memoryInGb,
        // The lowest price's guaranteed minimums are per GPU; a pod of n GPUs gets n times them.
        vcpu: perGpuVcpu * t.maxGpuCount,
        ramGb: perGpuRam * t.maxGpuCount,
        region: 'unknown',
        pricePerGpuHour: usdToMicros(price),
        reliability: 0,
        reliabilityInputs: { basis: 'none published by RunPod', stockStatus: stock },
        startLatencySec: START_LATENCY_SEC,
        audited: t.secureCloud === true,
        availableUnits: stock === null || stock === 'None' ? 0 : 1,
        source: 'runpod',
        sourceFetchedAt: fetchedAt,
        billing: 'per-gpu',
      });
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  },
};
