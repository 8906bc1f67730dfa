/**
 * On-chain offers from the Necto subgraph (schema: subgraph/schema.graphql): active offers of ACTIVE
 * providers, paged by id. Reliability comes from ProviderStats (on-time starts, disputes) with a prior
 * so a new provider is neither perfect nor shunned.
 */
import { z } from 'zod';
import { canonicalGpuModel, canonicalRegion, onchainProviderRef } from '../normalise.js';
import { fetchJson, reliabilityOf, type SourceDefinition } from '../source.js';
import type { Candidate, Hex } from '../../domain/types.js';

const PAGE = 1000;
const MAX_PAGES = 20;

export const OFFERS_QUERY = `query Offers($first: Int!, $lastId: ID!) {
  offers(first: $first, orderBy: id, orderDirection: asc, where: { active: true, id_gt: $lastId, provider_: { status: ACTIVE } }) {
    id offerId gpuModel gpuCount vramGb vcpu ramGb region pricePerGpuHour availableUnits updatedAt
    provider { id address name region status stats { jobsStarted onTimeStarts missedStarts jobsCompleted jobsDisputed } }
  }
}`;

const intString = z.string().regex(/^\d+$/);

const offerSchema = z.object({
  id: z.string(),
  offerId: intString,
  gpuModel: z.string(),
  gpuCount: z.number().int().nonnegative(),
  vramGb: z.number().int().nonnegative(),
  vcpu: z.number().int().nonnegative(),
  ramGb: z.number().int().nonnegative(),
  region: z.string(),
  pricePerGpuHour: intString,
  availableUnits: z.number().int().nonnegative(),
  updatedAt: intString,
  provider: z.object({
    id: z.string(),
    address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    name: z.string(),
    region: z.string(),
    status: z.string(),
    stats: z
      .object({
        jobsStarted: z.number().int(),
        onTimeStarts: z.number().int(),
        missedStarts: z.number().int(),
        jobsCompleted: z.number().int(),
        jobsDisputed: z.number().int(),
      })
      .nullable()
      .optional(),
  }),
});

const responseSchema = z.object({
  data: z.object({ offers: z.array(offerSchema) }).nullable().optional(),
  errors: z.array(z.object({ message: z.string() })).optional(),
});

export type SubgraphOffer = z.infer<typeof offerSchema>;

function offersOf(json: unknown): SubgraphOffer[] {
  const parsed = responseSchema.parse(json);
  if (parsed.errors && parsed.errors.length > 0) throw new Error(`subgraph: ${parsed.errors[0]!.message}`);
  if (!parsed.data) throw new Error('subgraph: no data');
  return parsed.data.offers;
}

/**
 * From the provider's ProviderStats history, by Laplace's rule of succession ((good + 1) / (trials + 2)): a
 * provider with no history scores 0.5 and each job moves it. The figures go into the reasoning log.
 */
export function onchainReliability(stats: SubgraphOffer['provider']['stats']): {
  reliability: number;
  inputs: Record<string, number | string>;
} {
  const s = stats ?? { jobsStarted: 0, onTimeStarts: 0, missedStarts: 0, jobsCompleted: 0, jobsDisputed: 0 };
  // Each job it was due to start is two trials: starting on time, and completing without a dispute.
  const trials = 2 * (s.jobsStarted + s.missedStarts);
  const good = Math.min(trials, s.onTimeStarts + Math.max(0, s.jobsCompleted - s.jobsDisputed));
  return {
    reliability: reliabilityOf((good + 1) / (trials + 2)),
    inputs: {
      basis: 'subgraph ProviderStats: (on-time starts + undisputed completions + 1) / (2 × (starts + missed starts) + 2)',
      jobsStarted: s.jobsStarted,
      onTimeStarts: s.onTimeStarts,
      missedStarts: s.missedStarts,
      jobsCompleted: s.jobsCompleted,
      jobsDisputed: s.jobsDisputed,
    },
  };
}

export const subgraphSource: SourceDefinition<SubgraphOffer[]> = {
  name: 'subgraph',
  market: 'onchain',
  snapshotFiles: ['subgraph.json'],
  defaultUrl: '',
  needsApiKey: false,
  maxAgeSec: 300,
  reliabilityBasis: 'ProviderStats history from the subgraph (on-time starts, misses, disputes)',
  fromSnapshot: ([file]) => offersOf(file),
  async fetchLive(ctx) {
    const all: SubgraphOffer[] = [];
    let lastId = '';
    for (let page = 0; page < MAX_PAGES; page++) {
      const json = await fetchJson('subgraph', ctx, ctx.url, {
        method: 'POST',
        body: { query: OFFERS_QUERY, variables: { first: PAGE, lastId }, operationName: 'Offers' },
      });
      const offers = offersOf(json);
      all.push(...offers);
      if (offers.length < PAGE) break;
      lastId = offers[offers.length - 1]!.id;
    }
    return all;
  },
  normalise(offers, fetchedAt) {
    return offers
      .filter((o) => o.provider.status === 'ACTIVE')
      .map((o): Candidate => {
        const provider = o.provider.address.toLowerCase() as Hex;
        const rel = onchainReliability(o.provider.stats);
        return {
          id: `onchain:${o.offerId}`,
          market: 'onchain',
          providerRef: onchainProviderRef(provider),
          provider,
          offerId: BigInt(o.offerId),
          externalId: '',
          name: o.provider.name,
          gpuModel: canonicalGpuModel(o.gpuModel),
          gpuCount: o.gpuCount,
          vramGb: o.vramGb,
          vcpu: o.vcpu,
          ramGb: o.ramGb,
          region: canonicalRegion(o.region || o.provider.region),
          pricePerGpuHour: BigInt(o.pricePerGpuHour),
          reliability: rel.reliability,
          reliabilityInputs: rel.inputs,
          startLatencySec: 60,
          audited: false,
          availableUnits: o.availableUnits,
          source: 'subgraph',
          sourceFetchedAt: fetchedAt,
          billing: 'per-gpu',
        };
      });
  },
};
