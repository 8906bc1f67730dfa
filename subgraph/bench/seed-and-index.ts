/**
 * Indexing throughput: seeds a fresh anvil with ≥ 20,000 Necto events (providers, offers, re-pricings and full job
 * lifecycles: submit → route → accept → start → complete → confirm), then starts the devnode on the built subgraph
 * and times how fast it indexes the backlog. Prints `subgraph.index_events_per_s: N`.
 *
 *   pnpm --filter @necto/subgraph bench            (BENCH_JOBS=2000 by default, ~10 events per job)
 *
 * Seeding is fast because automine is off: transactions are sent in JSON-RPC batches and mined 500 per block, one
 * phase at a time (a phase's transactions only depend on the previous phases).
 */
import { encodeFunctionData, getAbiItem, toEventSelector, type Abi, type AbiEvent, type Address, type Hex } from 'viem';
import { startDevnode } from '@necto/devnode/src/index.ts';
import { hashOf, jobMarketAbi, jobSpec, mockUSDCAbi, onChainRoute, providerRegistryAbi, usdc } from '../test/support/chain.js';
import { buildSubgraph, deploy, startAnvil } from '../test/support/stack.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
const PROVIDERS = 5;
const OFFERS_PER_PROVIDER = 4;
const BUYERS = 10;
const PER_BLOCK = 500;

