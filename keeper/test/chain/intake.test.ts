import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { specHashOfText } from '../../src/domain/job-document.js';
import { canonicalJson } from '../../src/log/index.js';
import type { Hex } from '../../src/domain/types.js';
import { rpc, startDeployedAnvil, type DeployedAnvil } from './anvil.js';
import { tempDir, testKeeper, sleep, waitFor } from './harness.js';
import { buyer, fakeRouter, increaseTime, mine } from './market.js';
import { startProxy, type Proxy } from './proxy.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  // A keeper cut off from its chain may be mid-retry: do not wait for it longer than a few seconds.
  for (const c of cleanups.splice(0).reverse()) await Promise.race([c(), sleep(3_000)]);
});

async function setup() {
  const anvil: DeployedAnvil = await startDeployedAnvil();
  cleanups.push(() => anvil.stop());
  const b = buyer(anvil.url, anvil.deployment);
  await b.fund();
  const dataDir = tempDir();
  return { anvil, b, dataDir };
}

function keeper(anvil: DeployedAnvil, dataDir: string, extra: { rpcUrl?: string; delayMs?: number; env?: Record<string, string> } = {}) {
  const { router, store } = fakeRouter({ dir: `${dataDir}/logs`, ...(extra.delayMs ? { delayMs: extra.delayMs } : {}) });
  const k = testKeeper({ rpcUrl: extra.rpcUrl ?? anvil.url, deployment: anvil.deployment, dataDir, router, logStore: store, ...(extra.env ? { env: extra.env } : {}) });
  cleanups.push(() => k.stop());
  return { ...k, router };
}

