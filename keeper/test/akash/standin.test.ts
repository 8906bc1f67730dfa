import { fromHex } from '@cosmjs/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { createChainClient, AkashChainError } from '../../src/akash/chain-client.js';
import { closeDeploymentMsg, createDeploymentMsg, createLeaseMsg, accountDepositMsg, signTx } from '../../src/akash/messages.js';
import { manifestJson, manifestOf, validateSdl } from '../../src/akash/sdl.js';
import { startStandinGateway, type StandinGateway } from '../../standins/akash/gateway.js';
import { startStandinNode, type StandinNode } from '../../standins/akash/node.js';
import { akashWalletFrom, type AkashWallet } from '../../src/akash/wallet.js';
import { memoryRuntime as fakeRuntime } from '../../standins/akash/memory-runtime.js';

const SDL = (image: string, script = 'echo hi') => `
version: "2.0"
services:
  job:
    image: ${image}
    args: ["sh", "-c", ${JSON.stringify(script)}]
profiles:
  compute:
    job:
      resources:
        cpu: { units: 1 }
        memory: { size: 1Gi }
        storage: { size: 1Gi }
        gpu: { units: 1, attributes: { vendor: { nvidia: [ { model: a100 } ] } } }
  placement:
    necto:
      pricing:
        job: { denom: uact, amount: 1000 }
deployment:
  job:
    necto: { profile: job, count: 1 }
`;

let node: StandinNode | undefined;
let gateway: StandinGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  await node?.close();
  node = gateway = undefined;
});

async function setup(providerBids = true) {
  const owner = await akashWalletFrom(`0x${'31'.repeat(32)}`);
  const prov = await akashWalletFrom(`0x${'32'.repeat(32)}`);
  node = await startStandinNode({ accounts: [{ address: owner.address, balances: [{ denom: 'uakt', amount: '100000000' }, { denom: 'uact', amount: '50000000' }] }], bidDelayMs: 20 });
  const rt = fakeRuntime({ lines: 3, stepMs: 30 });
  gateway = await startStandinGateway({ node, provider: prov.address, runtime: rt.runtime, watchMs: 50 });
  node.addProvider({ address: prov.address, hostUri: gateway.url, gpuModels: ['a100'], priceFraction: 0.8, bids: providerBids });
  const chain = createChainClient({ rest: node.url, chainId: node.chainId, pollMs: 20 });
  return { owner, prov, chain, rt };
}

async function deploy(owner: AkashWallet, chain: ReturnType<typeof createChainClient>, dseq: bigint, sdl = SDL('necto/demo:1')) {
  const { groupSpecs } = manifestOf(sdl);
  const hash = fromHex((await validateSdl(sdl)).slice(2));
  return chain.sendTx(owner, [createDeploymentMsg({ owner: owner.address, dseq, groupSpecs, hash, deposit: { denom: 'uact', amount: '5000000' } })], 'test');
}

