// The Keplr self-sign path against the Akash stand-ins: the operator's deposit grant and fee allowance, the buyer's
// own MsgCreateDeployment (deposit from the grant) and MsgCreateLease, the keeper's relays (scoped to the job's
// deployment, refused to strangers), and the deployer following the buyer's lease to startJob / completeJob
// without creating a deployment of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex } from '@cosmjs/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChainClient } from '../../src/akash/chain-client.js';
import { createGatewayClient } from '../../src/akash/gateway-client.js';
import { DEPOSIT_SOURCE, createDeploymentMsg, createLeaseMsg, decodeTx, depositAuthorizationOf, depositGrantMsg, signTx, TYPE_URL, verifyTxRaw } from '../../src/akash/messages.js';
import { buildSdl, manifestOf } from '../../src/akash/sdl.js';
import { akashWalletFrom, type AkashWallet } from '../../src/akash/wallet.js';
import { akashSelfSignRoutes } from '../../src/api/routes/akash-self-sign.js';
import type { ApiDeps } from '../../src/api/deps.js';
import { createErrorHandler } from '../../src/api/errors.js';
import { createCatalog } from '../../src/catalog/index.js';
import { akashSignerOf, jobDocumentSchema } from '../../src/domain/job-document.js';
import type { Hex, JobRequest } from '../../src/domain/types.js';
import { zgRootOf } from '../../src/log/root.js';
import { silentLogger } from '../../src/logger.js';
import { createAkashDeployer, type MarketPort } from '../../src/services/akash-deployer/deployer.js';
import { createSelfSign, type SelfSign } from '../../src/services/akash-deployer/self-sign.js';
import { DeployerStore } from '../../src/services/akash-deployer/store.js';
import { startStandinGateway, type StandinGateway } from '../../standins/akash/gateway.js';
import { startStandinNode, type StandinNode } from '../../standins/akash/node.js';
import { memoryRuntime } from '../../standins/akash/memory-runtime.js';
import { Hono } from 'hono';

const JOB_MARKET: Hex = '0x00000000000000000000000000000000000000aa';
const OPERATOR: Hex = '0x00000000000000000000000000000000000000bb';

let node: StandinNode;
let gateway: StandinGateway;
let dir: string;
let operator: AkashWallet;
let buyer: AkashWallet;
let stranger: AkashWallet;
let provider: AkashWallet;

async function sdlFor() {
  const view = await createCatalog({ subgraphUrl: '', live: false, ttlMs: 1, timeoutMs: 1 }).lookup();
  const c = view.candidates.find((x) => x.market === 'akash' && x.gpuModel === 'a100')!;
  const req: JobRequest = {
    jobId: 1n, buyer: '0x00000000000000000000000000000000000000b0', teamId: 0, gpuModels: ['a100'], gpuCount: 1, minVramGb: 0, minVcpu: 1, minRamGb: 1,
    regions: [], maxPricePerGpuHour: 1_000_000n, durationSec: 3600, allowExternal: true, teamRemainingCap: null, budget: null,
    specHash: `0x${'cd'.repeat(32)}`, trust: { auditedOnly: false, allowList: [] }, excludeProviderRefs: [],
    workload: { image: 'necto/demo:1', command: ['sh', '-c', 'echo self-signed'] },
  };
  return buildSdl(req, c);
}

function fakeMarket() {
  const job = { status: 3, round: 1, starts: 0, completes: [] as Hex[] };
  const market: MarketPort = {
    job: async () => ({ status: job.status, round: job.round }),
    startJob: async () => {
      if (job.status === 3) (job.status = 4), job.starts++;
    },
    completeJob: async (_id, root) => {
      if (job.status === 4) (job.status = 5), job.completes.push(root);
    },
  };
  return { market, job };
}

const contentStore = () => {
  const objects = new Map<string, Uint8Array>();
  return { objects, async put(bytes: Uint8Array) { const root = await zgRootOf(bytes); objects.set(root, bytes); return { root }; } };
};

