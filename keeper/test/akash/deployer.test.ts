import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChainClient } from '../../src/akash/chain-client.js';
import { createGatewayClient } from '../../src/akash/gateway-client.js';
import { buildSdl } from '../../src/akash/sdl.js';
import { akashWalletFrom, type AkashWallet } from '../../src/akash/wallet.js';
import { createCatalog } from '../../src/catalog/index.js';
import type { Hex, JobRequest } from '../../src/domain/types.js';
import { zgRootOf } from '../../src/log/root.js';
import { silentLogger } from '../../src/logger.js';
import { InjectedFault, createAkashDeployer, type MarketPort } from '../../src/services/akash-deployer/deployer.js';
import { DeployerStore, type DeploymentRecord } from '../../src/services/akash-deployer/store.js';
import { startStandinGateway, type StandinGateway } from '../../standins/akash/gateway.js';
import { startStandinNode, type StandinNode } from '../../standins/akash/node.js';
import { memoryRuntime as fakeRuntime } from '../../standins/akash/memory-runtime.js';

const JOB_MARKET: Hex = '0x00000000000000000000000000000000000000aa';
const OPERATOR: Hex = '0x00000000000000000000000000000000000000bb';

let node: StandinNode;
let gateway: StandinGateway;
let dir: string;
let wallet: AkashWallet;
let provider: AkashWallet;
let rt: ReturnType<typeof fakeRuntime>;

/** The market as the deployer sees it: job statuses, and the operator's startJob/completeJob (idempotent, as the tx queue's doneErrors make them). */
function fakeMarket() {
  const jobs = new Map<string, { status: number; round: number; starts: number; completes: Hex[] }>();
  const market: MarketPort = {
    async job(id) {
      const j = jobs.get(id.toString())!;
      return { status: j.status, round: j.round };
    },
    async startJob(id) {
      const j = jobs.get(id.toString())!;
      if (j.status === 3) {
        j.status = 4;
        j.starts++;
      }
    },
    async completeJob(id, root) {
      const j = jobs.get(id.toString())!;
      if (j.status === 4) {
        j.status = 5;
        j.completes.push(root);
      }
    },
  };
  return { market, jobs, add: (id: bigint, round = 1) => jobs.set(id.toString(), { status: 3, round, starts: 0, completes: [] }) };
}

function contentStore() {
  const objects = new Map<string, Uint8Array>();
  return { objects, async put(bytes: Uint8Array) { const root = await zgRootOf(bytes); objects.set(root, bytes); return { root }; } };
}

async function sdlFor(image = 'necto/demo:1') {
  const view = await createCatalog({ subgraphUrl: '', live: false, ttlMs: 1, timeoutMs: 1 }).lookup();
  const c = view.candidates.find((x) => x.market === 'akash' && x.gpuModel === 'a100')!;
  const req: JobRequest = {
    jobId: 1n, buyer: '0x00000000000000000000000000000000000000b0', teamId: 0, gpuModels: ['a100'], gpuCount: 1, minVramGb: 0, minVcpu: 1, minRamGb: 1,
    regions: [], maxPricePerGpuHour: 1_000_000n, durationSec: 3600, allowExternal: true, teamRemainingCap: null, budget: null,
    specHash: `0x${'cd'.repeat(32)}`, trust: { auditedOnly: false, allowList: [] }, excludeProviderRefs: [],
    workload: { image, command: ['sh', '-c', 'for i in 1 2 3; do echo step $i; done'] },
  };
  return buildSdl(req, c);
}

async function setup(opts: { bids?: boolean; lines?: number } = {}) {
  wallet = await akashWalletFrom(`0x${'41'.repeat(32)}`);
  provider = await akashWalletFrom(`0x${'42'.repeat(32)}`);
  node = await startStandinNode({ accounts: [{ address: wallet.address, balances: [{ denom: 'uakt', amount: '1000000000' }, { denom: 'uact', amount: '1000000000' }] }], bidDelayMs: 10 });
  rt = fakeRuntime({ lines: opts.lines ?? 12, stepMs: 50 });
  gateway = await startStandinGateway({ node, provider: provider.address, runtime: rt.runtime, watchMs: 30 });
  node.addProvider({ address: provider.address, hostUri: gateway.url, gpuModels: ['a100'], priceFraction: 0.7, bids: opts.bids ?? true });
}

