import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createCatalog } from '../../src/catalog/index.js';
import { canonicalGpuModel, canonicalRegion, externalProviderRef, onchainProviderRef } from '../../src/catalog/normalise.js';
import { candidateSchema } from '../../src/domain/schema.js';
import { json, startServer, type TestServer } from './http.js';

const SNAPSHOTS = fileURLToPath(new URL('../../snapshots/', import.meta.url));
const snapshot = (name: string): unknown => JSON.parse(readFileSync(`${SNAPSHOTS}/${name}`, 'utf8'));
const MANIFEST = (snapshot('manifest.json') as { sources: Record<string, { recordedAt: number }> }).sources;
const RECORDED_AT = MANIFEST.subgraph!.recordedAt;
const VAST_RECORDED_AT = MANIFEST['vast-bundles']!.recordedAt;
const IONET_RECORDED_AT = MANIFEST['ionet-vmaas-hardware']!.recordedAt;

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const offline = { subgraphUrl: '', live: false, ttlMs: 60_000, timeoutMs: 500 };

describe('snapshots', () => {
  it('parse into valid, normalised candidates for every source', async () => {
    const now = (RECORDED_AT + 90) * 1000;
    const view = await createCatalog({ ...offline, now: () => now }).lookup();
    expect(view.sources.map((s) => [s.source, s.origin, s.ageSec])).toEqual([
      ['subgraph', 'snapshot', 90],
      ['akash', 'snapshot', 90],
      ['lambda', 'snapshot', 90],
      ['aws-spot', 'snapshot', 90],
      ['vast', 'snapshot', Math.max(0, RECORDED_AT + 90 - VAST_RECORDED_AT)],
      ['runpod', 'snapshot', Math.max(0, RECORDED_AT + 90 - VAST_RECORDED_AT)],
      ['ionet', 'snapshot', Math.max(0, RECORDED_AT + 90 - IONET_RECORDED_AT)],
    ]);
    const markets = new Set(view.candidates.map((c) => c.market));
    expect([...markets].sort()).toEqual(['akash', 'aws-spot', 'ionet', 'lambda', 'onchain', 'runpod', 'vast']);
    for (const c of view.candidates) {
      expect(() => candidateSchema.parse(c)).not.toThrow();
      expect(c.gpuModel).toBe(canonicalGpuModel(c.gpuModel));
      expect(c.pricePerGpuHour).toBeGreaterThan(0n);
      expect(c.providerRef).toBe(c.market === 'onchain' ? onchainProviderRef(c.provider!) : externalProviderRef(c.market, c.externalId));
    }
    expect(new Set(view.candidates.map((c) => c.id)).size).toBe(view.candidates.length);
  });

  it('normalises each market to USDC micros per GPU-hour', async () => {
    const view = await createCatalog(offline).lookup();
    const byId = new Map(view.candidates.map((c) => [c.id, c]));
    // Lambda: 1432 cents per hour for 8 GPUs → $1.79 per GPU-hour, billed per instance.
    expect(byId.get('lambda:gpu_8x_a100_80gb_sxm4@us-west-2')).toMatchObject({ pricePerGpuHour: 1_790_000n, gpuCount: 8, vramGb: 80, region: 'us-west', billing: 'per-instance' });
    // AWS Spot: latest p5.48xlarge price in us-east-1a ($31.464 / 8 GPUs).
    expect(byId.get('aws-spot:p5.48xlarge@us-east-1a')).toMatchObject({ pricePerGpuHour: 3_933_000n, gpuModel: 'h100', region: 'us-east' });
    // Akash: the network's median H100 SXM5 bid ($1.66), 7-day uptime as reliability.
    const akash = byId.get('akash:akash1ccktptfkvdc67msasmesuy5m7gpc76z75kukpz:h100-80gi-sxm5')!;
    expect(akash).toMatchObject({ pricePerGpuHour: 1_660_000n, reliability: 0.998, audited: true, region: 'eu-central', vramGb: 80 });
    // On-chain: price as listed, providerRef = bytes32(uint160(provider)).
    expect(byId.get('onchain:1')).toMatchObject({ pricePerGpuHour: 2_050_000n, gpuModel: 'h100', offerId: 1n });
    // A model without a price (no bids) is not offered.
    expect(view.candidates.some((c) => c.gpuModel === 'rtx3090' && c.market === 'akash')).toBe(false);
  });

  it('uses one vocabulary for GPU models and regions', () => {
    expect(['NVIDIA A100-SXM4-80GB', 'A100 (80 GB SXM4)', 'a100'].map(canonicalGpuModel)).toEqual(['a100', 'a100', 'a100']);
    expect(['RTX 4090', 'rtx4090', 'GeForce RTX 4090'].map(canonicalGpuModel)).toEqual(['rtx4090', 'rtx4090', 'rtx4090']);
    expect(['us-east-1', 'na-us-east', 'europe-central-1', 'ap-southeast-1'].map(canonicalRegion)).toEqual(['us-east', 'us-east', 'eu-central', 'asia-southeast']);
  });
});