async function setup() {
  operator = await akashWalletFrom(`0x${'41'.repeat(32)}`);
  provider = await akashWalletFrom(`0x${'42'.repeat(32)}`);
  buyer = await akashWalletFrom(`0x${'43'.repeat(32)}`);
  stranger = await akashWalletFrom(`0x${'44'.repeat(32)}`);
  node = await startStandinNode({ accounts: [{ address: operator.address, balances: [{ denom: 'uakt', amount: '1000000000' }, { denom: 'uact', amount: '1000000000' }] }, { address: stranger.address, balances: [{ denom: 'uakt', amount: '1000000' }] }], bidDelayMs: 10 });
  const rt = memoryRuntime({ lines: 8, stepMs: 40 });
  gateway = await startStandinGateway({ node, provider: provider.address, runtime: rt.runtime, watchMs: 30 });
  node.addProvider({ address: provider.address, hostUri: gateway.url, gpuModels: ['a100'], priceFraction: 0.7, bids: true });
  const chain = createChainClient({ rest: node.url, chainId: node.chainId, pollMs: 10 });
  const m = fakeMarket();
  const content = contentStore();
  let selfSign: SelfSign | null = null;
  const deployer = createAkashDeployer({
    chain, wallet: operator, gateway: createGatewayClient(), market: m.market, content, store: new DeployerStore(dir, 31337, JOB_MARKET), logger: silentLogger,
    chainId: 31337, jobMarket: JOB_MARKET, operator: OPERATOR, runtimeKind: 'akash-standin', bidWindowMs: 5_000, buyerToken: (r) => selfSign!.tokenFor(r),
  });
  selfSign = createSelfSign({ chain, wallet: operator, gateway: createGatewayClient(), deployer, dataDir: dir, chainId: 31337, jobMarket: JOB_MARKET, akash: { chainId: node.chainId, nodeUrl: node.url, standin: true }, logger: silentLogger });
  const sdl = await sdlFor();
  const app = new Hono().route('/jobs', akashSelfSignRoutes({ akash: { deployment: async () => null, selfSign: async () => selfSign } } as unknown as ApiDeps));
  app.onError(createErrorHandler(silentLogger));
  return { chain, deployer, selfSign, m, content, sdl, app, rt };
}

type Env = Awaited<ReturnType<typeof setup>>;
const bound = (env: Env) => ({ jobId: 9n, round: 1, grantee: buyer.address, provider: provider.address, sdl: env.sdl.yaml, sdlHash: env.sdl.hash, durationSec: 3600, startBy: Math.floor(Date.now() / 1000) + 3600 });

/** The buyer's side, as the dApp does it with Keplr: deposit from the grant, fees paid by the operator. */
async function buyerCreates(env: Env, dseq: bigint, deposit = env.selfSign.view(9n)!.deposit) {
  const { groupSpecs } = manifestOf(env.sdl.yaml);
  return env.chain.sendTx(buyer, [createDeploymentMsg({ owner: buyer.address, dseq, groupSpecs, hash: fromHex(env.sdl.hash.slice(2)), deposit, sources: [DEPOSIT_SOURCE.grant] })], 'self-signed', { feeGranter: operator.address });
}

