// Demo data for the local stack: three providers with offers in different regions and prices, a team with two
// members, and jobs in several states (settled, running, routed awaiting acceptance, completed, cancelled, open).
// Everything goes through the contracts with the demo wallets; routing is done by the running keeper, and the jobs
// run for real: the demo image's progress loop in the stack's provider agents, which start and complete them with
// the root of their result manifest. Without agents (SEED_AGENTS=0) jobs stay where routing leaves them.
import {
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  parseUnits,
  stringToBytes,
  webSocket,
  type Hex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import {
  getDeployment,
  jobMarketAbi,
  mockUSDCAbi,
  providerRegistryAbi,
  teamRegistryAbi,
} from '../contracts/generated/index.ts';
import { demoCommand, DEMO_IMAGE } from '../provider/scripts/demo-command.mjs';
import { DEMO_PROVIDERS, priceUnits } from './demo-providers.mjs';
import { isRegionId } from '../dapp/src/lib/regions.ts';
import { ANVIL_ACCOUNTS } from './lib.mjs';

const rpcUrl = process.env.RPC_URL ?? 'http://127.0.0.1:8545';
const keeperUrl = process.env.KEEPER_URL ?? 'http://127.0.0.1:8787';
const subgraphUrl = process.env.SUBGRAPH_URL;
const ROUTE_TIMEOUT_MS = Number(process.env.SEED_ROUTE_TIMEOUT_MS ?? 60_000);
const AGENTS = process.env.SEED_AGENTS !== '0';
/** How long the seed waits for an agent to start or finish a demo job (image present: seconds). */
const RUN_TIMEOUT_MS = Number(process.env.SEED_RUN_TIMEOUT_MS ?? 120_000);
/** The chain's block time to restore after the seed (it mines each transaction at once meanwhile); unset: leave it. */
const BLOCK_TIME = process.env.SEED_BLOCK_TIME === undefined ? null : Number(process.env.SEED_BLOCK_TIME);

const chain = { ...foundry, rpcUrls: { default: { http: [rpcUrl] } } };
const publicClient = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 200 });
// The waits follow the chain's events (eth_subscribe on anvil's WebSocket endpoint, the same port), not a timer.
const events = createPublicClient({ chain, transport: webSocket(rpcUrl.replace(/^http/, 'ws')) });
const d = getDeployment(31337).contracts;
const usdc = (n: number) => parseUnits(String(n), 6);

const wallet = (i: number) =>
  createWalletClient({ account: privateKeyToAccount(ANVIL_ACCOUNTS[i].privateKey as Hex), chain, transport: http(rpcUrl) });
const [buyer, buyer2] = [3, 4].map(wallet);
const providerWallets = DEMO_PROVIDERS.map((p) => wallet(p.account));

async function send(label: string, w: ReturnType<typeof wallet>, request: Parameters<ReturnType<typeof wallet>['writeContract']>[0]) {
  const hash = await w.writeContract(request);
  const receipt = await events.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`${label}: transaction reverted (${hash})`);
  console.log(`  ✓ ${label}`);
  return receipt;
}

/**
 * Local chain only: while seeding, every transaction (the seed's, the keeper's, the agents') is mined at once
 * instead of at the next block; the block time is restored after.
 */
async function mineEachTransaction(): Promise<() => Promise<void>> {
  if (BLOCK_TIME === null) return async () => undefined;
  await publicClient.request({ method: 'evm_setAutomine' as never, params: [true] as never });
  return async () => {
    if (BLOCK_TIME > 0) await publicClient.request({ method: 'anvil_setIntervalMining' as never, params: [BLOCK_TIME] as never });
  };
}

/** Moves chain time to the wall clock when the seed left it behind, so later events are not dated in the past. */
async function catchUp() {
  const block = await publicClient.getBlock();
  const behind = Math.floor(Date.now() / 1000) - Number(block.timestamp);
  if (behind > 1) {
    await publicClient.request({ method: 'evm_increaseTime' as never, params: [behind] as never });
    await publicClient.request({ method: 'evm_mine' as never, params: [] as never });
    console.log(`  ⏩ chain time caught up with the wall clock (${Math.round(behind / 60)} min: the jobs have run since)`);
  } else if (behind < -60) {
    console.log(`  note: chain time is ${Math.round(-behind / 60)} min ahead of the wall clock (the chain did not start in the past)`);
  }
}

