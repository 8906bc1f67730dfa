import { describe, expect, it } from 'vitest';
import { COST_ONLY_WEIGHTS, DEFAULT_WEIGHTS, countExcludedOffers, replay, route, summariseExclusions } from '../../src/engine/index.js';
import { mulberry32, syntheticCandidates, syntheticRequest } from '../../src/engine/synthetic.js';
import { canonicalJson } from '../../src/log/index.js';
import { candidateSchema, jobRequestSchema } from '../../src/domain/schema.js';
import type { Candidate, JobRequest } from '../../src/domain/types.js';
import { externalProviderRef } from '../../src/catalog/index.js';

/** An independent statement of the hard constraints (not the engine's code) to check the engine against. */
function oracleCost(req: JobRequest, c: Candidate): { price: bigint; total: bigint } {
  const gpus = BigInt(req.gpuCount);
  const price =
    c.billing === 'per-instance' ? (c.pricePerGpuHour * BigInt(c.gpuCount) + gpus - 1n) / gpus : c.pricePerGpuHour;
  return { price, total: (price * gpus * BigInt(req.durationSec)) / 3600n };
}

function oracleFeasible(req: JobRequest, c: Candidate): boolean {
  const { price, total } = oracleCost(req, c);
  const regionOk =
    req.regions.length === 0 || req.regions.some((r) => c.region === r || c.region.startsWith(`${r}-`));
  const allow = req.trust.allowList.map((x) => x.toLowerCase());
  const named = allow.includes(c.providerRef) || allow.includes(c.market);
  return (
    (req.allowExternal || c.market === 'onchain') &&
    c.launcher !== null &&
    // A job whose document names no image cannot run on Akash, which deploys only the document's image.
    !(req.workload === null && c.market === 'akash') &&
    (c.stale !== true || named) &&
    !req.excludeProviderRefs.map((r) => r.toLowerCase()).includes(c.providerRef) &&
    (!req.trust.auditedOnly || c.audited) &&
    (allow.length === 0 || allow.includes(c.providerRef) || allow.includes(c.market)) &&
    (req.gpuModels.length === 0 || req.gpuModels.includes(c.gpuModel)) &&
    c.gpuCount >= req.gpuCount &&
    c.vramGb >= req.minVramGb &&
    c.vcpu >= req.minVcpu &&
    c.ramGb >= req.minRamGb &&
    regionOk &&
    c.availableUnits >= 1 &&
    price <= req.maxPricePerGpuHour &&
    (req.budget === null || total <= req.budget) &&
    (req.teamRemainingCap === null || total <= req.teamRemainingCap)
  );
}

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rnd = mulberry32(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const baseRequest: JobRequest = {
  jobId: 1n,
  buyer: '0x00000000000000000000000000000000000000b0',
  teamId: 0,
  gpuModels: [],
  gpuCount: 1,
  minVramGb: 0,
  minVcpu: 0,
  minRamGb: 0,
  regions: [],
  maxPricePerGpuHour: 5_000_000n,
  durationSec: 3600,
  allowExternal: true,
  teamRemainingCap: null,
  budget: null,
  specHash: `0x${'11'.repeat(32)}`,
  trust: { auditedOnly: false, allowList: [] },
  excludeProviderRefs: [],
};

function candidate(id: string, over: Partial<Candidate> = {}): Candidate {
  const market = over.market ?? 'akash';
  return {
    id,
    market,
    providerRef: externalProviderRef(market, id),
    provider: null,
    offerId: 0n,
    externalId: id,
    name: id,
    gpuModel: 'a100',
    gpuCount: 1,
    vramGb: 80,
    vcpu: 16,
    ramGb: 64,
    region: 'us-east',
    pricePerGpuHour: 1_000_000n,
    reliability: 1,
    startLatencySec: 0,
    audited: true,
    availableUnits: 1,
    source: market,
    sourceFetchedAt: 1_790_000_000,
    ...over,
  };
}

describe('engine properties (seeded random catalogs and requests)', { timeout: 60_000 }, () => {
  const CASES = 400;

  it('never picks an infeasible candidate, and ranks exactly the feasible ones', () => {
    let picked = 0;
    for (let seed = 1; seed <= CASES; seed++) {
      const candidates = syntheticCandidates(1 + (seed % 120), seed);
      const req = syntheticRequest(seed, candidates);
      const { ranked, excluded } = route(req, candidates, DEFAULT_WEIGHTS);
      const feasible = candidates.filter((c) => oracleFeasible(req, c));
      expect(ranked.map((s) => s.candidate.id).sort()).toEqual(feasible.map((c) => c.id).sort());
      expect(ranked.length + excluded.length).toBe(candidates.length);
      for (const s of ranked) expect(oracleFeasible(req, s.candidate)).toBe(true);
      for (const e of excluded) expect(e.reasons.length).toBeGreaterThan(0);
      if (ranked[0]) picked++;
    }
    // The generator must produce both outcomes, or the property says little.
    expect(picked).toBeGreaterThan(CASES / 5);
    expect(picked).toBeLessThan(CASES);
  });

  it('picks the cheapest feasible candidate (total cost) when the weights are cost-only', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const candidates = syntheticCandidates(1 + (seed % 80), seed * 7);
      const req = syntheticRequest(seed * 7, candidates);
      const { ranked } = route(req, candidates, COST_ONLY_WEIGHTS);
      const feasible = candidates.filter((c) => oracleFeasible(req, c));
      if (feasible.length === 0) {
        expect(ranked).toHaveLength(0);
        continue;
      }
      const min = feasible.map((c) => oracleCost(req, c).total).reduce((a, b) => (b < a ? b : a));
      expect(ranked[0]!.totalCost).toBe(min);
      // Ranks are sorted by effective cost.
      for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.effectiveCost <= ranked[i]!.effectiveCost).toBe(true);
    }
  });

  it('does not depend on catalog order', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const candidates = syntheticCandidates(60, seed * 13);
      const req = syntheticRequest(seed * 13, candidates);
      const a = route(req, candidates).ranked.map((s) => s.candidate.id);
      const b = route(req, shuffled(candidates, seed)).ranked.map((s) => s.candidate.id);
      expect(b).toEqual(a);
    }
  });

  it('replays a logged decision to the same choice, through canonical JSON and back', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const candidates = syntheticCandidates(80, seed * 31);
      const req = syntheticRequest(seed * 31, candidates);
      const decision = route(req, candidates, DEFAULT_WEIGHTS).ranked[0]?.candidate.id ?? null;
      const json = JSON.parse(canonicalJson({ request: req, candidates, weights: DEFAULT_WEIGHTS })) as {
        request: unknown;
        candidates: unknown[];
        weights: typeof DEFAULT_WEIGHTS;
      };
      const parsed = {
        request: jobRequestSchema.parse(json.request),
        candidates: json.candidates.map((c) => candidateSchema.parse(c)),
        weights: json.weights,
      };
      expect(replay(parsed)).toBe(decision);
    }
  });
});