async function until<T>(probe: () => Promise<T> | T, ok: (v: T) => boolean, ms = 8_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last ${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'necto-akash-self-'));
});
afterEach(async () => {
  await gateway?.close();
  await node?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Akash self-sign messages', () => {
  it('a job document names its own Akash signer; anything else is refused', async () => {
    buyer = await akashWalletFrom(`0x${'43'.repeat(32)}`);
    expect(akashSignerOf({ image: 'necto/demo:1', akashSigner: buyer.address })).toBe(buyer.address);
    expect(akashSignerOf({ image: 'necto/demo:1' })).toBeNull();
    expect(jobDocumentSchema.safeParse({ image: 'necto/demo:1', akashSigner: '0x00000000000000000000000000000000000000b0' }).success).toBe(false);
  });

  it('the buyer’s create (deposit from the grant, fee granted) verifies for its chain id and fails for another', async () => {
    buyer = await akashWalletFrom(`0x${'43'.repeat(32)}`);
    operator = await akashWalletFrom(`0x${'41'.repeat(32)}`);
    const sdl = await sdlFor();
    const { groupSpecs } = manifestOf(sdl.yaml);
    const msg = createDeploymentMsg({ owner: buyer.address, dseq: 5n, groupSpecs, hash: fromHex(sdl.hash.slice(2)), deposit: { denom: 'uact', amount: '700000' }, sources: [DEPOSIT_SOURCE.grant] });
    const fee = { amount: [{ denom: 'uakt', amount: '5000' }], gas: '200000', granter: operator.address };
    const bytes = await signTx(buyer.direct, buyer.address, [msg], fee, '', { chainId: 'akashnet-2', accountNumber: 3, sequence: 0 });
    const tx = await verifyTxRaw(bytes, 'akashnet-2', 3);
    expect(tx.signer).toBe(buyer.address);
    expect(tx.fee.granter).toBe(operator.address);
    expect((tx.messages[0]!.value as { deposit: { sources: number[] } }).deposit.sources).toEqual([DEPOSIT_SOURCE.grant]);
    await expect(verifyTxRaw(bytes, 'sandbox-01', 3)).rejects.toThrow(/does not verify for chain sandbox-01/);
    // The grant itself: a DepositAuthorization for deployments, decoded back from the MsgGrant.
    const grant = depositGrantMsg({ granter: operator.address, grantee: buyer.address, spendLimit: { denom: 'uact', amount: '700000' }, expiresAtSec: 2_000_000_000 });
    const signed = await signTx(operator.direct, operator.address, [grant], fee, '', { chainId: 'akashnet-2', accountNumber: 1, sequence: 0 });
    const decoded = decodeTx(signed).messages[0]!;
    expect(decoded.typeUrl).toBe(TYPE_URL.grant);
    expect(depositAuthorizationOf((decoded.value as { grant: never }).grant)).toEqual({ spendLimit: { denom: 'uact', amount: '700000' }, scopes: [1] });
  });
});