const STATUS = ['None', 'Open', 'Routed', 'Accepted', 'Running', 'Completed', 'Settled', 'Cancelled', 'Expired', 'Disputed', 'Resolved'];
async function jobStatus(jobId: bigint): Promise<string> {
  const job = await publicClient.readContract({ address: d.JobMarket, abi: jobMarketAbi, functionName: 'getJob', args: [jobId] });
  return STATUS[Number(job.status)] ?? 'Unknown';
}

interface Waiter { jobId: bigint; wanted: readonly string[]; done: (status: string) => void }
const waiters = new Set<Waiter>();
async function check(w: Waiter) {
  const s = await jobStatus(w.jobId);
  if (w.wanted.includes(s) && waiters.delete(w)) w.done(s);
}
/** Re-reads a job's status on each JobMarket event about it (started before the first transaction). */
function watchJobs(): () => void {
  return events.watchContractEvent({
    address: d.JobMarket,
    abi: jobMarketAbi,
    onLogs: (logs) => {
      const ids = new Set(logs.map((l) => (l.args as { jobId?: bigint }).jobId).filter((id): id is bigint => typeof id === 'bigint'));
      for (const w of waiters) if (ids.has(w.jobId)) void check(w).catch((e: unknown) => console.log(`  note: reading job #${w.jobId}: ${String(e)}`));
    },
    onError: (e) => console.log(`  note: chain event subscription: ${e.message}`),
  });
}
/** Resolves with the job's status once it is one of `wanted` (null after the timeout). */
function untilStatus(jobId: bigint, wanted: readonly string[], timeoutMs = ROUTE_TIMEOUT_MS): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { if (waiters.delete(w)) resolve(null); }, timeoutMs);
    const w: Waiter = { jobId, wanted, done: (status) => { clearTimeout(timer); resolve(status); } };
    waiters.add(w);
    check(w).catch(reject);
  });
}

/**
 * Under the stack (SEED_GATE=stdin) the jobs wait for a line on stdin: the keeper, the provider agents and the
 * subgraph are up. The accounts, providers and team do not need them and are seeded before.
 */
function servicesReady(): Promise<void> {
  if (process.env.SEED_GATE !== 'stdin') return Promise.resolve();
  return new Promise((resolve) => {
    process.stdin.once('data', () => resolve());
    process.stdin.once('end', () => resolve());
  });
}

/** The keeper reads offers from the subgraph: jobs go in once it has indexed the block that listed them. */
async function untilIndexed(block: bigint) {
  if (!subgraphUrl) return;
  const deadline = Date.now() + ROUTE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const r = await fetch(subgraphUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _meta { block { number } } }' }) }).catch(() => null);
    const body = r?.ok ? ((await r.json()) as { data?: { _meta?: { block?: { number?: number } } } }) : null;
    if (BigInt(body?.data?._meta?.block?.number ?? -1) >= block) return;
    // devnode polls the chain every 250 ms and has no subscription to wait on.
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`the subgraph at ${subgraphUrl} did not index block ${block} within ${ROUTE_TIMEOUT_MS / 1000} s`);
}

interface SpecDoc { command: string[]; gpuModels: string[]; image: string; regions: string[] }
function spec(o: Partial<{ gpuModels: string[]; regions: string[]; gpuCount: number; minVramGb: number; maxPrice: number; hours: number; teamId: number; autoAccept: boolean; tracked: boolean; allowExternal: boolean; seconds: number }>) {
  // Keys in sorted order: JSON.stringify of this flat document is its canonical JSON. The demo image prints its
  // progress once a second for `seconds` and writes /outputs/result.txt.
  const doc: SpecDoc = { command: demoCommand(o.seconds ?? 60), gpuModels: o.gpuModels ?? [], image: DEMO_IMAGE, regions: o.regions ?? [] };
  const json = JSON.stringify(doc);
  const tracked = o.tracked ?? true;
  return {
    doc: json,
    spec: {
      specHash: keccak256(stringToBytes(json)),
      maxPricePerGpuHour: Number(usdc(o.maxPrice ?? 3)),
      duration: (o.hours ?? 2) * 3600,
      gpuCount: o.gpuCount ?? 1,
      minVramGb: o.minVramGb ?? 24,
      minVcpu: 8,
      minRamGb: 32,
      teamId: o.teamId ?? 0,
      startBy: 0,
      autoAccept: o.autoAccept ?? true,
      tracked,
      allowExternal: o.allowExternal ?? false,
      gpuModels: o.gpuModels ?? [],
      regions: o.regions ?? [],
      // Tracked jobs publish the document on-chain; untracked ones hand it to the keeper only.
      document: tracked ? json : '',
    },
  };
}
const budgetFor = (s: ReturnType<typeof spec>['spec']) => (BigInt(s.maxPricePerGpuHour) * BigInt(s.gpuCount) * BigInt(s.duration) + 3599n) / 3600n;