describe('engine: what it derives once per catalog version', () => {
  it('routes the same catalog again to the same result, and derives an offer changed in place again', () => {
    const cheap = candidate('a', { billing: 'per-instance', gpuCount: 8, pricePerGpuHour: 1_000_000n, reliability: 0.9 });
    const other = candidate('b', { pricePerGpuHour: 2_000_000n });
    const catalog = [cheap, other];
    const first = route(baseRequest, catalog, DEFAULT_WEIGHTS);
    expect(route(baseRequest, catalog, DEFAULT_WEIGHTS)).toEqual(first);
    // Another GPU count over the same catalog: the whole machine spread over the GPUs asked for.
    const four = route({ ...baseRequest, gpuCount: 4, maxPricePerGpuHour: 10_000_000n }, catalog, COST_ONLY_WEIGHTS);
    expect(four.ranked.find((s) => s.candidate.id === 'a')?.pricePerGpuHour).toBe(2_000_000n);
    // The same array and object, its price and reliability changed: the new figures count, not the remembered ones.
    cheap.pricePerGpuHour = 400_000n;
    cheap.reliability = 0.5;
    const again = route({ ...baseRequest, gpuCount: 4, maxPricePerGpuHour: 10_000_000n }, catalog, DEFAULT_WEIGHTS);
    const a = again.ranked.find((s) => s.candidate.id === 'a')!;
    expect(a.pricePerGpuHour).toBe(800_000n);
    expect(a.penalties.reliability).toBe(BigInt(DEFAULT_WEIGHTS.reliabilityBps) * 500_000n);
    // An element replaced in the same array is derived from the new offer.
    catalog[1] = candidate('c', { pricePerGpuHour: 10_000n });
    expect(route(baseRequest, catalog, COST_ONLY_WEIGHTS).ranked[0]?.candidate.id).toBe('c');
  });
});