describe('live refresh', () => {
  const gpuPrices = snapshot('akash-gpu-prices.json') as { models: Array<{ model: string; interface: string; price: { med: number } | null }> };
  const cheaperH100 = structuredClone(gpuPrices);
  for (const m of cheaperH100.models) if (m.model === 'h100' && m.price) m.price.med = 1.23;

  function akashServer(delayMs = 0, status = 200, body: unknown = cheaperH100) {
    return startServer({
      '/v1/providers': (_req, _body, res) => json(res, snapshot('akash-providers.json')),
      '/v1/gpu-prices': async (_req, _body, res) => {
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        json(res, body, status);
      },
    });
  }

  const liveAkashOnly = (url: string, extra: object = {}) => ({
    ...offline,
    live: true,
    timeoutMs: 300,
    sources: { akash: { url }, lambda: { enabled: false }, 'aws-spot': { enabled: false }, subgraph: { enabled: false }, vast: { enabled: false }, runpod: { enabled: false }, ionet: { enabled: false } },
    ...extra,
  });

  it('replaces the snapshot with live data and reports its age', async () => {
    server = await akashServer();
    let now = 2_000_000_000_000;
    const catalog = createCatalog({ ...liveAkashOnly(server.url), now: () => now });
    const view = await catalog.lookup();
    expect(view.sources[0]).toMatchObject({ source: 'akash', origin: 'live', ageSec: 0 });
    expect(view.sources[0]!.error).toBeUndefined();
    const h100 = view.candidates.filter((c) => c.gpuModel === 'h100');
    expect(h100.length).toBeGreaterThan(0);
    for (const c of h100) expect(c.pricePerGpuHour).toBe(1_230_000n);
    now += 30_000;
    expect(catalog.sources()[0]!.ageSec).toBe(30);
  });

  it('honours the TTL: no refetch inside it, a refetch after it', async () => {
    server = await akashServer();
    let now = 2_000_000_000_000;
    const catalog = createCatalog({ ...liveAkashOnly(server.url, { ttlMs: 10_000 }), now: () => now });
    await catalog.lookup();
    now += 5_000;
    await catalog.lookup();
    expect(server.hits.get('/v1/gpu-prices')).toBe(1);
    now += 6_000;
    await catalog.lookup();
    expect(server.hits.get('/v1/gpu-prices')).toBe(2);
  });

  it('falls back to the snapshot on a timeout', async () => {
    server = await akashServer(2_000);
    const started = Date.now();
    const view = await createCatalog(liveAkashOnly(server.url)).lookup();
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(view.sources[0]).toMatchObject({ origin: 'snapshot', error: 'timeout after 300 ms' });
    expect(view.candidates.find((c) => c.gpuModel === 'h100')!.pricePerGpuHour).toBe(1_660_000n);
  });

  it('falls back to the snapshot on an HTTP error and on a response of the wrong shape', async () => {
    server = await akashServer(0, 503);
    let view = await createCatalog(liveAkashOnly(server.url)).lookup();
    expect(view.sources[0]).toMatchObject({ origin: 'snapshot', error: 'akash: HTTP 503' });
    expect(view.candidates.length).toBeGreaterThan(0);
    await server.close();

    server = await akashServer(0, 200, { models: 'nope' });
    view = await createCatalog(liveAkashOnly(server.url)).lookup();
    expect(view.sources[0]!.origin).toBe('snapshot');
    expect(view.sources[0]!.error).toMatch(/^unexpected response shape at /);
  });

  it('falls back to the snapshot when the host is unreachable', async () => {
    const view = await createCatalog(liveAkashOnly('http://127.0.0.1:9')).lookup();
    expect(view.sources[0]!.origin).toBe('snapshot');
    expect(view.sources[0]!.error).toBeDefined();
  });

  it('keeps the last good live data when a later refresh fails', async () => {
    let fail = false;
    server = await startServer({
      '/v1/providers': (_req, _b, res) => (fail ? json(res, {}, 500) : json(res, snapshot('akash-providers.json'))),
      '/v1/gpu-prices': (_req, _b, res) => json(res, cheaperH100),
    });
    let now = 2_000_000_000_000;
    const catalog = createCatalog({ ...liveAkashOnly(server.url, { ttlMs: 1_000 }), now: () => now });
    await catalog.lookup();
    fail = true;
    now += 2_000;
    const view = await catalog.lookup();
    expect(view.sources[0]).toMatchObject({ origin: 'live', ageSec: 2, error: 'akash: HTTP 500' });
    expect(view.candidates.find((c) => c.gpuModel === 'h100')!.pricePerGpuHour).toBe(1_230_000n);
  });

  it('queries the subgraph with GraphQL (paged) and serves no snapshot providers when a subgraph is configured', async () => {
    const subgraph = snapshot('subgraph.json') as { data: { offers: Array<Record<string, unknown>> } };
    const offers = subgraph.data.offers.slice(0, 2);
    server = await startServer({ '/subgraphs/name/necto': (_req, _body, res) => json(res, { data: { offers } }) });
    const catalog = createCatalog({ subgraphUrl: `${server.url}/subgraphs/name/necto`, live: false, ttlMs: 60_000, timeoutMs: 500 });
    const view = await catalog.lookup();
    const onchain = view.candidates.filter((c) => c.market === 'onchain');
    expect(onchain.map((c) => c.id)).toEqual(['onchain:1', 'onchain:2']);
    expect(view.sources.find((s) => s.source === 'subgraph')).toMatchObject({ origin: 'live' });
    const body = server.bodies[0] as { query: string; variables: { first: number; lastId: string } };
    expect(body.query).toContain('provider_: { status: ACTIVE }');
    expect(body.variables).toEqual({ first: 1000, lastId: '' });
    // External markets stay on their snapshots (live: false).
    expect(view.sources.find((s) => s.source === 'akash')!.origin).toBe('snapshot');
  });

  it('shows a live-only source that never answered with no data and age -1', async () => {
    const catalog = createCatalog({ subgraphUrl: 'http://127.0.0.1:9/graphql', live: false, ttlMs: 60_000, timeoutMs: 300 });
    const view = await catalog.lookup();
    expect(view.sources.find((s) => s.source === 'subgraph')).toMatchObject({ candidateCount: 0, ageSec: -1 });
    expect(view.candidates.some((c) => c.market === 'onchain')).toBe(false);
  });

  it('does not try Lambda live without an API key, and sends the key as a bearer token when given', async () => {
    let auth: string | undefined;
    server = await startServer({
      '/api/v1/instance-types': (req, _b, res) => {
        auth = req.headers.authorization;
        json(res, snapshot('lambda-instance-types.json'));
      },
    });
    const base = { ...offline, live: true, sources: { akash: { enabled: false }, 'aws-spot': { enabled: false }, subgraph: { enabled: false } } } as const;
    const noKey = await createCatalog({ ...base, sources: { ...base.sources, lambda: { url: `${server.url}/api/v1/instance-types` } } }).lookup();
    expect(noKey.sources[0]).toMatchObject({ origin: 'snapshot', error: 'live refresh off: no API key configured' });
    expect(server.hits.size).toBe(0);
    const withKey = await createCatalog({ ...base, sources: { ...base.sources, lambda: { url: `${server.url}/api/v1/instance-types`, apiKey: 'secret_abc' } } }).lookup();
    expect(withKey.sources[0]).toMatchObject({ origin: 'live' });
    expect(auth).toBe('Bearer secret_abc');
    expect(JSON.stringify(withKey.sources)).not.toContain('secret_abc');
  });
});