describe('chain intake (anvil)', () => {
  it('commits exactly one route for a submitted job, with a verifiable log', async () => {
    const { anvil, b, dataDir } = await setup();
    const k = keeper(anvil, dataDir);
    k.start();
    const { jobId } = await b.submit({ gpuModels: ['a100', 'h100'] });
    await waitFor(async () => (await b.commits(jobId)).length === 1, 'the commit');
    await sleep(600); // several more ticks
    const commits = await b.commits(jobId);
    expect(commits).toHaveLength(1);
    expect(commits[0]!.market).toBe('akash');
    expect(commits[0]!.externalId).toBe('akash1aaa');
    expect(k.router.calls).toHaveLength(1);
    expect(k.router.calls[0]!.gpuModels).toEqual(['a100', 'h100']);
    expect(k.router.calls[0]!.minVramGb).toBe(24);

    const decision = await k.services.jobs.decision(jobId);
    expect(decision?.status).toBe('committed');
    expect(decision?.logRoot).toBe(commits[0]!.logRoot);
    const verified = await k.services.logs.verify(commits[0]!.logRoot as Hex);
    expect(verified?.verified).toBe(true);
    expect(verified?.onchain?.source).toBe('chain');
    expect(k.metrics.jobsRouted.get()).toBe(1);
    await waitFor(() => k.follower.status().cursorBlock >= commits.length, 'cursor');
  }, 60_000);

  it('after a restart (commit mined, cursor not saved) does not commit again', async () => {
    const { anvil, b, dataDir } = await setup();
    const a = keeper(anvil, dataDir);
    a.start();
    const cursorFile = `${dataDir}/cursor-31337-${anvil.deployment.contracts.JobMarket.toLowerCase()}.json`;
    await waitFor(() => a.follower.status().cursorBlock > 0n, 'first cursor');
    await sleep(300);
    const before = readFileSync(cursorFile, 'utf8');
    const { jobId } = await b.submit();
    await waitFor(async () => (await b.commits(jobId)).length === 1, 'the commit');
    await a.stop();
    writeFileSync(cursorFile, before); // as if the process died before persisting the cursor

    const c = keeper(anvil, dataDir);
    c.start();
    await waitFor(() => c.follower.status().cursorBlock >= (c.follower.status().headBlock ?? 1n), 'the restarted keeper to catch up');
    await sleep(500);
    expect(await b.commits(jobId)).toHaveLength(1);
    expect(c.router.calls).toHaveLength(0);
    // The decision is rebuilt from the chain and the stored log.
    expect((await c.services.jobs.decision(jobId))?.source).toBe('log');
  }, 60_000);

  it('after a crash with the commit still pending, the restarted keeper leaves exactly one commit', async () => {
    const { anvil, b, dataDir } = await setup();
    const proxy: Proxy = await startProxy(anvil.port);
    cleanups.push(() => proxy.close());
    const { jobId } = await b.submit();
    await rpc(anvil.url, 'evm_setAutomine', [false]);
    const a = keeper(anvil, dataDir, { rpcUrl: proxy.url });
    a.start();
    await waitFor(async () => Object.keys((await rpc<{ pending: Record<string, unknown> }>(anvil.url, 'txpool_content')).pending).length > 0, 'the first commit in the mempool');
    proxy.cut(); // the first keeper is gone (it never reaches the chain again)

    const c = keeper(anvil, dataDir);
    c.start();
    await waitFor(() => c.router.calls.length === 1, 'the second keeper to decide');
    // It either sees the pending commit (gas estimation reverts: already done) or sends its own, which loses.
    await waitFor(() => c.metrics.commits.get({ result: 'already_done' }) === 1 || c.txQueue.pending() === 1, 'its commit attempt');
    await sleep(300);
    await rpc(anvil.url, 'evm_setAutomine', [true]);
    await mine(anvil.url);
    await waitFor(() => c.txQueue.pending() === 0, 'its receipt');
    expect(await b.commits(jobId)).toHaveLength(1);
    // The second keeper either mined the one commit or, seeing the first keeper's commit, recorded nothing as done
    // until the chain showed it (a revert against pending state is not "done").
    expect(c.metrics.commits.get({ result: 'already_done' }) + c.metrics.commits.get({ result: 'mined' })).toBeLessThanOrEqual(1);
    expect((await b.getJob(jobId)).round).toBe(1);
  }, 60_000);

  it('routes a job whose commit, pending from a crashed keeper, is then dropped', async () => {
    const { anvil, b, dataDir } = await setup();
    const proxy: Proxy = await startProxy(anvil.port);
    cleanups.push(() => proxy.close());
    const { jobId } = await b.submit();
    await rpc(anvil.url, 'evm_setAutomine', [false]);
    const a = keeper(anvil, dataDir, { rpcUrl: proxy.url });
    a.start();
    await waitFor(async () => Object.keys((await rpc<{ pending: Record<string, unknown> }>(anvil.url, 'txpool_content')).pending).length > 0, 'the first commit in the mempool');
    proxy.cut(); // the first keeper crashed with its commit pending

    const c = keeper(anvil, dataDir);
    c.start();
    await waitFor(() => c.router.calls.length >= 1, 'the second keeper to decide');
    await sleep(500);
    // The pending commit is dropped (evicted, replaced, node restarted) before any block includes it.
    const pool = await rpc<{ pending: Record<string, Record<string, { hash: Hex }>> }>(anvil.url, 'txpool_content');
    for (const byNonce of Object.values(pool.pending)) for (const tx of Object.values(byNonce)) await rpc(anvil.url, 'anvil_dropTransaction', [tx.hash]);
    await rpc(anvil.url, 'evm_setAutomine', [true]);
    await mine(anvil.url);
    await waitFor(async () => (await b.commits(jobId)).length === 1, 'the job routed after all', 20_000);
    expect((await b.getJob(jobId)).round).toBe(1);
    expect(c.follower.status().lastError).toBeUndefined();
  }, 60_000);

  it('resends a commit a reorg removed within a few blocks, and keeps routing other jobs meanwhile', async () => {
    const { anvil, b, dataDir } = await setup();
    const first = await b.submit();
    await rpc(anvil.url, 'evm_setAutomine', [false]);
    // A receipt timeout of a minute: the removed commit must be noticed long before it.
    const k = keeper(anvil, dataDir, { env: { TX_RECEIPT_TIMEOUT_MS: '60000' } });
    k.start();
    await waitFor(async () => Object.keys((await rpc<{ pending: Record<string, unknown> }>(anvil.url, 'txpool_content')).pending).length > 0, 'the commit in the mempool');
    const pool = await rpc<{ pending: Record<string, Record<string, { hash: Hex }>> }>(anvil.url, 'txpool_content');
    for (const byNonce of Object.values(pool.pending)) for (const tx of Object.values(byNonce)) await rpc(anvil.url, 'anvil_dropTransaction', [tx.hash]);
    await rpc(anvil.url, 'evm_setAutomine', [true]);
    const t0 = Date.now();
    const second = await b.submit();
    await waitFor(async () => (await b.commits(second.jobId)).length === 1, 'the other job routed meanwhile', 10_000);
    await waitFor(async () => (await b.commits(first.jobId)).length === 1, 'the removed commit resent', 10_000);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await b.commits(first.jobId)).toHaveLength(1);
  }, 60_000);

  it('loses nothing while the RPC is down', async () => {
    const { anvil, b, dataDir } = await setup();
    const proxy = await startProxy(anvil.port);
    cleanups.push(() => proxy.close());
    const k = keeper(anvil, dataDir, { rpcUrl: proxy.url });
    k.start();
    await waitFor(() => k.follower.status().cursorBlock > 0n, 'first tick');
    proxy.cut();
    const jobs = [(await b.submit()).jobId, (await b.submit({ tracked: true })).jobId];
    await sleep(1_500);
    expect(k.follower.status().lastError).toMatch(/\S/); // the outage is reported, not swallowed
    proxy.restore();
    for (const jobId of jobs) await waitFor(async () => (await b.commits(jobId)).length === 1, `commit of job ${jobId}`, 30_000);
    await sleep(500);
    for (const jobId of jobs) expect(await b.commits(jobId)).toHaveLength(1);
    await waitFor(() => k.follower.status().lagBlocks === 0, 'cursor to catch up');
  }, 60_000);

  it('re-handles a job after a reorg replaced it', async () => {
    const { anvil, b, dataDir } = await setup();
    const k = keeper(anvil, dataDir);
    k.start();
    const snapshot = await rpc<string>(anvil.url, 'evm_snapshot');
    const first = await b.submit({ gpuModels: ['a100'] });
    await waitFor(async () => (await b.commits(first.jobId)).length === 1, 'first commit');
    await rpc(anvil.url, 'evm_revert', [snapshot]);
    expect(await b.commits(first.jobId)).toHaveLength(0);
    await mine(anvil.url, 3); // the other branch grows past the old head
    const second = await b.submit({ gpuModels: ['h100'] });
    expect(second.jobId).toBe(first.jobId);
    await waitFor(async () => (await b.commits(second.jobId)).length === 1, 'commit on the new branch');
    expect(k.router.calls.at(-1)!.gpuModels).toEqual(['h100']);
    expect(k.metrics.reorgs.get()).toBeGreaterThanOrEqual(1);
    // The decision view is rebuilt from the chain once intake has read the new commit (eventually consistent).
    const committedRoot = (await b.commits(second.jobId))[0]!.logRoot;
    await waitFor(async () => (await k.services.jobs.decision(second.jobId))?.logRoot === committedRoot, 'decision of the new branch');
  }, 60_000);

  it('re-routes after the start deadline to another provider, with a new log', async () => {
    const { anvil, b, dataDir } = await setup();
    const k = keeper(anvil, dataDir);
    k.start();
    const { jobId } = await b.submit({ autoAccept: true });
    await waitFor(async () => (await b.commits(jobId)).length === 1, 'round 1');
    await increaseTime(anvil.url, 16 * 60); // past the 15-minute start window
    await waitFor(async () => (await b.commits(jobId)).length === 2, 'round 2');
    const [r1, r2] = await b.commits(jobId);
    expect(r2!.round).toBe(2);
    expect(r2!.providerRef).not.toBe(r1!.providerRef);
    expect(r2!.logRoot).not.toBe(r1!.logRoot);
    expect(k.router.calls.at(-1)!.excludeProviderRefs).toEqual([r1!.providerRef]);
    await sleep(600);
    expect(await b.commits(jobId)).toHaveLength(2);
    expect(k.metrics.reroutes.get({ reason: 'reroute' })).toBe(1);
  }, 60_000);

  it('routes again after the buyer rejects, excluding the rejected provider', async () => {
    const { anvil, b, dataDir } = await setup();
    const k = keeper(anvil, dataDir);
    k.start();
    const { jobId } = await b.submit({ autoAccept: false });
    await waitFor(async () => (await b.commits(jobId)).length === 1, 'round 1');
    await b.reject(jobId);
    await waitFor(async () => (await b.commits(jobId)).length === 2, 'round 2');
    const [r1, r2] = await b.commits(jobId);
    expect(r2!.providerRef).not.toBe(r1!.providerRef);
  }, 60_000);

  it('routes an untracked job once the buyer hands over the matching spec', async () => {
    const { anvil, b, dataDir } = await setup();
    const k = keeper(anvil, dataDir);
    k.start();
    const document = { gpuModels: ['rtx4090'], regions: ['eu'], minVramGb: 24, image: 'ghcr.io/acme/train:1', env: { EPOCHS: '3' } };
    const { jobId } = await b.submit({ tracked: false, specHash: specHashOfText(canonicalJson(document)) });
    await waitFor(() => k.book.get(jobId), 'the job in the book');
    await sleep(400);
    expect(k.router.calls).toHaveLength(0);
    expect(k.scheduler.status().awaitingSpec).toBe(1);

    expect(await k.services.jobs.submitSpec(jobId, { document: { ...document, minVramGb: 48 } })).toMatchObject({ status: 'hash_mismatch' });
    expect(await k.services.jobs.submitSpec(jobId, { document })).toEqual({ status: 'accepted', jobId: jobId.toString(), routing: 'scheduled' });
    await waitFor(async () => (await b.commits(jobId)).length === 1, 'the commit');
    expect(k.router.calls[0]!.gpuModels).toEqual(['rtx4090']);
    expect(k.router.calls[0]!.regions).toEqual(['eu']);
  }, 60_000);

  it('streams the steps and the decision of a job', async () => {
    const { anvil, b, dataDir } = await setup();
    const k = keeper(anvil, dataDir, { delayMs: 200 });
    const events: string[] = [];
    k.start();
    const { jobId } = await b.submit();
    const sub = k.services.jobs.subscribe(jobId, null);
    cleanups.push(async () => sub.close());
    // What happened before the subscription (the keeper may already be routing) comes first, then the live events.
    for await (const ev of sub) {
      events.push(ev.type === 'step' ? `step:${ev.step.title}` : `decision:${ev.decision.status}`);
      if (ev.type === 'decision') break;
    }
    expect(events).toContain('decision:committed');
    expect(events[0]).toBe('step:looking at the catalog');
  }, 60_000);
});
