import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createCatalog } from '../../src/catalog/index.js';
import { canonicalGpuModel, canonicalRegion, externalProviderRef, onchainProviderRef } from '../../src/catalog/normalise.js';
import { candidateSchema } from '../../src/domain/schema.js';
import { json, startServer, type TestServer } from './http.js';

const SNAPSHOTS = fileURLToPath(new URL('../../snapshots/', import.meta.url));
const snapshot = (name: string): unknown => JSON.parse(readFileSync(`${SNAPSHOTS}/${name}`, 'utf8'));
const RECORDED_AT = (snapshot('manifest.json') as { sources: Record<string, { recordedAt: number }> }).sources.subgraph!.recordedAt;

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
    ]);
    const markets = new Set(view.candidates.map((c) => c.market));
    expect([...markets].sort()).toEqual(['akash', 'aws-spot', 'lambda', 'onchain']);
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
    sources: { akash: { url }, lambda: { enabled: false }, 'aws-spot': { enabled: false }, subgraph: { enabled: false } },
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