describe('markets: launchers and freshness', () => {
  it('stamps each offer with its launcher or none (quote only), its TTL and whether it is stale', async () => {
    let now = (RECORDED_AT + 60) * 1000;
    const catalog = createCatalog({ ...offline, now: () => now, launchers: { onchain: 'provider-agent', akash: 'akash-deployer' } });
    let view = await catalog.lookup();
    const first = (market: string) => view.candidates.find((c) => c.market === market)!;
    expect(first('onchain')).toMatchObject({ launcher: 'provider-agent', stale: false, maxAgeSec: 300 });
    expect(first('akash')).toMatchObject({ launcher: 'akash-deployer', stale: false, maxAgeSec: 3600 });
    expect(first('lambda')).toMatchObject({ launcher: null, stale: false });
    expect(view.sources.find((s) => s.source === 'lambda')).toMatchObject({ launcher: null, stale: false, maxAgeSec: 3600 });
    now = (RECORDED_AT + 3601) * 1000;
    view = await catalog.lookup();
    expect(first('akash').stale).toBe(true);
    expect(first('onchain').stale).toBe(true);
    expect(view.sources.find((s) => s.source === 'akash')).toMatchObject({ stale: true, ageSec: 3601 });
  });

  it('reads on-chain providers\' liveness: offline ones have no unit now, unknown ones stay, figures recorded', async () => {
    const now = (RECORDED_AT + 60) * 1000;
    const seen = new Map<string, { online: boolean; lastSeen: number | null }>();
    const catalog = createCatalog({ ...offline, now: () => now, liveness: (p) => seen.get(p) ?? { online: false, lastSeen: null } });
    const onchain = (await catalog.lookup()).candidates.filter((c) => c.market === 'onchain');
    const [a, b] = [onchain[0]!, onchain.find((c) => c.provider !== onchain[0]!.provider)!];
    expect(a.availableUnits).toBeGreaterThan(0);
    expect(a.reliabilityInputs).toMatchObject({ online: null, lastSeen: null, jobsStarted: expect.any(Number) });
    seen.set(a.provider!, { online: false, lastSeen: RECORDED_AT - 600 });
    seen.set(b.provider!, { online: true, lastSeen: RECORDED_AT + 50 });
    const view = await catalog.lookup();
    const byId = new Map(view.candidates.map((c) => [c.id, c]));
    expect(byId.get(a.id)).toMatchObject({ availableUnits: 0, reliabilityInputs: { online: false, lastSeen: RECORDED_AT - 600 } });
    expect(byId.get(b.id)).toMatchObject({ availableUnits: b.availableUnits, reliabilityInputs: { online: true, lastSeen: RECORDED_AT + 50 } });
  });

  it('takes one TTL for every source from the options, a per-source one winning', async () => {
    const now = (RECORDED_AT + 7200) * 1000;
    const view = await createCatalog({ ...offline, now: () => now, maxAgeSec: 10_000, sources: { lambda: { maxAgeSec: 60 } } }).lookup();
    expect(view.candidates.find((c) => c.market === 'akash')).toMatchObject({ stale: false, maxAgeSec: 10_000 });
    expect(view.candidates.find((c) => c.market === 'lambda')).toMatchObject({ stale: true, maxAgeSec: 60 });
  });

  it('takes a per-source TTL from the options', async () => {
    const now = (RECORDED_AT + 120) * 1000;
    const view = await createCatalog({ ...offline, now: () => now, sources: { akash: { maxAgeSec: 60 } } }).lookup();
    expect(view.candidates.find((c) => c.market === 'akash')!.stale).toBe(true);
    expect(view.candidates.find((c) => c.market === 'lambda')!.stale).toBe(false);
  });
});

