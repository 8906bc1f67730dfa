import type { Candidate, Catalog, CatalogView, SourceStatus } from '../domain/types.js';

export { createCatalog } from './catalog.js';
export { catalogSourceOverrides } from './fromConfig.js';
export type { CatalogOptions, SourceName, SourceOverride } from './catalog.js';
export {
  canonicalGpuModel,
  canonicalRegion,
  externalProviderRef,
  onchainProviderRef,
  usdToMicros,
} from './normalise.js';

/** A fixed catalog (tests, benchmarks, replays). */
export function createStaticCatalog(candidates: Candidate[], at = Math.floor(Date.now() / 1000)): Catalog {
  const bySource = new Map<string, Candidate[]>();
  for (const c of candidates) bySource.set(c.source, [...(bySource.get(c.source) ?? []), c]);
  const sources = (): SourceStatus[] =>
    [...bySource].map(([source, cs]) => {
      const fetchedAt = Math.min(...cs.map((c) => c.sourceFetchedAt));
      return { source, market: cs[0]!.market, origin: 'snapshot', fetchedAt, ageSec: Math.max(0, at - fetchedAt), candidateCount: cs.length };
    });
  return {
    lookup: async (): Promise<CatalogView> => ({ at, candidates, sources: sources() }),
    sources,
  };
}
