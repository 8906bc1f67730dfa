// The local stack's Akash path with a real container: the stand-in provider gateway runs the manifest's service
// through the provider agent's own runtime (DockerRuntime on a Podman socket, the offline demo image), so the
// job's log and completion come from a container that really ran. Anvil, the keeper (real router, local model) and
// its deployer on the local Akash stand-ins as in akash.e2e.test.ts.
import { jobMarketAbi } from '@necto/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { akashWalletFrom } from '../../src/akash/wallet.js';
import { specHashOfText } from '../../src/domain/job-document.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { canonicalJson, createCatalog, createLogStore, createRouter } from '../../src/routing/index.js';
import { ActivityHub } from '../../src/services/activity.js';
import { createKeeperCore } from '../../src/services/keeper.js';
import { startStandinGateway, type StandinGateway } from '../../standins/akash/gateway.js';
import { demoCommand, DEMO_IMAGE } from '../../../provider/scripts/build-demo-image.mjs';
import { startTestRuntime, type TestRuntime } from '../../../provider/test/runtime/podman-harness.js';
import { startStandinNode, type StandinNode } from '../../standins/akash/node.js';
import { startDeployedAnvil, type DeployedAnvil } from '../chain/anvil.js';
import { tempDir, waitFor } from '../chain/harness.js';
import { buyer } from '../chain/market.js';

const AKASH_KEY = `0x${'61'.repeat(32)}`;

describe('Akash route on the local stand-ins with the provider agent’s container runtime', () => {
  let anvil: DeployedAnvil;
  let node: StandinNode;
  let gateway: StandinGateway;
  let core: ReturnType<typeof createKeeperCore>;
  let app: ReturnType<typeof createApp>;
  let b: ReturnType<typeof buyer>;
  let rt: TestRuntime;

  beforeAll(async () => {
    rt = await startTestRuntime();
    anvil = await startDeployedAnvil();
    b = buyer(anvil.url, anvil.deployment);
    await b.fund();
    const wallet = await akashWalletFrom(AKASH_KEY);
    node = await startStandinNode({ accounts: [{ address: wallet.address, balances: [{ denom: 'uakt', amount: '1000000000' }, { denom: 'uact', amount: '1000000000' }] }], bidDelayMs: 50 });
    // The catalog snapshot's cheapest A100 provider on Akash, played by the stand-in.
    const provider = (await createCatalog({ subgraphUrl: '', live: false, ttlMs: 1, timeoutMs: 1 }).lookup()).candidates
      .filter((c) => c.market === 'akash' && c.gpuModel === 'a100')
      .sort((x, y) => Number(x.pricePerGpuHour - y.pricePerGpuHour))[0]!.externalId;
    gateway = await startStandinGateway({ node, provider, runtime: rt.runtime(), watchMs: 50 });
    node.addProvider({ address: provider, hostUri: gateway.url, gpuModels: ['a100'], priceFraction: 0.8, bids: true });
    const config = loadConfig(
      {
        RPC_URL: anvil.url, DATA_DIR: tempDir(), POLL_INTERVAL_MS: '100', SUBGRAPH_URL: 'http://127.0.0.1:9/subgraphs/name/necto',
        AKASH_NODE_URL: node.url, AKASH_CHAIN_ID: node.chainId, AKASH_MNEMONIC: AKASH_KEY, AKASH_STANDIN: '1', AKASH_BID_WINDOW_MS: '5000',
        // The recorded Akash snapshot is older than its TTL: the local stack's keeper accepts its age (still shown).
        CATALOG_MAX_AGE_SEC: '3153600000',
      },
      { deployment: anvil.deployment },
    );
    const metrics = createMetrics();
    const logStore = createLogStore(config.logStore);
    const catalog = createCatalog({
      subgraphUrl: '', live: false, ttlMs: 60_000, timeoutMs: 1_000, launchers: config.catalog.launchers, ...(config.catalog.maxAgeSec ? { maxAgeSec: config.catalog.maxAgeSec } : {}),
    });
    const router = createRouter({ catalog, model: 'local', logStore });
    core = createKeeperCore({ config, router, logStore, logger: silentLogger, metrics });
    app = createApp({ settings: config.http, logger: silentLogger, metrics, quote: (r) => router.quote(r), ...core.services });
    core.start();
  }, 180_000);
  afterAll(async () => {
    await core?.stop();
    await gateway?.close();
    await node?.close();
    await anvil?.stop();
    await rt?.stop();
  });

  it('runs the document’s container, completes the job with a result manifest whose log is the container’s output', async () => {
    const document = { gpuModels: ['a100'], image: DEMO_IMAGE, command: demoCommand(3) };
    const { jobId } = await b.submit({ tracked: false, specHash: specHashOfText(canonicalJson(document)), gpuModels: ['a100'] });
    await waitFor(() => core.book.get(jobId), 'the job');
    expect((await app.request(`/jobs/${jobId}/spec`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ document }) })).status).toBe(202);
    await waitFor(async () => (await b.commits(jobId)).length === 1, 'the commit');
    expect((await b.commits(jobId))[0]!.market).toBe('akash');

    const akash = (await core.akash)!;
    // On a timeout the deployer's record says where it stopped.
    await waitFor(async () => Number((await b.getJob(jobId)).status) === 4, 'startJob (Running)', 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; deployer: ${JSON.stringify(akash.deployer.get(jobId, 1))}; gateway: ${JSON.stringify(gateway.running())}`);
    });
    // The container really runs in the engine, under the stand-in's labels.
    const record0 = akash.deployer.get(jobId, 1)!;
    const listed = await rt.runtime().list({ 'akash.standin.dseq': record0.dseq });
    expect(listed).toHaveLength(1);

    await waitFor(async () => Number((await b.getJob(jobId)).status) === 5, 'completeJob (Completed)', 60_000);
    await waitFor(() => akash.deployer.get(jobId, 1)?.state === 'closed', 'the deployment closed', 15_000);
    const record = akash.deployer.get(jobId, 1)!;
    const manifest = (await (await app.request(`/logs/${record.resultRoot}`)).json()) as { image: string; runtime: { kind: string }; log: { root: string; bytes: number } };
    expect(manifest).toMatchObject({ image: DEMO_IMAGE, runtime: { kind: 'akash-standin' } });
    const logText = await (await app.request(`/logs/${manifest.log.root}`)).text();
    expect(logText).toContain('necto demo: 3 steps');
    expect(logText).toContain('step 3/3 (100%)');
    expect(logText).toContain('wrote /outputs/result.txt');
    expect(node.leasesOf(akash.address, BigInt(record.dseq))).toHaveLength(1);
    expect(node.deploymentsOf(akash.address).map((d) => d.state)).toEqual(['closed']);
  }, 180_000);
});