describe('Vast.ai', () => {
  const only = (url: string, extra: object = {}) => ({
    ...offline,
    live: true,
    timeoutMs: 300,
    sources: { vast: { url }, akash: { enabled: false }, lambda: { enabled: false }, 'aws-spot': { enabled: false }, subgraph: { enabled: false }, runpod: { enabled: false }, ionet: { enabled: false } },
    ...extra,
  });

  it('normalises its recorded bundles: per-offer machines billed whole, region from the country, reliability2', async () => {
    const view = await createCatalog(offline).lookup();
    const byId = new Map(view.candidates.filter((c) => c.market === 'vast').map((c) => [c.id, c]));
    expect(byId.size).toBe(6);
    // 4× RTX 4090 at $1.512/h → $0.378 per GPU-hour, the machine rented whole.
    expect(byId.get('vast:14812044')).toMatchObject({
      gpuModel: 'rtx4090', gpuCount: 4, vramGb: 24, vcpu: 48, ramGb: 251, region: 'ca-central',
      pricePerGpuHour: 378_000n, billing: 'per-instance', reliability: 0.987, audited: true,
      reliabilityInputs: { basis: 'Vast.ai reliability2', reliability2: 0.9871, verified: true },
    });
    expect(byId.get('vast:14799310')).toMatchObject({ gpuModel: 'h100', gpuCount: 8, region: 'eu-north', pricePerGpuHour: 2_400_000n });
    expect(byId.get('vast:14790012')).toMatchObject({ gpuModel: 'a100', vramGb: 80, region: 'eu-central' });
    expect(byId.get('vast:14811588')).toMatchObject({ gpuModel: 'a6000', region: 'unknown', audited: false });
  });

  it('searches live with its query and falls back to the snapshot on a timeout, a 5xx or a malformed body, with the error shown', async () => {
    let mode: 'ok' | 'slow' | '503' | 'bad' = 'ok';
    const live = structuredClone(snapshot('vast-bundles.json')) as { offers: Array<{ dph_total: number }> };
    live.offers[0]!.dph_total = 0.2;
    let query = '';
    server = await startServer({
      '/api/v0/bundles/': async (req, _b, res) => {
        query = new URL(req.url ?? '/', 'http://x').searchParams.get('q') ?? '';
        if (mode === 'slow') await new Promise((r) => setTimeout(r, 1_000));
        if (mode === '503') return json(res, { error: 'busy' }, 503);
        json(res, mode === 'bad' ? { offers: [{ id: 'x' }] } : live);
      },
    });
    const url = `${server.url}/api/v0/bundles/`;
    let view = await createCatalog(only(url)).lookup();
    expect(view.sources[0]).toMatchObject({ source: 'vast', origin: 'live' });
    expect(JSON.parse(query)).toMatchObject({ verified: { eq: true }, rentable: { eq: true }, type: 'on-demand' });
    expect(view.candidates.find((c) => c.id === 'vast:14810231')!.pricePerGpuHour).toBe(200_000n);

    for (const [m, error] of [['slow', 'timeout after 300 ms'], ['503', 'vast: HTTP 503'], ['bad', /^unexpected response shape at offers\.0\./]] as const) {
      mode = m;
      view = await createCatalog(only(url)).lookup();
      expect(view.sources[0]!.origin, m).toBe('snapshot');
      if (typeof error === 'string') expect(view.sources[0]!.error, m).toBe(error);
      else expect(view.sources[0]!.error, m).toMatch(error);
      expect(view.candidates.find((c) => c.id === 'vast:14810231')!.pricePerGpuHour, m).toBe(346_700n);
    }
  });
});