describe('Akash self-sign on the stand-ins', { timeout: 40_000 }, () => {
  it('grants, lets the buyer deploy and lease with the operator’s funds, relays the manifest, status and logs, and completes the job', async () => {
    const env = await setup();
    const g = await env.selfSign.ensureGranted(bound(env));
    // Issued once: a second pass (another tick) sends nothing, nor does a restart that lost the record (the chain is read first).
    expect((await env.selfSign.ensureGranted(bound(env))).txhash).toBe(g.txhash);
    rmSync(join(dir, 'akash-self-sign'), { recursive: true, force: true });
    const restarted = createSelfSign({ chain: env.chain, wallet: operator, gateway: createGatewayClient(), deployer: env.deployer, dataDir: dir, chainId: 31337, jobMarket: JOB_MARKET, akash: { chainId: node.chainId, nodeUrl: node.url, standin: true }, logger: silentLogger });
    const sequence = (await env.chain.account(operator.address))!.sequence;
    expect((await restarted.ensureGranted(bound(env))).txhash).toBe('existing');
    expect((await env.chain.account(operator.address))!.sequence).toBe(sequence);
    expect(node.depositGrant(operator.address, buyer.address)).toEqual(g.deposit);
    const operatorUact = node.balanceOf(operator.address, 'uact');

    const dseq = BigInt(node.height() + 100);
    await buyerCreates(env, dseq);
    // The deposit came from the operator's grant; the buyer holds nothing and paid no fee.
    expect(node.balanceOf(operator.address, 'uact')).toBe(operatorUact - BigInt(g.deposit.amount));
    expect(node.balanceOf(buyer.address, 'uact')).toBe(0n);
    expect(node.balanceOf(buyer.address, 'uakt')).toBe(0n);
    expect(node.depositGrant(operator.address, buyer.address)).toBeNull();

    const reported = await env.app.request(`/jobs/9/akash/self-sign/deployment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dseq: dseq.toString() }) });
    expect(reported.status).toBe(200);
    await env.deployer.tick();
    const bids = await until(async () => (await (await env.app.request('/jobs/9/akash/self-sign/bids')).json()) as { bids: Array<{ id: { provider: string; dseq: string; gseq: number; oseq: number; bseq: number; owner: string }; routed: boolean }> }, (b) => b.bids.length > 0);
    const bid = bids.bids.find((b) => b.routed)!;
    expect(bid.id).toMatchObject({ owner: buyer.address, dseq: dseq.toString(), provider: provider.address });
    await env.chain.sendTx(buyer, [createLeaseMsg(bid.id)], 'self-signed lease', { feeGranter: operator.address });

    const token = await buyer.gatewayToken({ provider: provider.address, dseq, scope: ['send-manifest', 'status', 'logs'], ttlSec: 3600 });
    const sent = await env.app.request('/jobs/9/akash/self-sign/manifest', { method: 'POST', headers: { 'X-Akash-Token': token } });
    expect(sent.status, await sent.clone().text()).toBe(200);
    const r = await until(async () => (await env.deployer.tick(), env.deployer.get(9n, 1)!), (x) => x.state === 'running');
    expect(r.mode).toBe('self-sign');
    expect(env.m.job.starts).toBe(1);
    // A buyer's top-up deposits as much more into the buyer's deployment escrow, from the operator's wallet.
    const escrow = node.deploymentsOf(buyer.address)[0]!.escrow.amount;
    expect(env.deployer.topUp(9n, '0xtopup', 1_000_000n, 600)).toBe(true);
    await until(async () => (await env.deployer.tick(), node.deploymentsOf(buyer.address)[0]!.escrow.amount), (a) => a === escrow + 1_000_000n);
    const status = await env.app.request('/jobs/9/akash/self-sign/lease/status', { headers: { 'X-Akash-Token': token } });
    expect(status.status).toBe(200);
    expect(Object.keys(((await status.json()) as { services: object }).services)).toEqual(['job']);
    const logs = await until(async () => (await (await env.app.request('/jobs/9/akash/self-sign/lease/logs', { headers: { 'X-Akash-Token': token } })).json()) as { text: string }, (l) => /step 3/.test(l.text ?? ''));
    expect(logs.text).toContain('step 1');

    const done = await until(async () => (await env.deployer.tick(), env.deployer.get(9n, 1)!), (x) => x.state === 'closed');
    expect(done.end?.reason).toBe('ok');
    expect(env.m.job.completes).toEqual([done.resultRoot]);
    const manifest = JSON.parse(new TextDecoder().decode(env.content.objects.get(done.resultRoot!)!));
    expect(done.owner).toBe(buyer.address);
    expect(manifest.lease).toMatchObject({ dseq: dseq.toString(), provider: provider.address });
    expect(new TextDecoder().decode(env.content.objects.get(manifest.log.root)!)).toContain('step 8');
    // One deployment for the round, the buyer's: the managed wallet created none.
    expect(node.deploymentsOf(operator.address)).toEqual([]);
    expect(node.deploymentsOf(buyer.address).map((d) => d.dseq)).toEqual([dseq]);
  });

  it('replaces the deposit grant for a later round of the job, so its spend limit is that round’s deposit', async () => {
    const env = await setup();
    const first = await env.selfSign.ensureGranted(bound(env));
    const second = await env.selfSign.ensureGranted({ ...bound(env), round: 2, durationSec: 30 * 24 * 3600 });
    expect(BigInt(second.deposit.amount)).toBeGreaterThan(BigInt(first.deposit.amount));
    expect(node.depositGrant(operator.address, buyer.address)).toEqual(second.deposit);
    expect(env.selfSign.view(9n)!.round).toBe(2);
  });

  it('refuses strangers and keeps every relay scoped to the job’s own deployment', async () => {
    const env = await setup();
    // No self-signed round for this job.
    expect((await env.app.request('/jobs/10/akash/self-sign/bids')).status).toBe(404);
    await env.selfSign.ensureGranted(bound(env));
    expect((await env.app.request('/jobs/9/akash/self-sign/bids')).status).toBe(409);
    // A deployment the buyer does not own (the stranger's) is not adopted.
    const { groupSpecs } = manifestOf(env.sdl.yaml);
    const strangerDseq = BigInt(node.height() + 50);
    await expect(env.chain.sendTx(stranger, [createDeploymentMsg({ owner: stranger.address, dseq: strangerDseq, groupSpecs, hash: fromHex(env.sdl.hash.slice(2)), deposit: { denom: 'uact', amount: '600000' }, sources: [DEPOSIT_SOURCE.grant] })], 'x', { feeGranter: operator.address })).rejects.toThrow(/fee-grant not found/);
    const notTheirs = await env.app.request('/jobs/9/akash/self-sign/deployment', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dseq: strangerDseq.toString() }) });
    expect(notTheirs.status).toBe(404);
    // More than the grant allows is refused by the chain.
    const tooMuch = { denom: 'uact', amount: (BigInt(env.selfSign.view(9n)!.deposit.amount) + 1n).toString() };
    await expect(buyerCreates(env, BigInt(node.height() + 60), tooMuch)).rejects.toThrow(/more than spend limit/);

    const dseq = BigInt(node.height() + 100);
    await buyerCreates(env, dseq);
    expect((await env.app.request('/jobs/9/akash/self-sign/deployment', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dseq: dseq.toString() }) })).status).toBe(200);
    await env.deployer.tick();
    const bids = await until(async () => (await (await env.app.request('/jobs/9/akash/self-sign/bids')).json()) as { bids: Array<{ id: never; routed: boolean }> }, (b) => b.bids.length > 0);
    await env.chain.sendTx(buyer, [createLeaseMsg(bids.bids.find((b) => b.routed)!.id)], 'lease', { feeGranter: operator.address });
    await until(async () => (await env.deployer.tick(), env.deployer.get(9n, 1)!), (x) => x.state === 'leased');

    const post = (token?: string) => env.app.request('/jobs/9/akash/self-sign/manifest', { method: 'POST', headers: token ? { 'X-Akash-Token': token } : {} });
    expect((await post()).status).toBe(401);
    // A stranger's token (even one naming this deployment) is refused before the provider is contacted.
    const strangerToken = await stranger.gatewayToken({ provider: provider.address, dseq, scope: ['send-manifest', 'status', 'logs'] });
    expect((await post(strangerToken)).status).toBe(401);
    // The buyer's token for another deployment, or without the action, does not open this one.
    expect((await post(await buyer.gatewayToken({ provider: provider.address, dseq: dseq + 1n, scope: ['send-manifest'] }))).status).toBe(403);
    expect((await post(await buyer.gatewayToken({ provider: provider.address, dseq, scope: ['status'] }))).status).toBe(403);
    const statusOnly = await buyer.gatewayToken({ provider: provider.address, dseq, scope: ['status'] });
    expect((await env.app.request('/jobs/9/akash/self-sign/lease/logs', { headers: { 'X-Akash-Token': statusOnly } })).status).toBe(403);
    // A container an earlier stand-in left with this lease's labels (same lease id on a fresh chain) is removed.
    const labels = { 'akash.standin.owner': buyer.address, 'akash.standin.dseq': dseq.toString(), 'akash.standin.gseq': '1', 'akash.standin.oseq': '1', 'akash.standin.service': 'job' };
    const stale = await env.rt.runtime.start({ name: 'left-over', image: 'necto/demo:1', labels, outputsDir: dir, outputsPath: '/outputs', limits: { memoryBytes: 1, nanoCpus: 1, pids: 1 }, network: 'none', gpus: 0 });
    // The relay takes no target from the client: only the job id, and the manifest is the route's own.
    expect((await post(await buyer.gatewayToken({ provider: provider.address, dseq, scope: ['send-manifest'] }))).status).toBe(200);
    expect(gateway.running().length).toBe(1);
    expect(env.rt.containers.has(stale.id)).toBe(false);
    expect((await env.rt.runtime.list(labels)).map((c) => c.id)).toEqual([gateway.running()[0]!.id]);
  });
});
