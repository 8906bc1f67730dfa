// The agent end to end: anvil (1 s blocks) + podman + a keeper. A routed job runs in a container, startJob once
// it runs, completeJob with the root of a manifest anyone can fetch and check; a non-zero exit still completes;
// the paid duration stops the container; a cancel stops it within 2 s; a denied image is never started; live logs
// are for the buyer and the provider only; heartbeats make the provider online.
import { createHash } from 'node:crypto';
import { nectoDomain, signedHeaders, typedDataFor } from '@necto/keeper/domain';
import { zgRootOf } from '@necto/keeper/log';
import { privateKeyToAccount } from 'viem/accounts';
import { type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@necto/keeper/logger';
import { rpc } from '../../../keeper/test/chain/anvil.js';
import { demoCommand, DEMO_IMAGE } from '../../scripts/build-demo-image.mjs';
import { createContentStore } from '../../src/content/store.js';
import { startAgent, type Agent } from '../../src/daemon/agent.js';
import { LABELS, ProviderDaemon, type JobHop } from '../../src/daemon/daemon.js';
import { createDocumentSource } from '../../src/daemon/document.js';
import { DockerRuntime } from '../../src/runtime/docker.js';
import { Market } from '../../src/chain/market.js';
import type { LocalAccount } from 'viem';
import { createChainClients } from '../../src/chain/clients.js';
import { TEST_ULIMITS } from '../runtime/podman-harness.js';
import { readResultManifest } from '../../src/manifest/build.js';
import { JobStatus } from '../../src/chain/market.js';
import { ANVIL_KEYS, BUYER, chain, providerConfig, startWorld, submitRoutedJob, submitTrackedJob, syncProvider, waitFor, type World } from './harness.js';

describe('provider agent on anvil + podman', () => {
  let world: World;
  let agent: Agent;
  let provider: { address: `0x${string}`; offerId: bigint };
  let port: number;
  const providerKey = ANVIL_KEYS[2];

  beforeAll(async () => {
    world = await startWorld();
    const { cfg } = await providerConfig(world, providerKey);
    provider = { address: cfg.address, offerId: await syncProvider(cfg) };
    agent = await startAgent(cfg, { logger: createLogger('silent') });
    port = agent.port;
  }, 300_000);

  afterAll(async () => {
    await agent?.stop();
    await world?.stop();
  }, 60_000);

  const content = () => createContentStore({ kind: 'keeper', url: world.keeperUrl }, { account: privateKeyToAccount(providerKey), chainId: 31337, jobMarket: world.deployment.contracts.JobMarket });
  const completion = (jobId: bigint) =>
    waitFor(`JobCompleted of job ${jobId}`, async () => (await chain(world).completed(jobId))[0], 90_000);
  const phaseOf = (jobId: bigint) => agent.daemon.state.jobs().find((r) => r.jobId === jobId.toString())?.phase;
  const logRequest = async (jobId: bigint, key: Hex, follow = false) => {
    const account = privateKeyToAccount(key);
    const expires = BigInt(Math.floor(Date.now() / 1000) + 60);
    const signature = await account.signTypedData(typedDataFor(nectoDomain(31337, world.deployment.contracts.JobMarket), 'LogRequest', { jobId, requester: account.address, expires }));
    return fetch(`http://127.0.0.1:${port}/jobs/${jobId}/logs${follow ? '?follow=1' : ''}`, { headers: { ...signedHeaders(account.address, expires, signature), Origin: 'http://localhost:5173' } });
  };

  it('runs a routed job: startJob once running, completeJob with the root of a manifest that resolves and checks', async () => {
    const jobId = await submitRoutedJob(world, provider, { image: DEMO_IMAGE, command: demoCommand(2) });
    const completed = await completion(jobId);
    const started = await chain(world).started(jobId);
    expect(started).toHaveLength(1);
    expect(started[0]!.blockNumber! <= completed.blockNumber!).toBe(true);

    const root = completed.args.resultHash!;
    const res = await fetch(`${world.keeperUrl}/content/${root}`);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(await zgRootOf(bytes)).toBe(root);
    const { manifest } = await readResultManifest(content(), root);
    expect(manifest).toMatchObject({ kind: 'necto.result/1', jobId: jobId.toString(), round: 1, market: 'onchain', image: DEMO_IMAGE, reason: 'ok', exitCode: 0, runtime: { kind: 'docker' } });
    expect(manifest.provider.toLowerCase()).toBe(provider.address.toLowerCase());
    expect(manifest.command).toEqual(demoCommand(2));
    expect(manifest.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const [output] = manifest.outputs;
    expect(output?.path).toBe('result.txt');
    const file = await content().get(output!.root as Hex);
    expect(new TextDecoder().decode(file!)).toMatch(/^necto demo finished 2 steps/);
    expect(`0x${createHash('sha256').update(file!).digest('hex')}`).toBe(output!.sha256);
    const log = new TextDecoder().decode((await content().get(manifest.log.root as Hex))!);
    expect(log).toContain('step 2/2 (100%)');

    // After the run the log is served from the stored copy, to the buyer only.
    const mine = await logRequest(jobId, ANVIL_KEYS[0]);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(await mine.text()).toContain('step 2/2 (100%)');
    await waitFor('the job record to be done', async () => phaseOf(jobId) === 'done');
    expect(await world.podman.runtime().list({ [LABELS.job]: jobId.toString() })).toEqual([]);
  }, 120_000);

  it('runs a tracked job from the document published on-chain with its spec', async () => {
    const jobId = await submitTrackedJob(world, provider, { image: DEMO_IMAGE, command: ['sh', '-c', 'echo tracked run; echo done > /outputs/result.txt'] });
    const completed = await completion(jobId);
    expect(await chain(world).started(jobId)).toHaveLength(1);
    const { manifest } = await readResultManifest(content(), completed.args.resultHash!);
    expect(manifest).toMatchObject({ jobId: jobId.toString(), reason: 'ok', exitCode: 0, command: ['sh', '-c', 'echo tracked run; echo done > /outputs/result.txt'] });
    expect(manifest.outputs.map((o) => o.path)).toEqual(['result.txt']);
    const log = new TextDecoder().decode((await content().get(manifest.log.root as Hex))!);
    expect(log).toContain('tracked run');
  }, 120_000);

  it('a non-zero exit still completes, with reason nonzero and its exit code', async () => {
    const jobId = await submitRoutedJob(world, provider, { image: DEMO_IMAGE, command: ['sh', '-c', 'echo failing on purpose; exit 3'] });
    const completed = await completion(jobId);
    const { manifest } = await readResultManifest(content(), completed.args.resultHash!);
    expect(manifest).toMatchObject({ reason: 'nonzero', exitCode: 3 });
  }, 120_000);

  it('streams live logs to the buyer and refuses a stranger; a cancel stops the container within 2 s and completes nothing', async () => {
    const jobId = await submitRoutedJob(world, provider, { image: DEMO_IMAGE, command: demoCommand(120) });
    await waitFor('JobStarted', async () => (await chain(world).started(jobId))[0]);

    const stranger = await logRequest(jobId, ANVIL_KEYS[3]);
    expect(stranger.status).toBe(403);
    expect(await stranger.text()).not.toContain('step');
    const unsigned = await fetch(`http://127.0.0.1:${port}/jobs/${jobId}/logs`);
    expect(unsigned.status).toBe(401);

    const live = await logRequest(jobId, ANVIL_KEYS[0], true);
    expect(live.status).toBe(200);
    const reader = live.body!.getReader();
    let seen = '';
    while (!/step 2\/120/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    expect(seen).toContain('necto demo: 120 steps');
    expect(seen).toContain('step 2/120');

    const record = agent.daemon.state.jobs().find((r) => r.jobId === jobId.toString())!;
    const runtime = world.podman.runtime();
    const receipt = await chain(world).cancel(jobId);
    const cancelledAt = Date.now();
    await waitFor('the container to stop', async () => (await runtime.inspect(record.containerId!)).state !== 'running', 10_000, 50);
    const elapsed = Date.now() - cancelledAt;
    expect(elapsed).toBeLessThan(2_000);
    expect(receipt.status).toBe('success');
    // The follow stream ends with the container.
    for (;;) if ((await reader.read()).done) break;

    await waitFor('the record to close', async () => phaseOf(jobId) === 'done');
    expect((await chain(world).getJob(jobId)).status).toBe(JobStatus.Cancelled);
    expect(await chain(world).completed(jobId)).toEqual([]);
  }, 120_000);

  it('stops the container at the paid duration and completes with reason timeout', async () => {
    const jobId = await submitRoutedJob(world, provider, { image: DEMO_IMAGE, command: demoCommand(300) }, { duration: 120 });
    await waitFor('JobStarted', async () => (await chain(world).started(jobId))[0]);
    expect(await chain(world).completed(jobId)).toEqual([]);
    await rpc(world.anvil.url, 'evm_increaseTime', [121]);
    const completed = await completion(jobId);
    const { manifest } = await readResultManifest(content(), completed.args.resultHash!);
    expect(manifest.reason).toBe('timeout');
    expect(manifest.outputs).toEqual([]);
  }, 120_000);

  it('a top-up extends the paid duration the container may run', async () => {
    const jobId = await submitRoutedJob(world, provider, { image: DEMO_IMAGE, command: demoCommand(300) }, { duration: 120 });
    await waitFor('JobStarted', async () => (await chain(world).started(jobId))[0]);
    await chain(world).topUp(jobId, 1_000_000n, 600);
    await rpc(world.anvil.url, 'evm_increaseTime', [200]);
    // Past the original 120 s, inside the topped-up 720 s: still running after several ticks.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(phaseOf(jobId)).toBe('running');
    expect(await chain(world).completed(jobId)).toEqual([]);
    await rpc(world.anvil.url, 'evm_increaseTime', [600]);
    const completed = await completion(jobId);
    const { manifest } = await readResultManifest(content(), completed.args.resultHash!);
    expect(manifest.reason).toBe('timeout');
  }, 120_000);

  it('a pull that fails is not started', async () => {
    const jobId = await submitRoutedJob(world, provider, { image: '127.0.0.1:1/nowhere/app:1', command: ['true'] });
    await waitFor('the refusal', async () => phaseOf(jobId) === 'refused', 60_000);
    expect(agent.daemon.state.jobs().find((r) => r.jobId === jobId.toString())!.note).toMatch(/^pull-failed/);
    expect(await chain(world).started(jobId)).toEqual([]);
  }, 90_000);

  it('a host whose engine drops the GPU request refuses the job instead of running it without GPUs', async () => {
    const key = ANVIL_KEYS[3];
    const { cfg } = await providerConfig(world, key, { runtime: { socket: world.podman.service.dockerHost, ulimits: TEST_ULIMITS, gpu: { mode: 'device-requests' } } });
    const offerId = await syncProvider(cfg);
    const clients = createChainClients({ rpcUrl: cfg.chain.rpcUrl, chainId: cfg.chain.chainId, privateKey: cfg.privateKey, pollingIntervalMs: 100 });
    const daemon = new ProviderDaemon({ config: cfg, clients, runtime: world.podman.runtime({ gpu: { mode: 'device-requests' } }), content: content(), logger: createLogger('silent') });
    await daemon.start();
    try {
      const jobId = await submitRoutedJob(world, { address: cfg.address, offerId }, { image: DEMO_IMAGE, command: demoCommand(1) });
      const record = await waitFor('the refusal', async () => daemon.state.jobs().find((r) => r.jobId === jobId.toString() && r.phase === 'refused'));
      expect(record.note).toMatch(/ignored the GPU request/);
      expect(await chain(world).started(jobId)).toEqual([]);
      expect(await world.podman.runtime().list({ [LABELS.job]: jobId.toString() })).toEqual([]);
    } finally {
      await daemon.stop();
    }
  }, 90_000);

  it('takes a route to running in order, fetching the document once (what routed prepared, starting runs)', async () => {
    const key: Hex = '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a'; // anvil's account #4
    const { cfg } = await providerConfig(world, key, { chain: { rpcUrl: world.anvil.url, chainId: world.deployment.chainId, confirmations: 0, pollIntervalMs: 100 } });
    const offerId = await syncProvider(cfg);
    const clients = createChainClients({ rpcUrl: cfg.chain.rpcUrl, chainId: cfg.chain.chainId, privateKey: cfg.privateKey, pollingIntervalMs: 100 });
    const source = createDocumentSource({
      market: new Market(clients, world.deployment.contracts.JobMarket, cfg.address),
      fromBlock: 0n,
      keeperUrl: world.keeperUrl,
      account: clients.account as LocalAccount,
      chainId: cfg.chain.chainId,
      jobMarket: world.deployment.contracts.JobMarket,
    });
    const fetched: bigint[] = [];
    const hops: JobHop[] = [];
    const daemon = new ProviderDaemon({
      config: cfg,
      clients,
      // The agent's own runtime options (the config's GPU devices stand-in and ulimits).
      runtime: new DockerRuntime((({ maxLogBytes: _l, stopGraceSeconds: _g, ...options }) => options)(cfg.runtime)),
      content: content(),
      logger: createLogger('silent'),
      documents: { fetch: (jobId, tracked) => (fetched.push(jobId), source.fetch(jobId, tracked)) },
      onHop: ({ hop }) => hops.push(hop),
    });
    await daemon.start();
    try {
      const jobId = await submitRoutedJob(world, { address: cfg.address, offerId }, { image: DEMO_IMAGE, command: demoCommand(600) });
      await waitFor('the job running', async () => daemon.state.jobs().find((r) => r.jobId === jobId.toString() && r.phase === 'running'));
      expect(await chain(world).started(jobId)).toHaveLength(1);
      expect(fetched).toEqual([jobId]);
      expect(hops).toEqual(['route_seen', 'document_fetched', 'image_ready', 'container_running', 'start_sent', 'start_mined']);
      await chain(world).cancel(jobId);
      await waitFor('the cancelled job done', async () => daemon.state.jobs().find((r) => r.jobId === jobId.toString() && r.phase === 'done'), 60_000);
    } finally {
      await daemon.stop();
    }
  }, 120_000);

  it('refuses a denied image: no container, no startJob', async () => {
    const jobId = await submitRoutedJob(world, provider, { image: 'evil/miner:1', command: ['mine'] });
    await waitFor('the refusal', async () => phaseOf(jobId) === 'refused');
    const record = agent.daemon.state.jobs().find((r) => r.jobId === jobId.toString())!;
    expect(record.note).toMatch(/evil\/miner:1 is denied/);
    // Several ticks later: still not started.
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await chain(world).getJob(jobId)).status).toBe(JobStatus.Accepted);
    expect(await chain(world).started(jobId)).toEqual([]);
    expect(await world.podman.runtime().list({ [LABELS.job]: jobId.toString() })).toEqual([]);
  }, 60_000);

  it('heartbeats make the provider online with its endpoint', async () => {
    const liveness = await waitFor('online', async () => {
      const body = (await (await fetch(`${world.keeperUrl}/providers/${provider.address}/liveness`)).json()) as { online: boolean; endpoint: string };
      return body.online ? body : null;
    });
    expect(liveness.endpoint).toBe(`http://127.0.0.1:${port}`);
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { provider: string };
    expect(health.provider).toBe(provider.address);
    expect(BUYER).not.toBe(provider.address);
  }, 30_000);
});