describe('io.net', () => {
  const only = (url: string, apiKey?: string) => ({
    ...offline,
    live: true,
    timeoutMs: 300,
    sources: {
      ionet: { url, ...(apiKey ? { apiKey } : {}) },
      akash: { enabled: false }, lambda: { enabled: false }, 'aws-spot': { enabled: false }, subgraph: { enabled: false }, vast: { enabled: false }, runpod: { enabled: false },
    },
  });

  it('normalises its recorded hardware list: one VM per item billed whole, region from the location, sold out = no capacity', async () => {
    const view = await createCatalog(offline).lookup();
    const byId = new Map(view.candidates.filter((c) => c.market === 'ionet').map((c) => [c.id, c]));
    expect(byId.size).toBe(6);
    // 8× H100 at $19.60/h → $2.45 per GPU-hour.
    expect(byId.get('ionet:H100_sxm5x8__US')).toMatchObject({
      gpuModel: 'h100', gpuCount: 8, vramGb: 80, vcpu: 192, ramGb: 2000, region: 'us-central',
      pricePerGpuHour: 2_450_000n, billing: 'per-instance', availableUnits: 1, reliability: 0,
      reliabilityInputs: { basis: 'none published by io.net', supplier: 'external' },
    });
    expect(byId.get('ionet:12__2')).toMatchObject({ gpuModel: 'rtx4090', gpuCount: 2, pricePerGpuHour: 300_000n });
    expect(byId.get('ionet:B200_sxm6x8__AU')).toMatchObject({ gpuModel: 'b200', region: 'oceania' });
    expect(byId.get('ionet:A100_sxm4x8__DE')).toMatchObject({ gpuModel: 'a100', region: 'eu-central', availableUnits: 0 });
    expect(view.sources.find((s) => s.source === 'ionet')).toMatchObject({ market: 'ionet', origin: 'snapshot', launcher: null });
  });

  it('reads the list live (the key, when set, as x-api-key) and falls back to the snapshot on a timeout, a 5xx or a malformed body, with the error shown', async () => {
    let mode: 'ok' | 'slow' | '502' | 'bad' = 'ok';
    const live = structuredClone(snapshot('ionet-vmaas-hardware.json')) as { data: { hardware: Array<{ id: string; price: number }> } };
    live.data.hardware.find((h) => h.id === '12__1')!.price = 0.25;
    let key: string | undefined;
    server = await startServer({
      '/enterprise/v1/io-cloud/vmaas/hardware': async (req, _b, res) => {
        key = req.headers['x-api-key'] as string | undefined;
        if (mode === 'slow') await new Promise((r) => setTimeout(r, 1_000));
        if (mode === '502') return json(res, { detail: 'bad gateway' }, 502);
        json(res, mode === 'bad' ? { data: { hardware: [{ id: 'x', price: 'free' }] } } : live);
      },
    });
    const url = `${server.url}/enterprise/v1/io-cloud/vmaas/hardware`;
    let view = await createCatalog(only(url)).lookup();
    expect(view.sources[0]).toMatchObject({ source: 'ionet', origin: 'live' });
    expect(view.sources[0]!.error).toBeUndefined();
    expect(key).toBeUndefined();
    expect(view.candidates.find((c) => c.id === 'ionet:12__1')!.pricePerGpuHour).toBe(250_000n);
    await createCatalog(only(url, 'io-key')).lookup();
    expect(key).toBe('io-key');

    for (const [m, error] of [['slow', 'timeout after 300 ms'], ['502', 'ionet: HTTP 502'], ['bad', /^unexpected response shape at data\.hardware\.0\./]] as const) {
      mode = m;
      view = await createCatalog(only(url)).lookup();
      expect(view.sources[0]!.origin, m).toBe('snapshot');
      if (typeof error === 'string') expect(view.sources[0]!.error, m).toBe(error);
      else expect(view.sources[0]!.error, m).toMatch(error);
      expect(view.candidates.find((c) => c.id === 'ionet:12__1')!.pricePerGpuHour, m).toBe(300_000n);
    }
  });
});