let rpcUrl = '';
let rpcId = 0;
async function rpc(method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

interface Tx {
  from: Address;
  to: Address;
  data: Hex;
}

const call = (from: Address, to: Address, abi: Abi, functionName: string, args: readonly unknown[] = []): Tx => ({
  from,
  to,
  data: encodeFunctionData({ abi, functionName, args } as never),
});

async function readUint(to: Address, abi: Abi, functionName: string): Promise<bigint> {
  return BigInt(await rpc('eth_call', [{ to, data: encodeFunctionData({ abi, functionName } as never) }, 'latest']));
}

/** Sends `txs` in JSON-RPC batches, mining every PER_BLOCK; fails if any transaction reverted. */
const nonces = new Map<Address, number>();

/** Explicit nonces: anvil handles a batch's calls concurrently, so its own pending-nonce choice can collide. */
async function nextNonce(from: Address): Promise<number> {
  let nonce = nonces.get(from);
  if (nonce === undefined) nonce = Number(BigInt(await rpc('eth_getTransactionCount', [from, 'pending'])));
  nonces.set(from, nonce + 1);
  return nonce;
}

async function phase(name: string, txs: Tx[]): Promise<void> {
  const started = Date.now();
  const withNonce: (Tx & { nonce: Hex })[] = [];
  for (const tx of txs) withNonce.push({ ...tx, nonce: `0x${(await nextNonce(tx.from)).toString(16)}` });
  txs = withNonce;
  for (let i = 0; i < txs.length; i += PER_BLOCK) {
    const chunk = txs.slice(i, i + PER_BLOCK);
    const res = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        chunk.map((tx) => ({ jsonrpc: '2.0', id: ++rpcId, method: 'eth_sendTransaction', params: [{ ...tx, gas: '0x7a120' }] })),
      ),
    });
    const results = (await res.json()) as { result?: Hex; error?: { message: string } }[];
    for (const r of results) if (r.error) throw new Error(`${name}: ${r.error.message}`);
    await rpc('evm_mine');
    const receipts = (await rpc('eth_getBlockReceipts', ['latest'])) as { status: Hex; transactionHash: Hex }[];
    const failed = receipts.filter((r) => r.status !== '0x1');
    if (receipts.length !== chunk.length || failed.length) {
      throw new Error(`${name}: ${failed.length} of ${chunk.length} transactions reverted (${receipts.length} mined), e.g. ${failed[0]?.transactionHash}`);
    }
  }
  console.log(`  ${name}: ${txs.length} txs in ${Date.now() - started} ms`);
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), 'necto-bench-'));
  const anvil = await startAnvil(['--accounts', String(3 + PROVIDERS + BUYERS), '--gas-limit', '1000000000', '--order', 'fifo']);
  rpcUrl = anvil.rpc;
  try {
    console.log('deploying and building…');
    const deployment = deploy(anvil.rpc);
    const build = buildSubgraph(deployment, workDir);
    const { JobMarket: market, ProviderRegistry: registry, MockUSDC: token } = deployment.contracts;
    const accounts = (await rpc('eth_accounts')) as Address[];
    const keeper = accounts[1]!;
    const providers = accounts.slice(3, 3 + PROVIDERS);
    const buyers = accounts.slice(3 + PROVIDERS, 3 + PROVIDERS + BUYERS);

    await rpc('evm_setAutomine', [false]);
    const seedStart = Date.now();
    console.log(`seeding ${JOBS} jobs…`);
    await phase('providers', providers.map((p, i) => call(p, registry, providerRegistryAbi as Abi, 'registerProvider', [`Provider ${i}`, '', 'us-east', p])));
    const offers: { provider: Address; offerId: number; price: bigint }[] = [];
    const listings: Tx[] = [];
    providers.forEach((p, i) => {
      for (let k = 0; k < OFFERS_PER_PROVIDER; k++) {
        const price = usdc(1 + (i * OFFERS_PER_PROVIDER + k) / 100);
        listings.push(call(p, registry, providerRegistryAbi as Abi, 'listOffer', [
          { gpuModel: ['H100', 'A100', 'L4', 'RTX4090'][k]!, gpuCount: 1 + k, vramGb: 24 + 8 * k, vcpu: 16, ramGb: 64, region: 'us-east', pricePerGpuHour: price, availableUnits: 1000 },
        ]));
        offers.push({ provider: p, offerId: offers.length + 1, price });
      }
    });
    await phase('offers', listings);
    // Every offer re-priced once (price history), 5 % cheaper.
    await phase('reprice', offers.map((o) => {
      o.price = (o.price * 95n) / 100n;
      return call(o.provider, registry, providerRegistryAbi as Abi, 'repriceOffer', [BigInt(o.offerId), o.price]);
    }));
    // Each buyer needs 2 USDC per job; the faucet mints at most FAUCET_LIMIT per call.
    const perBuyer = usdc(2) * BigInt(Math.ceil(JOBS / BUYERS));
    const limit = (await readUint(token, mockUSDCAbi as Abi, 'FAUCET_LIMIT')) as bigint;
    const mints = Number((perBuyer + limit - 1n) / limit);
    await phase('faucet', buyers.flatMap((b) => [
      ...Array.from({ length: mints }, () => call(b, token, mockUSDCAbi as Abi, 'faucet', [b, limit])),
      call(b, token, mockUSDCAbi as Abi, 'approve', [market, 2n ** 255n]),
    ]));

    await phase('submit', Array.from({ length: JOBS }, (_, i) => call(buyers[i % BUYERS]!, market, jobMarketAbi as Abi, 'submitJob', [
      jobSpec({ specHash: hashOf(`bench-${i}`), document: `bench-${i}`, maxPricePerGpuHour: Number(usdc(2)), tracked: true, gpuModels: ['H100', 'A100'], regions: ['us-east'] }),
      usdc(2),
    ])));
    // anvil takes a batch's transactions in no fixed order across senders: read who got which job id.
    const submitted = (await rpc('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest', address: market, topics: [toEventSelector(getAbiItem({ abi: jobMarketAbi as Abi, name: 'JobSubmitted' }) as AbiEvent)] }])) as { topics: Hex[] }[];
    const jobs = submitted.map((log, i) => ({ id: BigInt(log.topics[1]!), buyer: `0x${log.topics[2]!.slice(26)}` as Address, offer: offers[i % offers.length]! }));
    await phase('route', jobs.map((j) => call(keeper, market, jobMarketAbi as Abi, 'commitRoute', [j.id, onChainRoute(j.offer.provider, j.offer.offerId, j.offer.price, `bench-${j.id}`)])));
    await phase('accept', jobs.map((j) => call(j.buyer, market, jobMarketAbi as Abi, 'acceptRoute', [j.id])));
    await phase('start', jobs.map((j) => call(j.offer.provider, market, jobMarketAbi as Abi, 'startJob', [j.id])));
    await rpc('evm_increaseTime', [1800]);
    await phase('complete', jobs.map((j) => call(j.offer.provider, market, jobMarketAbi as Abi, 'completeJob', [j.id, hashOf(`result-${j.id}`)])));
    await phase('confirm', jobs.map((j) => call(j.buyer, market, jobMarketAbi as Abi, 'confirmJob', [j.id])));
    await rpc('evm_setAutomine', [true]);
    const head = Number(BigInt(await rpc('eth_blockNumber')));
    const logs = (await rpc('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest', address: [market, registry, deployment.contracts.TeamRegistry] }])) as unknown[];
    console.log(`seeded ${logs.length} subgraph events in ${head} blocks in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    const started = performance.now();
    const node = await startDevnode({ subgraph: build, rpc: anvil.rpc, port: null, name: 'necto-bench', pollMs: 20, log: () => {} });
    try {
      await node.waitForBlock(head, 600_000);
      const seconds = (performance.now() - started) / 1000;
      const status = node.status();
      if (status.fatalError) throw new Error(`devnode failed: ${status.fatalError.message}`);
      const handled = node.progress().events;
      console.log(`indexed ${handled} events (${logs.length} logs) in ${seconds.toFixed(2)} s`);
      console.log(`subgraph.index_events_per_s: ${Math.round(logs.length / seconds)}`);
    } finally {
      await node.close();
    }
  } finally {
    anvil.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
