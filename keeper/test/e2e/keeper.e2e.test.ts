// The whole keeper in one process against anvil: the real brain (snapshot catalog, local model, local log
// store), the chain intake and the HTTP API, driven like the dApp drives it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { decisionViewSchema, quoteSchema, reasoningLogSchema, stepEventSchema } from '../../src/domain/index.js';
import { createKeeperCore } from '../../src/services/keeper.js';
import { specHashOfText } from '../../src/domain/job-document.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { canonicalJson, createCatalog, createLogStore, createRouter } from '../../src/routing/index.js';
import { startDeployedAnvil, type DeployedAnvil } from '../chain/anvil.js';
import { tempDir, waitFor } from '../chain/harness.js';
import { buyer } from '../chain/market.js';
import { SNAPSHOT_DEPLOYMENT } from '../catalog/snapshot-deployment.js';

describe('keeper end to end (anvil, real router)', () => {
  let anvil: DeployedAnvil;
  let core: ReturnType<typeof createKeeperCore>;
  let app: ReturnType<typeof createApp>;
  let b: ReturnType<typeof buyer>;

  beforeAll(async () => {
    anvil = await startDeployedAnvil();
    b = buyer(anvil.url, anvil.deployment);
    await b.fund();
    const dataDir = tempDir();
    const config = loadConfig(
      { RPC_URL: anvil.url, DATA_DIR: dataDir, POLL_INTERVAL_MS: '100', SUBGRAPH_URL: 'http://127.0.0.1:9/subgraphs/name/necto', ADMIN_TOKEN: 'e2e-admin-token-0123456789' },
      { deployment: anvil.deployment },
    );
    const metrics = createMetrics();
    const logStore = createLogStore(config.logStore);
    const catalog = createCatalog({ subgraphUrl: '', live: false, ttlMs: 60_000, timeoutMs: 1_000, ...SNAPSHOT_DEPLOYMENT });
    const router = createRouter({ catalog, model: 'local', logStore });
    core = createKeeperCore({ config, router, logStore, logger: silentLogger, metrics });
    app = createApp({ settings: config.http, logger: silentLogger, metrics, quote: (r) => router.quote(r), ...core.services });
    core.start();
  }, 180_000);
  afterAll(async () => {
    await core?.stop();
    await anvil?.stop();
  });

  it('quotes, routes a tracked job, streams the thinking, serves and verifies the log', async () => {
    const quote = await app.request('/quote', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ gpuModels: ['a100'], gpuCount: 1, minVramGb: 24, maxPricePerGpuHour: '3000000', durationSec: 3600 }),
    });
    expect(quote.status).toBe(200);
    // The answers parse with the wire schemas the dApp uses (@necto/keeper/domain).
    const q = quoteSchema.parse(await quote.json());
    expect(q.best).not.toBeNull();
    expect(q.sources.length).toBeGreaterThan(0);

    const { jobId } = await b.submit({ gpuModels: ['a100'] });
    const stream = await app.request(`/jobs/${jobId}/steps`);
    const text = await stream.text();
    expect(text).toMatch(/event: step/);
    expect(text).toMatch(/event: decision/);
    const stepData = [...text.matchAll(/event: step\ndata: (.*)\n/g)].map((m) => stepEventSchema.parse(JSON.parse(m[1]!)));
    expect(stepData.length).toBeGreaterThan(0);

    await waitFor(async () => (await b.commits(jobId)).length === 1, 'the commit');
    const [commit] = await b.commits(jobId);
    expect(BigInt(q.best!.pricePerGpuHour)).toBe(BigInt(commit!.pricePerGpuHour!));

    const decision = decisionViewSchema.parse(await (await app.request(`/jobs/${jobId}/decision`)).json());
    expect(decision).toMatchObject({ status: 'committed', logRoot: commit!.logRoot });

    const logRes = await app.request(`/logs/${commit!.logRoot}`);
    expect(logRes.headers.get('content-type')).toMatch(/^application\/json/);
    const log = reasoningLogSchema.parse(await logRes.json());
    expect(log.schema).toBe('necto.reasoning-log/1');
    const verify = (await (await app.request(`/logs/${commit!.logRoot}/verify`)).json()) as { verified: boolean };
    expect(verify.verified).toBe(true);

    if (commit!.market === 'akash') {
      // The tracked job's published document names the image: the SDL runs exactly that image (never a default
      // one), and the committed sdlHash is the hash served with it.
      const sdl = await app.request(`/jobs/${jobId}/sdl`);
      expect(sdl.status).toBe(200);
      expect(await sdl.text()).toContain('necto/demo:1');
      expect(sdl.headers.get('x-sdl-hash')).toBe(commit!.sdlHash);
      expect(commit!.sdlHash).not.toBe(`0x${'0'.repeat(64)}`);
    }
  }, 60_000);

  it('routes an untracked job after POST /jobs/:id/spec', async () => {
    const document = { gpuModels: ['h100'], regions: [], minVramGb: 80, image: 'ghcr.io/acme/llm:2' };
    const { jobId } = await b.submit({ tracked: false, specHash: specHashOfText(canonicalJson(document)), maxPrice: 5_000_000n });
    await waitFor(() => core.book.get(jobId), 'the job');
    const wrong = await app.request(`/jobs/${jobId}/spec`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ document: { ...document, minVramGb: 40 } }) });
    expect(wrong.status).toBe(422);
    const ok = await app.request(`/jobs/${jobId}/spec`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ document }) });
    expect(ok.status).toBe(202);
    await waitFor(async () => (await b.commits(jobId)).length === 1, 'the commit');
    // The commit is on-chain a moment before the keeper's receipt poll has seen it and recorded the round.
    await waitFor(() => core.activity.lastDecision(jobId), 'the keeper to record its commit');
    const [commit] = await b.commits(jobId);
    if (commit!.market === 'akash') {
      const sdl = await app.request(`/jobs/${jobId}/sdl`);
      expect(sdl.status).toBe(200);
      expect(sdl.headers.get('content-disposition')).toMatch(/^attachment/);
      expect(sdl.headers.get('x-sdl-hash')).toBe(commit!.sdlHash);
      expect(await sdl.text()).toContain('image: ghcr.io/acme/llm:2');
    }
    const health = (await (await app.request('/health')).json()) as { chain: { ok: boolean }; intake: { running: boolean } };
    expect(health.chain.ok).toBe(true);
    expect(health.intake.running).toBe(true);
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toMatch(/necto_keeper_jobs_routed_total 2/);
  }, 60_000);
});