describe('RunPod', () => {
  const only = (url: string, apiKey?: string) => ({
    ...offline,
    live: true,
    timeoutMs: 300,
    sources: { runpod: { url, ...(apiKey ? { apiKey } : {}) }, akash: { enabled: false }, lambda: { enabled: false }, 'aws-spot': { enabled: false }, subgraph: { enabled: false }, vast: { enabled: false }, ionet: { enabled: false } },
  });

  it('normalises its recorded gpuTypes: on-demand price per GPU, no region, no reliability figure', async () => {
    const view = await createCatalog(offline).lookup();
    const byId = new Map(view.candidates.filter((c) => c.market === 'runpod').map((c) => [c.id, c]));
    expect([...byId.keys()].sort()).toEqual([
      'runpod:nvidia-a100-80gb-pcie', 'runpod:nvidia-a100-sxm4-80gb', 'runpod:nvidia-geforce-rtx-4090',
      'runpod:nvidia-h100-80gb-hbm3', 'runpod:nvidia-l40s', 'runpod:nvidia-rtx-a6000',
    ]);
    expect(byId.get('runpod:nvidia-h100-80gb-hbm3')).toMatchObject({
      gpuModel: 'h100', gpuCount: 8, vramGb: 80, vcpu: 160, ramGb: 1000, region: 'unknown', pricePerGpuHour: 2_690_000n,
      billing: 'per-gpu', reliability: 0, availableUnits: 1, reliabilityInputs: { basis: 'none published by RunPod', stockStatus: 'High' },
    });
    // No stock: shown, no unit available.
    expect(byId.get('runpod:nvidia-l40s')).toMatchObject({ gpuModel: 'l40s', availableUnits: 0 });
  });

  it('needs an API key for live prices; with one it posts the GraphQL query and reports GraphQL errors', async () => {
    let answer: unknown = snapshot('runpod-gpu-types.json');
    let auth = '';
    server = await startServer({
      '/graphql': (req, _b, res) => {
        auth = req.headers.authorization ?? '';
        json(res, answer);
      },
    });
    let view = await createCatalog(only(`${server.url}/graphql`)).lookup();
    expect(view.sources[0]).toMatchObject({ origin: 'snapshot', error: 'live refresh off: no API key configured' });
    expect(server.hits.get('/graphql')).toBeUndefined();

    view = await createCatalog(only(`${server.url}/graphql`, 'rp-secret')).lookup();
    expect(view.sources[0]).toMatchObject({ origin: 'live' });
    expect(auth).toBe('Bearer rp-secret');
    expect((server.bodies.at(-1) as { query: string }).query).toContain('lowestPrice(input: { gpuCount: 1 })');

    answer = { errors: [{ message: 'Unauthorized' }] };
    view = await createCatalog(only(`${server.url}/graphql`, 'rp-secret')).lookup();
    expect(view.sources[0]).toMatchObject({ origin: 'snapshot', error: 'runpod: Unauthorized' });
    expect(JSON.stringify(view.sources)).not.toContain('rp-secret');
  });
});