const waitFor = async (f: () => Promise<boolean> | boolean, what: string, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Akash node stand-in (REST)', () => {
  it('takes a signed deployment, gets a bid from a fitting provider, leases it and closes it with a refund', async () => {
    const { owner, prov, chain } = await setup();
    const before = node!.balanceOf(owner.address, 'uact');
    const dseq = await chain.latestHeight();
    await deploy(owner, chain, dseq);
    expect(node!.balanceOf(owner.address, 'uact')).toBe(before - 5_000_000n);
    await waitFor(async () => (await chain.bids(owner.address, dseq)).length === 1, 'a bid');
    const [bid] = await chain.bids(owner.address, dseq);
    expect(bid).toMatchObject({ state: 'open', id: { owner: owner.address, dseq: dseq.toString(), gseq: 1, oseq: 1, provider: prov.address } });
    expect(Number(bid!.price.amount)).toBe(800);
    await chain.sendTx(owner, [createLeaseMsg(bid!.id)], '');
    expect((await chain.leases(owner.address, dseq)).map((l) => l.state)).toEqual(['active']);
    await chain.sendTx(owner, [accountDepositMsg({ signer: owner.address, owner: owner.address, dseq, amount: { denom: 'uact', amount: '1000000' } })], '');
    expect((await chain.deployment(owner.address, dseq))!.escrow[0]!.amount).toMatch(/^6000000/);
    await chain.sendTx(owner, [closeDeploymentMsg({ owner: owner.address, dseq })], '');
    expect((await chain.deployment(owner.address, dseq))!.state).toBe('closed');
    expect((await chain.leases(owner.address, dseq)).map((l) => l.state)).toEqual(['closed']);
    expect(node!.balanceOf(owner.address, 'uact')).toBe(before);
  });

  it('stand-in control: a provider told to stop bidding never bids on a new order, and bids again when told', async () => {
    const { owner, prov, chain } = await setup();
    const put = (address: string, body: unknown) => fetch(`${node!.url}/necto-standin/providers/${address}/bids`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put(prov.address, { bids: false })).status).toBe(200);
    expect((await put('akash1nobody', { bids: false })).status).toBe(404);
    expect((await put(prov.address, { bids: 'no' })).status).toBe(400);
    const silent = await chain.latestHeight();
    await deploy(owner, chain, silent);
    await new Promise((r) => setTimeout(r, 200)); // ten bid delays
    expect(await chain.bids(owner.address, silent)).toEqual([]);
    expect((await put(prov.address, { bids: true })).status).toBe(200);
    const again = silent + 1000n;
    await deploy(owner, chain, again);
    await waitFor(async () => (await chain.bids(owner.address, again)).length === 1, 'a bid once bidding again');
    expect(await chain.bids(owner.address, silent)).toEqual([]);
  });

  it('refuses a second deployment with the same dseq, a lease by a stranger, and a tx signed for another chain', async () => {
    const { owner, chain } = await setup();
    const dseq = 77n;
    await deploy(owner, chain, dseq);
    await expect(deploy(owner, chain, dseq)).rejects.toThrow(/deployment exists/);
    await waitFor(async () => (await chain.bids(owner.address, dseq)).length === 1, 'a bid');
    const [bid] = await chain.bids(owner.address, dseq);
    const stranger = await akashWalletFrom(`0x${'33'.repeat(32)}`);
    await expect(chain.sendTx(stranger, [createLeaseMsg(bid!.id)], '')).rejects.toThrow(/does not exist/);
    const acct = (await chain.account(owner.address))!;
    const bytes = await signTx(owner.direct, owner.address, [createLeaseMsg(bid!.id)], { amount: [{ denom: 'uakt', amount: '5000' }], gas: '200000' }, '', { chainId: 'akashnet-2', ...acct });
    const res = await fetch(`${node!.url}/cosmos/tx/v1beta1/txs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tx_bytes: Buffer.from(bytes).toString('base64'), mode: 'BROADCAST_MODE_SYNC' }) });
    const body = (await res.json()) as { tx_response: { code: number; raw_log: string } };
    expect(body.tx_response.code).toBe(4);
    expect(body.tx_response.raw_log).toMatch(/signature verification failed/);
    expect((await chain.leases(owner.address, dseq)).length).toBe(0);
  });

  it('fails a tx with too little gas (code 11, fee and sequence spent); sendTx retries with more gas', async () => {
    const { owner, chain } = await setup();
    const acct = (await chain.account(owner.address))!;
    const bytes = await signTx(owner.direct, owner.address, [closeDeploymentMsg({ owner: owner.address, dseq: 1n })], { amount: [{ denom: 'uakt', amount: '10' }], gas: '1000' }, '', { chainId: node!.chainId, ...acct });
    const res = await fetch(`${node!.url}/cosmos/tx/v1beta1/txs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tx_bytes: Buffer.from(bytes).toString('base64') }) });
    const { tx_response } = (await res.json()) as { tx_response: { txhash: string } };
    expect((await chain.tx(tx_response.txhash))!.code).toBe(11);
    expect((await chain.account(owner.address))!.sequence).toBe(acct.sequence + 1);
    // A client whose gas adjustment under-estimates still lands the tx: the out-of-gas answer is retried with more.
    const stingy = createChainClient({ rest: node!.url, chainId: node!.chainId, gasAdjustment: 0.5, pollMs: 20 });
    const r = await deploy(owner, stingy, 5n);
    expect(r.height).toBeGreaterThan(0n);
    await expect(createChainClient({ rest: node!.url, chainId: 'akashnet-2' }).latestHeight()).rejects.toThrow(AkashChainError);
  });
});