describe('markets: launchers, freshness, reliability inputs', () => {
  it('never picks a quote-only offer, however cheap, and says why in words', () => {
    const cheap = candidate('lambda-1', { market: 'lambda', launcher: null, pricePerGpuHour: 100_000n });
    const dear = candidate('akash-1', { launcher: 'akash-deployer', pricePerGpuHour: 2_000_000n });
    const r = route(baseRequest, [cheap, dear], COST_ONLY_WEIGHTS);
    expect(r.ranked.map((s) => s.candidate.id)).toEqual(['akash-1']);
    expect(r.excluded).toEqual([
      { candidateId: 'lambda-1', providerRef: cheap.providerRef, market: 'lambda', reasons: [{ constraint: 'launcher', detail: 'no launcher configured for lambda (quote only)' }] },
    ]);
    // Even when the buyer names the market: nothing here can start it.
    const named = route({ ...baseRequest, trust: { auditedOnly: false, allowList: ['lambda'] } }, [cheap], COST_ONLY_WEIGHTS);
    expect(named.ranked).toEqual([]);
  });

  it('never lets a stale quote win unless the buyer names it in the allow-list', () => {
    const stale = candidate('old', { launcher: 'akash-deployer', stale: true, maxAgeSec: 3600, pricePerGpuHour: 100_000n });
    const fresh = candidate('new', { launcher: 'akash-deployer', stale: false, pricePerGpuHour: 900_000n });
    const silent = route(baseRequest, [stale, fresh], COST_ONLY_WEIGHTS);
    expect(silent.ranked[0]?.candidate.id).toBe('new');
    expect(silent.excluded[0]?.reasons).toEqual([{ constraint: 'stale', detail: 'stale quote: akash data older than its 3600 s TTL' }]);
    const chosen = route({ ...baseRequest, trust: { auditedOnly: false, allowList: [stale.providerRef] } }, [stale, fresh], COST_ONLY_WEIGHTS);
    expect(chosen.ranked.map((s) => s.candidate.id)).toEqual(['old']);
  });

  it('counts an offer failing several constraints once', () => {
    const c = candidate('both', { market: 'lambda', launcher: null, gpuModel: 'h100', pricePerGpuHour: 9_000_000n });
    const r = route({ ...baseRequest, gpuModels: ['a100'] }, [c, candidate('ok')]);
    expect(r.excluded[0]?.reasons.map((x) => x.detail)).toEqual([
      'no launcher configured for lambda (quote only)',
      'wrong GPU model (h100, wanted a100)',
      'price above your max (9.000000 > 5.000000 USDC per GPU-hour)',
    ]);
    expect(countExcludedOffers(r.excluded)).toBe(1);
  });

  it('keeps the reliability inputs in the logged candidates and replays to the same choice', () => {
    const a = candidate('a', { launcher: 'provider-agent', reliability: 0.75, reliabilityInputs: { basis: 'subgraph ProviderStats', jobsStarted: 2, onTimeStarts: 2, missedStarts: 0, jobsCompleted: 1, jobsDisputed: 0 } });
    const b = candidate('b', { launcher: 'akash-deployer', reliability: 0.5, reliabilityInputs: { basis: 'Akash Console API uptime7d', uptime7d: 0.5 }, stale: true });
    const c = candidate('c', { market: 'lambda', launcher: null, pricePerGpuHour: 1n, reliability: 0, reliabilityInputs: { basis: 'none published by Lambda' } });
    const commit = route(baseRequest, [a, b, c]).ranked[0]?.candidate.id;
    const json = JSON.parse(canonicalJson({ request: baseRequest, candidates: [a, b, c], weights: DEFAULT_WEIGHTS })) as { request: unknown; candidates: unknown[] };
    const candidates = json.candidates.map((x) => candidateSchema.parse(x));
    expect(candidates[0]?.reliabilityInputs).toEqual(a.reliabilityInputs);
    expect(candidates[2]?.launcher).toBeNull();
    expect(commit).toBe('a');
    expect(replay({ request: jobRequestSchema.parse(json.request), candidates, weights: DEFAULT_WEIGHTS })).toBe(commit);
  });
});