describe('io.net containers (CaaS, with a key)', () => {
  const CAAS_RECORDED_AT = MANIFEST['ionet-caas-prices']!.recordedAt;
  const only = (url: string, apiKey?: string) => ({
    ...offline,
    live: true,
    timeoutMs: 300,
    now: () => (CAAS_RECORDED_AT + 60) * 1000,
    sources: {
      'ionet-caas': { url, ...(apiKey ? { apiKey } : {}) },
      akash: { enabled: false }, lambda: { enabled: false }, 'aws-spot': { enabled: false }, subgraph: { enabled: false }, vast: { enabled: false }, runpod: { enabled: false }, ionet: { enabled: false },
    },
  });
  const recorded = snapshot('ionet-caas-prices.json') as {
    hardware: unknown;
    replicas: Record<string, unknown>;
    prices: Record<string, { data: { total_cost_usdc: number } }>;
  };

  it('is not read (nor served) without a key', async () => {
    const view = await createCatalog(only('http://127.0.0.1:9')).lookup();
    expect(view.sources.map((s) => s.source)).toEqual([]);
    // Without a key the catalog's io.net offers are the VM prices alone.
    const all = await createCatalog(offline).lookup();
    expect(all.sources.map((s) => s.source)).not.toContain('ionet-caas');
  });

  it('prices one GPU-hour per hardware type where a replica is free, sending the key only as x-api-key', async () => {
    const seen: Array<{ path: string; query: URLSearchParams; key: string | undefined }> = [];
    server = await startServer({
      '/caas/*': (req, _body, res) => {
        const u = new URL(req.url ?? '/', 'http://x');
        seen.push({ path: u.pathname, query: u.searchParams, key: req.headers['x-api-key'] as string | undefined });
        if (u.pathname === '/caas/hardware/max-gpus-per-container') return json(res, recorded.hardware);
        if (u.pathname === '/caas/available-replicas') return json(res, recorded.replicas[u.searchParams.get('hardware_id')!]);
        if (u.pathname === '/caas/price') {
          const p = structuredClone(recorded.prices[u.searchParams.get('hardware_id')!]!);
          p.data.total_cost_usdc += 0.01; // live differs from the recording
          return json(res, p);
        }
        res.writeHead(404).end();
      },
    });
    const catalog = createCatalog(only(`${server.url}/caas`, 'caas-secret-key'));
    await catalog.refresh();
    const view = await catalog.lookup();
    expect(view.sources[0]).toMatchObject({ source: 'ionet-caas', market: 'ionet', origin: 'live', launcher: null });
    expect(view.sources[0]!.error).toBeUndefined();
    const byId = new Map(view.candidates.map((c) => [c.id, c]));
    // H100: priced in the location with the most free replicas (the US, 4), per GPU.
    expect(byId.get('ionet-caas:203@1')).toMatchObject({ gpuModel: 'h100', gpuCount: 8, region: 'us-central', billing: 'per-gpu', pricePerGpuHour: 2_250_000n, availableUnits: 4, reliability: 0 });
    expect(byId.get('ionet-caas:141@24')).toMatchObject({ gpuModel: 'rtx4090', region: 'asia-southeast', pricePerGpuHour: 380_000n });
    // No free replica (A100) or none available at all (H200): not offered.
    expect([...byId.keys()].sort()).toEqual(['ionet-caas:141@24', 'ionet-caas:203@1']);
    expect(seen.every((s) => s.key === 'caas-secret-key')).toBe(true);
    expect(seen.some((s) => [...s.query.values()].some((v) => v.includes('caas-secret')))).toBe(false);
    const price = seen.find((s) => s.path === '/caas/price' && s.query.get('hardware_id') === '203')!;
    expect(Object.fromEntries(price.query)).toEqual({ location_ids: '[1]', hardware_id: '203', duration_hours: '1', gpus_per_container: '1', replica_count: '1', currency: 'usdc' });
    // H200 has none available: its replicas and price are not asked for.
    expect(seen.some((s) => s.query.get('hardware_id') === '230')).toBe(false);
    expect(JSON.stringify(view, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain('caas-secret');
  });

  it('falls back to the recorded prices on a timeout, a 5xx or a malformed body, with the error shown', async () => {
    let mode: 'slow' | '502' | 'bad' = 'slow';
    server = await startServer({
      '/caas/*': async (req, _body, res) => {
        const u = new URL(req.url ?? '/', 'http://x');
        if (mode === 'slow') await new Promise((r) => setTimeout(r, 1_000));
        if (mode === '502') return json(res, { detail: 'upstream' }, 502);
        if (u.pathname === '/caas/hardware/max-gpus-per-container') return json(res, recorded.hardware);
        if (u.pathname === '/caas/available-replicas') return json(res, recorded.replicas[u.searchParams.get('hardware_id')!]);
        return json(res, { data: { total_cost_usdc: 'two dollars' } });
      },
    });
    for (const [m, error] of [['slow', 'timeout after 300 ms'], ['502', 'ionet-caas: HTTP 502'], ['bad', /^unexpected response shape at data\.total_cost_usdc/]] as const) {
      mode = m;
      const catalog = createCatalog(only(`${server.url}/caas`, 'caas-secret-key'));
      await catalog.refresh();
      const view = await catalog.lookup();
      expect(view.sources[0], m).toMatchObject({ source: 'ionet-caas', origin: 'snapshot', fetchedAt: CAAS_RECORDED_AT });
      expect(view.sources[0]!.error, m).toMatch(error);
      expect(view.candidates.find((c) => c.id === 'ionet-caas:203@1')!.pricePerGpuHour, m).toBe(2_240_000n);
    }
  });
});