function deployer(market: MarketPort, content: ReturnType<typeof contentStore>, extra: Partial<Parameters<typeof createAkashDeployer>[0]> = {}) {
  return createAkashDeployer({
    chain: createChainClient({ rest: node.url, chainId: node.chainId, pollMs: 10 }),
    wallet,
    gateway: createGatewayClient(),
    market,
    content,
    store: new DeployerStore(dir, 31337, JOB_MARKET),
    logger: silentLogger,
    chainId: 31337,
    jobMarket: JOB_MARKET,
    operator: OPERATOR,
    runtimeKind: 'akash-standin',
    bidWindowMs: 400,
    ...extra,
  });
}

async function runUntil(d: ReturnType<typeof createAkashDeployer>, jobId: bigint, round: number, done: (r: DeploymentRecord) => boolean, ms = 8_000) {
  const end = Date.now() + ms;
  for (;;) {
    await d.tick();
    const r = d.get(jobId, round)!;
    if (done(r)) return r;
    if (Date.now() > end) throw new Error(`deployer stuck in ${r.state}: ${r.lastError ?? ''}`);
    await new Promise((res) => setTimeout(res, 15));
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'necto-akash-'));
});
afterEach(async () => {
  await gateway?.close();
  await node?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Akash deployer on the stand-ins', { timeout: 30_000 }, () => {
  it('walks created → bidding → leased → manifest-sent → running → closed, starts and completes the job with a result manifest', async () => {
    await setup();
    const m = fakeMarket();
    m.add(7n);
    const content = contentStore();
    const states: string[] = [];
    const d = deployer(m.market, content, { onTransition: (r) => { if (states.at(-1) !== r.state) states.push(r.state); } });
    const sdl = await sdlFor();
    await d.track({ jobId: 7n, round: 1, sdl: sdl.yaml, sdlHash: sdl.hash, provider: provider.address, durationSec: 3600 });
    const r = await runUntil(d, 7n, 1, (x) => x.state === 'closed');
    expect(states).toEqual(['created', 'bidding', 'leased', 'manifest-sent', 'running', 'closed']);
    expect(r.end?.reason).toBe('ok');
    const job = m.jobs.get('7')!;
    expect(job.starts).toBe(1);
    expect(job.completes).toEqual([r.resultRoot]);
    const manifest = JSON.parse(new TextDecoder().decode(content.objects.get(r.resultRoot!)!));
    expect(manifest).toMatchObject({
      kind: 'necto.result/1', chainId: 31337, jobId: '7', round: 1, market: 'akash', provider: OPERATOR, image: 'necto/demo:1',
      command: ['sh', '-c', 'for i in 1 2 3; do echo step $i; done'], exitCode: null, reason: 'ok', runtime: { kind: 'akash-standin' },
      lease: { dseq: r.dseq, gseq: 1, oseq: 1, provider: provider.address },
    });
    expect(await zgRootOf(content.objects.get(r.resultRoot!)!)).toBe(r.resultRoot);
    const logText = new TextDecoder().decode(content.objects.get(manifest.log.root)!);
    expect(logText).toContain('step 12');
    expect(manifest.log.bytes).toBe(Buffer.byteLength(logText));
    // One deployment and one lease, both closed; the container ran the SDL's image and argv.
    const deps = node.deploymentsOf(wallet.address);
    expect(deps.map((x) => [x.dseq.toString(), x.state])).toEqual([[r.dseq, 'closed']]);
    expect(node.leasesOf(wallet.address, BigInt(r.dseq)).map((l) => l.state)).toEqual(['closed']);
    expect([...rt.containers.values()].length).toBeLessThanOrEqual(1);
  });

  it('refuses an SDL that does not hash to the route’s sdlHash', async () => {
    await setup();
    const m = fakeMarket();
    const sdl = await sdlFor();
    await expect(deployer(m.market, contentStore()).track({ jobId: 1n, round: 1, sdl: sdl.yaml, sdlHash: `0x${'00'.repeat(32)}`, provider: provider.address, durationSec: 60 })).rejects.toThrow(/hashes to/);
  });

  it('closes the deployment and signals one re-route when the routed provider never bids', async () => {
    await setup({ bids: false });
    const m = fakeMarket();
    m.add(8n);
    const reroutes: string[] = [];
    const d = deployer(m.market, contentStore(), { onReroute: (j, round, why) => reroutes.push(`${j}/${round}/${why}`) });
    const sdl = await sdlFor();
    await d.track({ jobId: 8n, round: 1, sdl: sdl.yaml, sdlHash: sdl.hash, provider: provider.address, durationSec: 3600 });
    const r = await runUntil(d, 8n, 1, (x) => x.state === 'closed');
    expect(r.end?.reason).toBe('no-bid');
    for (let i = 0; i < 5; i++) await d.tick();
    expect(reroutes).toEqual(['8/1/no-bid']);
    expect(node.deploymentsOf(wallet.address).map((x) => x.state)).toEqual(['closed']);
    expect(m.jobs.get('8')!.starts).toBe(0);
    // A second deployer (after a restart) does not signal it again.
    const again: string[] = [];
    const d2 = deployer(m.market, contentStore(), { onReroute: (j) => again.push(String(j)) });
    await d2.tick();
    expect(again).toEqual([]);
  });

  it('closes at cancel without completing, and top-ups deposit more into the escrow', async () => {
    await setup({ lines: 100_000 });
    const m = fakeMarket();
    m.add(9n);
    const d = deployer(m.market, contentStore());
    const sdl = await sdlFor();
    const t = await d.track({ jobId: 9n, round: 1, sdl: sdl.yaml, sdlHash: sdl.hash, provider: provider.address, durationSec: 3600 });
    await runUntil(d, 9n, 1, (x) => x.state === 'running');
    const before = BigInt((await createChainClient({ rest: node.url, chainId: node.chainId }).deployment(wallet.address, BigInt(t.dseq)))!.escrow[0]!.amount.split('.')[0]!);
    expect(d.topUp(9n, '0xtopup1', 2_500_000n, 600)).toBe(true);
    expect(d.topUp(9n, '0xtopup1', 2_500_000n, 600)).toBe(false);
    const afterTopUp = await runUntil(d, 9n, 1, (x) => x.pendingTopUps.length === 0);
    expect(afterTopUp.durationSec).toBe(4200);
    const after = BigInt((await createChainClient({ rest: node.url, chainId: node.chainId }).deployment(wallet.address, BigInt(t.dseq)))!.escrow[0]!.amount.split('.')[0]!);
    expect(after - before).toBe(2_500_000n);
    m.jobs.get('9')!.status = 7; // JobCancelled
    const r = await runUntil(d, 9n, 1, (x) => x.state === 'closed');
    expect(r.end?.reason).toBe('cancelled');
    expect(m.jobs.get('9')!.completes).toEqual([]);
    expect(node.deploymentsOf(wallet.address).map((x) => x.state)).toEqual(['closed']);
    await runUntil(d, 9n, 1, () => gateway.running().length === 0);
  });

  it('closes at the paid duration with reason timeout', async () => {
    await setup({ lines: 100_000 });
    const m = fakeMarket();
    m.add(10n);
    let offset = 0;
    const d = deployer(m.market, contentStore(), { nowMs: () => Date.now() + offset });
    const sdl = await sdlFor();
    await d.track({ jobId: 10n, round: 1, sdl: sdl.yaml, sdlHash: sdl.hash, provider: provider.address, durationSec: 60 });
    await runUntil(d, 10n, 1, (x) => x.state === 'running');
    offset = 61_000;
    const r = await runUntil(d, 10n, 1, (x) => x.state === 'closed');
    expect(r.end?.reason).toBe('timeout');
    expect(m.jobs.get('10')!.completes).toHaveLength(1);
  });

  const points = ['deployment-created', 'lease-created', 'manifest-sent', 'job-started', 'deployment-closed', 'job-completed'];
  it.each(points)('a crash right after %s (before its state is saved) resumes with one deployment and one lease', async (point) => {
    await setup();
    const m = fakeMarket();
    m.add(11n);
    const content = contentStore();
    const sdl = await sdlFor();
    const crashing = deployer(m.market, content, {
      afterEffect: (p) => {
        if (p === point) throw new InjectedFault(`killed after ${p}`);
      },
    });
    await crashing.track({ jobId: 11n, round: 1, sdl: sdl.yaml, sdlHash: sdl.hash, provider: provider.address, durationSec: 3600 });
    await expect(runUntil(crashing, 11n, 1, (x) => x.state === 'closed')).rejects.toThrow(InjectedFault);
    // A new process on the same DATA_DIR.
    const resumed = deployer(m.market, content);
    const r = await runUntil(resumed, 11n, 1, (x) => x.state === 'closed');
    const deps = node.deploymentsOf(wallet.address);
    expect(deps).toHaveLength(1);
    expect(deps[0]!.state).toBe('closed');
    expect(node.leasesOf(wallet.address, deps[0]!.dseq)).toHaveLength(1);
    expect(node.leasesOf(wallet.address, deps[0]!.dseq)[0]!.state).toBe('closed');
    const job = m.jobs.get('11')!;
    expect(job.starts).toBe(1);
    expect(job.completes).toEqual([r.resultRoot]);
    expect(r.end?.reason).toBe('ok');
  });
});