async function submit(label: string, w: ReturnType<typeof wallet>, s: ReturnType<typeof spec>) {
  const budget = budgetFor(s.spec);
  const receipt = await send(`${label}: submitJob (${Number(budget) / 1e6} USDC)`, w, {
    address: d.JobMarket, abi: jobMarketAbi, functionName: 'submitJob', args: [s.spec, budget], account: w.account!, chain,
  });
  const submitted = receipt.logs.find((l) => l.address.toLowerCase() === d.JobMarket.toLowerCase() && l.topics[1]);
  if (!submitted?.topics[1]) throw new Error(`${label}: no JobSubmitted event`);
  return BigInt(submitted.topics[1]);
}

async function main() {
  const t0 = Date.now();
  const secondsSince = (ms: number) => ((Date.now() - ms) / 1000).toFixed(1);
  const unwatch = watchJobs();
  const restoreMining = await mineEachTransaction();
  try {
    // Each wallet's transactions in order, the wallets side by side.
    console.log('seed: USDC for buyers, providers and offers, a team with two members');
    const fund = async (w: ReturnType<typeof wallet>) => {
      await send(`faucet 50,000 USDC → ${w.account!.address}`, w, { address: d.USDC, abi: mockUSDCAbi, functionName: 'faucet', args: [w.account!.address, usdc(50_000)], account: w.account!, chain });
      await send('approve JobMarket', w, { address: d.USDC, abi: mockUSDCAbi, functionName: 'approve', args: [d.JobMarket, 2n ** 255n], account: w.account!, chain });
    };
    const team = (async () => {
      await fund(buyer);
      await send('create team "Research Lab" (cap 5,000 USDC / 30 days)', buyer, { address: d.TeamRegistry, abi: teamRegistryAbi, functionName: 'createTeam', args: ['Research Lab', usdc(5_000), 30 * 24 * 3600], account: buyer.account!, chain });
      const id = (await publicClient.readContract({ address: d.TeamRegistry, abi: teamRegistryAbi, functionName: 'teamCount' })) as bigint;
      await send('add member', buyer, { address: d.TeamRegistry, abi: teamRegistryAbi, functionName: 'addMember', args: [id, buyer2.account!.address], account: buyer.account!, chain });
      return id;
    })();
    const providers = DEMO_PROVIDERS.map(async (p, i) => {
      const w = providerWallets[i]!;
      for (const r of [p.region, ...p.offers.map((o) => o.region)]) if (!isRegionId(r)) throw new Error(`${p.name}: ${r} is not a region id (dapp/src/lib/regions.ts)`);
      await send(`register ${p.name}`, w, { address: d.ProviderRegistry, abi: providerRegistryAbi, functionName: 'registerProvider', args: [p.name, `https://necto.dev/providers/${p.name.toLowerCase().replace(/ /g, '-')}.json`, p.region, w.account!.address], account: w.account!, chain });
      for (const o of p.offers) {
        await send(`  ${p.name}: offer ${o.gpuModel}×${o.gpuCount} @ $${o.price}/GPU-h`, w, {
          address: d.ProviderRegistry, abi: providerRegistryAbi, functionName: 'listOffer',
          args: [{ gpuModel: o.gpuModel, gpuCount: o.gpuCount, vramGb: o.vramGb, vcpu: o.vcpu, ramGb: o.ramGb, region: o.region, pricePerGpuHour: priceUnits(o.price), availableUnits: o.units }],
          account: w.account!, chain,
        });
      }
    });
    const [teamId] = await Promise.all([team, fund(buyer2), ...providers]);
    const setupBlock = await publicClient.getBlockNumber();
    const setupS = secondsSince(t0);

    const tReady = Date.now();
    if (process.env.SEED_GATE === 'stdin') console.log('seed: jobs next, once the keeper, the provider agents and the subgraph are up');
    await servicesReady();
    await untilIndexed(setupBlock);
    const readyS = secondsSince(tReady);

    const tJobs = Date.now();
    console.log('seed: jobs');
    const settled = await submit('job A (A100, auto-sign) → settled', buyer, spec({ gpuModels: ['A100'], minVramGb: 80, gpuCount: 2, maxPrice: 1.6, teamId: Number(teamId), seconds: 3 }));
    const running = await submit('job B (H100, team, manual accept) → running', buyer2, spec({ gpuModels: ['H100'], minVramGb: 80, maxPrice: 2.6, hours: 4, autoAccept: false, teamId: Number(teamId), seconds: 3600 }));
    const awaiting = await submit('job C (L40S, manual accept) → awaiting acceptance', buyer, spec({ gpuModels: ['L40S', 'A100'], minVramGb: 48, maxPrice: 1.0, autoAccept: false, regions: ['eu-north'] }));
    const completed = await submit('job D (RTX4090) → completed', buyer2, spec({ gpuModels: ['RTX4090'], minVramGb: 24, maxPrice: 0.5, hours: 1, seconds: 2 }));
    const akash = await submit('job E (any GPU, Akash allowed) → running', buyer, spec({ gpuModels: ['A100', 'H100'], minVramGb: 40, maxPrice: 2.0, allowExternal: true, seconds: 3 }));
    const cancelled = await submit('job F → cancelled', buyer, spec({ gpuModels: ['H100'], minVramGb: 80, maxPrice: 3.0, autoAccept: false }));
    await send('cancel job F', buyer, { address: d.JobMarket, abi: jobMarketAbi, functionName: 'cancelJob', args: [cancelled], account: buyer.account!, chain });

    // The jobs' ways side by side; each wait ends at the event that moves its job, a job meant to be running is
    // left running.
    console.log(AGENTS ? 'seed: the keeper routes; the provider agents run jobs A, B, D and E' : 'seed: the keeper routes');
    const LATER = ['Running', 'Completed', 'Settled'];
    await Promise.all([
      (async () => {
        if (!(await untilStatus(running, ['Routed', 'Accepted', ...LATER]))) return;
        if ((await jobStatus(running)) === 'Routed') {
          await send('job B: buyer accepts the route', buyer2, { address: d.JobMarket, abi: jobMarketAbi, functionName: 'acceptRoute', args: [running], account: buyer2.account!, chain });
        }
        if (AGENTS && (await untilStatus(running, LATER, RUN_TIMEOUT_MS))) console.log('seed: job B running');
      })(),
      untilStatus(awaiting, ['Routed']),
      (async () => {
        if (AGENTS && (await untilStatus(completed, ['Completed'], RUN_TIMEOUT_MS))) console.log('seed: job D completed by its agent');
      })(),
      (async () => {
        if (!AGENTS || !(await untilStatus(settled, ['Completed'], RUN_TIMEOUT_MS))) return;
        await send('job A: buyer confirms the verified result (settled)', buyer, { address: d.JobMarket, abi: jobMarketAbi, functionName: 'confirmJob', args: [settled], account: buyer.account!, chain });
      })(),
      untilStatus(akash, AGENTS ? LATER : ['Accepted', ...LATER], AGENTS ? RUN_TIMEOUT_MS : ROUTE_TIMEOUT_MS),
    ]);
    const jobsS = secondsSince(tJobs);
    await catchUp();
    const statuses = await Promise.all([settled, running, awaiting, completed, akash, cancelled].map(async (id) => `#${id} ${await jobStatus(id)}`));
    console.log(`seed: done in ${secondsSince(t0)} s (accounts, providers, team ${setupS} s; waiting for the services ${readyS} s; jobs ${jobsS} s) — jobs ${statuses.join(', ')}`);
    const unrouted = statuses.filter((s) => s.endsWith('Open'));
    if (unrouted.length) console.log(`seed: note — ${unrouted.length} job(s) still open: is the keeper routing? (${keeperUrl}/health)`);
  } finally {
    await restoreMining();
    unwatch();
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(`seed failed: ${e instanceof Error ? (process.env.DEBUG ? e.stack : e.message) : String(e)}`);
  process.exit(1);
});