describe('Akash provider gateway stand-in', () => {
  it('404 before the lease, 401 without a token, 422 on a manifest hash mismatch, then runs the manifest and reports status and logs', async () => {
    const { owner, prov, chain, rt } = await setup();
    const dseq = 100n;
    const sdl = SDL('necto/demo:1');
    await deploy(owner, chain, dseq, sdl);
    const body = manifestJson(manifestOf(sdl).groups);
    const token = await owner.gatewayToken({ provider: prov.address, dseq, scope: ['send-manifest', 'status', 'logs'] });
    const put = (b: string, t: string | null = token) =>
      fetch(`${gateway!.url}/deployment/${dseq}/manifest`, { method: 'PUT', headers: { 'content-type': 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}) }, body: b });
    expect((await put(body)).status).toBe(404);
    await waitFor(async () => (await chain.bids(owner.address, dseq)).length === 1, 'a bid');
    await chain.sendTx(owner, [createLeaseMsg((await chain.bids(owner.address, dseq))[0]!.id)], '');
    expect((await put(body, null)).status).toBe(401);
    const otherToken = await owner.gatewayToken({ provider: prov.address, dseq: dseq + 1n, scope: ['send-manifest'] });
    expect((await put(body, otherToken)).status).toBe(403);
    expect((await put(manifestJson(manifestOf(SDL('necto/other:1')).groups))).status).toBe(422);
    expect(rt.containers.size).toBe(0);
    expect((await put(body)).status).toBe(200);
    expect([...rt.containers.values()].map((c) => [c.spec.image, c.spec.command])).toEqual([['necto/demo:1', ['sh', '-c', 'echo hi']]]);
    const status = async () => (await (await fetch(`${gateway!.url}/lease/${dseq}/1/1/status`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
    expect((await status()).services.job).toMatchObject({ name: 'job', total: 1, ready_replicas: 1 });
    await waitFor(async () => (await status()).services.job.ready_replicas === 0, 'the container to exit');
    const logs = await (await fetch(`${gateway!.url}/lease/${dseq}/1/1/logs`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(logs.trim().split('\n').map((l) => JSON.parse(l).message)).toEqual(['step 1 sh -c echo hi', 'step 2 sh -c echo hi', 'step 3 sh -c echo hi']);
    // Closing the deployment ends the lease; the provider removes the workload.
    await chain.sendTx(owner, [closeDeploymentMsg({ owner: owner.address, dseq })], '');
    await waitFor(() => gateway!.running().length === 0, 'the workload to be removed');
    expect((await fetch(`${gateway!.url}/lease/${dseq}/1/1/status`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });
  it('accepts a manifest whose strings hold <, > and & (the version is taken over Go-escaped JSON, as a provider does)', async () => {
    const { owner, prov, chain, rt } = await setup();
    const dseq = 200n;
    const sdl = SDL('necto/demo:1', 'echo a > /outputs/r.txt && echo "<done>"');
    await deploy(owner, chain, dseq, sdl);
    const body = manifestJson(manifestOf(sdl).groups);
    expect(body).toContain('\\u003e');
    const token = await owner.gatewayToken({ provider: prov.address, dseq, scope: ['send-manifest'] });
    await waitFor(async () => (await chain.bids(owner.address, dseq)).length === 1, 'a bid');
    await chain.sendTx(owner, [createLeaseMsg((await chain.bids(owner.address, dseq))[0]!.id)], '');
    const res = await fetch(`${gateway!.url}/deployment/${dseq}/manifest`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    expect(res.status).toBe(200);
    expect([...rt.containers.values()].map((c) => c.spec.command)).toContainEqual(['sh', '-c', 'echo a > /outputs/r.txt && echo "<done>"']);
  });
});
