// An untracked job routed to Akash, end to end: anvil with the Necto contracts, the keeper (real router, local
// model) with its Akash deployer pointed at the local Akash stand-ins (node REST + one provider gateway running an
// in-memory runtime). The job is deployed, leased, started on-chain, completed with its result manifest's root.
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
import { memoryRuntime } from '../../standins/akash/memory-runtime.js';
import { startStandinNode, type StandinNode } from '../../standins/akash/node.js';
import { startDeployedAnvil, type DeployedAnvil } from '../chain/anvil.js';
import { tempDir, waitFor } from '../chain/harness.js';
import { buyer } from '../chain/market.js';
import { privateKeyToAccount, type LocalAccount } from 'viem/accounts';
import { nectoDomain, signedHeaders, typedDataFor } from '../../src/domain/eip712.js';

const AKASH_KEY = `0x${'61'.repeat(32)}`;

describe('Akash route end to end (anvil, keeper, local Akash stand-ins)', () => {
  let anvil: DeployedAnvil;
  let node: StandinNode;
  let gateway: StandinGateway;
  let core: ReturnType<typeof createKeeperCore>;
  let app: ReturnType<typeof createApp>;
  let b: ReturnType<typeof buyer>;
  const rt = memoryRuntime({ lines: 60, stepMs: 100 });

  beforeAll(async () => {
    anvil = await startDeployedAnvil();
    b = buyer(anvil.url, anvil.deployment);
    await b.fund();
    const wallet = await akashWalletFrom(AKASH_KEY);
    node = await startStandinNode({ accounts: [{ address: wallet.address, balances: [{ denom: 'uakt', amount: '1000000000' }, { denom: 'uact', amount: '1000000000' }] }], bidDelayMs: 50 });
    // The catalog snapshot's cheapest A100 provider on Akash, played by the stand-in.
    const provider = (await createCatalog({ subgraphUrl: '', live: false, ttlMs: 1, timeoutMs: 1 }).lookup()).candidates
      .filter((c) => c.market === 'akash' && c.gpuModel === 'a100')
      .sort((x, y) => Number(x.pricePerGpuHour - y.pricePerGpuHour))[0]!.externalId;
    gateway = await startStandinGateway({ node, provider, runtime: rt.runtime, watchMs: 50 });
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
  });

  /** GET /akash/jobs/:id/logs with a LogRequest signed by `account`. */
  async function akashLogs(jobId: bigint, account: LocalAccount, follow = false) {
    const expires = BigInt(Math.floor(Date.now() / 1000) + 120);
    const message = { jobId, requester: account.address, expires };
    const signature = await account.signTypedData(typedDataFor(nectoDomain(anvil.deployment.chainId, anvil.deployment.contracts.JobMarket), 'LogRequest', message) as never);
    return app.request(`/akash/jobs/${jobId}/logs${follow ? '?follow=1' : ''}`, { headers: signedHeaders(account.address, expires, signature) });
  }

  it('deploys the document’s image, starts the job on-chain, deposits top-ups, completes it with the result manifest’s root, closes the deployment', async () => {
    const document = { gpuModels: ['a100'], image: 'necto/demo:1', command: ['sh', '-c', 'for i in $(seq 1 20); do echo step $i; sleep 0.1; done'] };
    const { jobId } = await b.submit({ tracked: false, specHash: specHashOfText(canonicalJson(document)), gpuModels: ['a100'] });
    await waitFor(() => core.book.get(jobId), 'the job');
    expect((await app.request(`/jobs/${jobId}/spec`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ document }) })).status).toBe(202);
    await waitFor(async () => (await b.commits(jobId)).length === 1, 'the commit');
    const [commit] = await b.commits(jobId);
    expect(commit!.market).toBe('akash');

    const akash = (await core.akash)!;
    await waitFor(async () => Number((await b.getJob(jobId)).status) === 4, 'startJob (Running)', 30_000);
    await waitFor(() => akash.deployer.get(jobId, 1)?.state === 'running', 'the deployer in running', 10_000);
    // The job page reads the deployment from the keeper, labelled as the local stand-in.
    const view = (await (await app.request(`/jobs/${jobId}/akash`)).json()) as { state: string; network: string; label: string; lease: { provider: string } | null };
    expect(view).toMatchObject({ state: 'running', network: 'akash-standin', label: 'local Akash stand-in', lease: { provider: commit!.externalId } });
    expect((await app.request(`/jobs/${jobId + 100n}/akash`)).status).toBe(404);
    expect([...rt.containers.values()].map((c) => c.spec.image)).toEqual(['necto/demo:1']);
    // Its buyer reads the run's log through the keeper (a signed LogRequest); nobody else does.
    await waitFor(async () => (await akashLogs(jobId, b.account)).status === 200, 'the live Akash log', 10_000);
    const live = await akashLogs(jobId, b.account);
    expect(live.headers.get('x-necto-round')).toBe('1');
    expect(await live.text()).toMatch(/^step 1 sh -c/m);
    expect((await app.request(`/akash/jobs/${jobId}/logs`)).status).toBe(401);
    expect((await akashLogs(jobId, privateKeyToAccount(`0x${'77'.repeat(32)}`))).status).toBe(403);
    expect((await akashLogs(jobId + 100n, b.account)).status).toBe(403);
    // A top-up on Necto deposits as much more into the deployment's escrow on Akash (uact = micro-USD).
    const dseq = BigInt(akash.deployer.get(jobId, 1)!.dseq);
    const escrow = () => node.deploymentsOf(akash.address).find((d) => d.dseq === dseq)!.escrow.amount;
    const before = escrow();
    await b.topUp(jobId, 1_500_000n, 1800);
    await waitFor(() => escrow() === before + 1_500_000n, 'the Akash deposit', 15_000);

    await waitFor(async () => Number((await b.getJob(jobId)).status) === 5, 'completeJob (Completed)', 30_000);
    const record = akash.deployer.get(jobId, 1)!;
    await waitFor(() => akash.deployer.get(jobId, 1)?.state === 'closed', 'the deployment closed', 10_000);
    const completed = await core.clients.publicClient.getContractEvents({ address: anvil.deployment.contracts.JobMarket, abi: jobMarketAbi, eventName: 'JobCompleted', args: { jobId }, fromBlock: 0n });
    expect(completed).toHaveLength(1);
    expect(completed[0]!.args.resultHash).toBe(record.resultRoot);
    // The result manifest is served by its root, and names the stand-in.
    const manifest = (await (await app.request(`/logs/${record.resultRoot}`)).json()) as { kind: string; market: string; runtime: { kind: string }; lease: { dseq: string } };
    expect(manifest).toMatchObject({ kind: 'necto.result/1', market: 'akash', runtime: { kind: 'akash-standin' }, lease: { dseq: record.dseq } });
    expect(node.deploymentsOf(akash.address).map((d) => d.state)).toEqual(['closed']);
    expect(node.leasesOf(akash.address, BigInt(record.dseq))).toHaveLength(1);
    // Once closed, the log read is the one collected into the result manifest.
    const stored = await (await app.request(`/logs/${(manifest as unknown as { log: { root: string } }).log.root}`)).text();
    const after = await akashLogs(jobId, b.account, true);
    expect(after.status).toBe(200);
    expect(await after.text()).toBe(stored);
    expect(stored).toContain('step 20');
  }, 120_000);
});