describe('engine rules', () => {
  it('names the constraint that excluded each candidate', () => {
    const req: JobRequest = {
      ...baseRequest,
      gpuModels: ['A100'],
      gpuCount: 2,
      minVramGb: 40,
      minVcpu: 8,
      minRamGb: 32,
      regions: ['us'],
      maxPricePerGpuHour: 2_000_000n,
      durationSec: 10 * 3600,
      budget: 36_000_000n,
      allowExternal: false,
      trust: { auditedOnly: true, allowList: [] },
    };
    const onchain = (id: string, over: Partial<Candidate>) => candidate(id, { market: 'onchain', gpuCount: 2, ...over });
    const cases: Array<[Candidate, string]> = [
      [candidate('ext', { gpuCount: 2 }), 'external'],
      [onchain('model', { gpuModel: 'h100' }), 'gpuModel'],
      [onchain('count', { gpuCount: 1 }), 'gpuCount'],
      [onchain('vram', { vramGb: 24 }), 'vram'],
      [onchain('vcpu', { vcpu: 4 }), 'vcpu'],
      [onchain('ram', { ramGb: 16 }), 'ram'],
      [onchain('region', { region: 'eu-west' }), 'region'],
      [onchain('capacity', { availableUnits: 0 }), 'capacity'],
      [onchain('price', { pricePerGpuHour: 2_100_000n }), 'maxPrice,budget'],
      [onchain('budget', { pricePerGpuHour: 1_900_000n }), 'budget'],
      [onchain('audit', { audited: false }), 'auditedOnly'],
    ];
    const ok = onchain('ok', { pricePerGpuHour: 1_500_000n });
    const { ranked, excluded } = route(req, [...cases.map(([c]) => c), ok]);
    expect(ranked.map((s) => s.candidate.id)).toEqual(['ok']);
    expect(ranked[0]!.totalCost).toBe(30_000_000n); // 1.5 × 2 GPUs × 10 h
    for (const [c, constraint] of cases) {
      const e = excluded.find((x) => x.candidateId === c.id);
      expect(e?.reasons.map((r) => r.constraint), c.id).toEqual(constraint.split(','));
    }
    const byPrice = excluded.find((x) => x.candidateId === 'price')!.reasons[0]!;
    expect(byPrice.detail).toBe('price above your max (2.100000 > 2.000000 USDC per GPU-hour)');
  });

  it('never routes a job whose document names no image to Akash, and says why in words', () => {
    const akash = candidate('akash-cheap', { pricePerGpuHour: 500_000n });
    const onchain = candidate('onchain-dear', { market: 'onchain', pricePerGpuHour: 2_000_000n });
    const { ranked, excluded } = route({ ...baseRequest, workload: null }, [akash, onchain]);
    expect(ranked.map((s) => s.candidate.id)).toEqual(['onchain-dear']);
    const reasons = excluded.find((e) => e.candidateId === 'akash-cheap')!.reasons;
    expect(reasons.map((r) => r.constraint)).toEqual(['image']);
    expect(reasons[0]!.detail).toBe("no container image to deploy: the job document names none, and akash runs only the document's image");
    expect(summariseExclusions(excluded)).toEqual([{ constraint: 'image', count: 1, candidateIds: ['akash-cheap'] }]);
    // With an image (or a draft that does not say) the cheaper Akash offer wins.
    expect(route({ ...baseRequest, workload: { image: 'necto/demo:1' } }, [akash, onchain]).ranked[0]!.candidate.id).toBe('akash-cheap');
    expect(route(baseRequest, [akash, onchain]).ranked[0]!.candidate.id).toBe('akash-cheap');
  });

  it('lists every failing constraint and summarises them when nothing fits', () => {
    const req: JobRequest = { ...baseRequest, gpuModels: ['h100'], maxPricePerGpuHour: 500_000n, teamRemainingCap: 100n };
    const { ranked, excluded } = route(req, [candidate('a'), candidate('b', { gpuModel: 'h100' })]);
    expect(ranked).toHaveLength(0);
    expect(excluded.find((e) => e.candidateId === 'a')!.reasons.map((r) => r.constraint)).toEqual(['gpuModel', 'maxPrice', 'teamCap']);
    const summary = summariseExclusions(excluded);
    expect(summary).toEqual([
      { constraint: 'gpuModel', count: 1, candidateIds: ['a'] },
      { constraint: 'maxPrice', count: 2, candidateIds: ['a', 'b'] },
      { constraint: 'teamCap', count: 2, candidateIds: ['a', 'b'] },
    ]);
  });

  it('applies trust filters: excluded refs and the allow-list (by providerRef or market)', () => {
    const a = candidate('a');
    const b = candidate('b', { market: 'lambda' });
    const c = candidate('c');
    const req: JobRequest = { ...baseRequest, excludeProviderRefs: [a.providerRef], trust: { auditedOnly: false, allowList: [c.providerRef, 'lambda'] } };
    const { ranked, excluded } = route(req, [a, b, c, candidate('d')]);
    expect(ranked.map((s) => s.candidate.id).sort()).toEqual(['b', 'c']);
    expect(excluded.find((e) => e.candidateId === 'a')!.reasons.map((r) => r.constraint)).toEqual(['excludedRef', 'allowList']);
    expect(excluded.find((e) => e.candidateId === 'd')!.reasons.map((r) => r.constraint)).toEqual(['allowList']);
  });

  it('bills per-instance markets for the whole machine', () => {
    const req: JobRequest = { ...baseRequest, gpuCount: 2 };
    const machine = candidate('m', { billing: 'per-instance', gpuCount: 8, pricePerGpuHour: 1_000_000n });
    const [s] = route(req, [machine]).ranked;
    expect(s!.pricePerGpuHour).toBe(4_000_000n); // 8 GPUs' price spread over the 2 requested
    expect(s!.totalCost).toBe(8_000_000n);
  });

  it('uses reliability, latency and region as weighted tie-breakers, then providerRef', () => {
    const req: JobRequest = { ...baseRequest, regions: ['eu-west', 'us-east'] };
    const same = { pricePerGpuHour: 1_000_000n };
    const ids = (cs: Candidate[], w = DEFAULT_WEIGHTS) => route(req, cs, w).ranked.map((s) => s.candidate.id);
    expect(ids([candidate('flaky', { ...same, reliability: 0.9, region: 'eu-west' }), candidate('solid', { ...same, reliability: 0.99, region: 'eu-west' })])).toEqual(['solid', 'flaky']);
    expect(ids([candidate('slow', { ...same, startLatencySec: 3600, region: 'eu-west' }), candidate('fast', { ...same, startLatencySec: 60, region: 'eu-west' })])).toEqual(['fast', 'slow']);
    expect(ids([candidate('second', { ...same, region: 'us-east' }), candidate('first', { ...same, region: 'eu-west' })])).toEqual(['first', 'second']);
    // A 2% cheaper but much less reliable provider loses with the default weights, wins on cost only.
    const cheapFlaky = candidate('cheap', { pricePerGpuHour: 980_000n, reliability: 0.7, region: 'eu-west' });
    const dearSolid = candidate('dear', { ...same, reliability: 1, region: 'eu-west' });
    expect(ids([cheapFlaky, dearSolid])).toEqual(['dear', 'cheap']);
    expect(ids([cheapFlaky, dearSolid], COST_ONLY_WEIGHTS)).toEqual(['cheap', 'dear']);
    // Complete tie: providerRef decides.
    const t1 = candidate('t1', same);
    const t2 = candidate('t2', same);
    const expected = [t1, t2].sort((x, y) => (x.providerRef < y.providerRef ? -1 : 1)).map((c) => c.id);
    expect(ids([t1, t2])).toEqual(expected);
    expect(ids([t2, t1])).toEqual(expected);
  });

  it('rejects weights that are not non-negative integers', () => {
    expect(() => route(baseRequest, [], { reliabilityBps: 0.5, latencyBpsPerHour: 0, regionBpsPerRank: 0 })).toThrow(/weight/);
  });
});

describe('engine speed', { timeout: 60_000 }, () => {
  it('routes 5,000 offers within 20 ms p95 of CPU time', async () => {
    const { benchRoute } = await import('../../bench/route.js');
    const r = benchRoute({ runs: 80, warmup: 20 });
    expect(r.offers).toBe(5_000);
    expect(r.cpuP95Ms).toBeLessThanOrEqual(20);
  });
});
