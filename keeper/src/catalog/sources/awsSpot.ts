/**
 * AWS EC2 Spot prices in the DescribeSpotPriceHistory JSON shape (`{ SpotPriceHistory: [...] }`, as the
 * AWS CLI/SDK return it). The EC2 query API itself needs SigV4 and answers XML, so live refresh reads a
 * configured JSON endpoint (a small signer/proxy); without one the source serves its snapshot.
 * Hardware comes from the instance-type table below; spot machines are rented whole and can be reclaimed
 * (no interruption figure is published with the prices, so no reliability credit).
 */
import { z } from 'zod';
import { canonicalRegion, externalProviderRef, usdToMicros } from '../normalise.js';
import { fetchJson, type SourceDefinition } from '../source.js';
import type { Candidate } from '../../domain/types.js';

export const spotPriceHistorySchema = z.object({
  SpotPriceHistory: z.array(
    z.object({
      AvailabilityZone: z.string(),
      InstanceType: z.string(),
      ProductDescription: z.string(),
      SpotPrice: z.string().regex(/^\d+(\.\d+)?$/),
      Timestamp: z.string(),
    }),
  ),
  NextToken: z.string().optional(),
});

type SpotRaw = z.infer<typeof spotPriceHistorySchema>;

/** GPU instance types: [gpuModel, gpus, vramGb per GPU, vcpu, ramGb]. */
export const AWS_GPU_INSTANCES: Record<string, [string, number, number, number, number]> = {
  'p5.48xlarge': ['h100', 8, 80, 192, 2048],
  'p5e.48xlarge': ['h200', 8, 141, 192, 2048],
  'p4d.24xlarge': ['a100', 8, 40, 96, 1152],
  'p4de.24xlarge': ['a100', 8, 80, 96, 1152],
  'p3.2xlarge': ['v100', 1, 16, 8, 61],
  'p3.8xlarge': ['v100', 4, 16, 32, 244],
  'g5.xlarge': ['a10g', 1, 24, 4, 16],
  'g5.2xlarge': ['a10g', 1, 24, 8, 32],
  'g5.12xlarge': ['a10g', 4, 24, 48, 192],
  'g5.48xlarge': ['a10g', 8, 24, 192, 768],
  'g6.xlarge': ['l4', 1, 24, 4, 16],
  'g6.12xlarge': ['l4', 4, 24, 48, 192],
  'g6e.xlarge': ['l40s', 1, 48, 4, 32],
  'g6e.12xlarge': ['l40s', 4, 48, 48, 384],
  'g4dn.xlarge': ['t4', 1, 16, 4, 16],
  'g4dn.12xlarge': ['t4', 4, 16, 48, 192],
};

export const awsSpotSource: SourceDefinition<SpotRaw> = {
  name: 'aws-spot',
  market: 'aws-spot',
  snapshotFiles: ['aws-spot-price-history.json'],
  defaultUrl: '',
  needsApiKey: false,
  maxAgeSec: 3600,
  reliabilityBasis: 'none in the price history: scored 0 (full reliability penalty)',
  fromSnapshot: ([file]) => spotPriceHistorySchema.parse(file),
  async fetchLive(ctx) {
    return spotPriceHistorySchema.parse(await fetchJson('aws-spot', ctx, ctx.url));
  },
  normalise(raw, fetchedAt) {
    // Latest price per (instance type, availability zone); Linux only.
    const latest = new Map<string, SpotRaw['SpotPriceHistory'][number]>();
    for (const e of raw.SpotPriceHistory) {
      if (!e.ProductDescription.startsWith('Linux/UNIX')) continue;
      if (!(e.InstanceType in AWS_GPU_INSTANCES)) continue;
      const key = `${e.InstanceType}@${e.AvailabilityZone}`;
      const prev = latest.get(key);
      if (!prev || Date.parse(e.Timestamp) > Date.parse(prev.Timestamp)) latest.set(key, e);
    }
    const out: Candidate[] = [];
    for (const [externalId, e] of latest) {
      const [gpuModel, gpus, vramGb, vcpu, ramGb] = AWS_GPU_INSTANCES[e.InstanceType]!;
      const perInstance = usdToMicros(Number(e.SpotPrice));
      out.push({
        id: `aws-spot:${externalId}`,
        market: 'aws-spot',
        providerRef: externalProviderRef('aws-spot', externalId),
        provider: null,
        offerId: 0n,
        externalId,
        name: `AWS Spot ${e.InstanceType} (${e.AvailabilityZone})`,
        gpuModel,
        gpuCount: gpus,
        vramGb,
        vcpu,
        ramGb,
        region: canonicalRegion(e.AvailabilityZone.replace(/[a-z]$/, '')),
        pricePerGpuHour: (perInstance + BigInt(gpus) - 1n) / BigInt(gpus),
        // DescribeSpotPriceHistory carries no interruption figure: no data, no credit.
        reliability: 0,
        reliabilityInputs: { basis: 'none in DescribeSpotPriceHistory' },
        startLatencySec: 240,
        audited: true,
        availableUnits: 1,
        source: 'aws-spot',
        sourceFetchedAt: fetchedAt,
        billing: 'per-instance',
      });
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  },
};
