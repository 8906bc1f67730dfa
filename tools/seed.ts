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
const ROUTE_TIMEOUT_MS = Number(process.env.SEED_ROUTE_TIMEOUT_MS ?? 60_000);
const AGENTS = process.env.SEED_AGENTS !== '0';
/** How long the seed waits for an agent to start or finish a demo job (image present: seconds). */
const RUN_TIMEOUT_MS = Number(process.env.SEED_RUN_TIMEOUT_MS ?? 120_000);

const chain = { ...foundry, rpcUrls: { default: { http: [rpcUrl] } } };
const publicClient = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 200 });
const d = getDeployment(31337).contracts;
const usdc = (n: number) => parseUnits(String(n), 6);

const wallet = (i: number) =>
  createWalletClient({ account: privateKeyToAccount(ANVIL_ACCOUNTS[i].privateKey as Hex), chain, transport: http(rpcUrl) });
const [buyer, buyer2] = [3, 4].map(wallet);
const providerWallets = DEMO_PROVIDERS.map((p) => wallet(p.account));

async function send(label: string, w: ReturnType<typeof wallet>, request: Parameters<ReturnType<typeof wallet>['writeContract']>[0]) {
  const hash = await w.writeContract(request);
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`${label}: transaction reverted (${hash})`);
  console.log(`  ✓ ${label}`);
  return receipt;
}

/**
 * Local chain only: moves the clock so the demo's jobs have run for a while (billing is per second). The stack starts
 * the chain two hours in the past, so these moves replay the past; `catchUp` then brings the chain to the wall clock.
 */
async function warp(seconds: number, why: string) {
  await publicClient.request({ method: 'evm_increaseTime' as never, params: [seconds] as never });
  await publicClient.request({ method: 'evm_mine' as never, params: [] as never });
  console.log(`  ⏩ ${Math.round(seconds / 60)} min later (${why})`);
}

/** Moves chain time to the wall clock when the seed left it behind, so later events are not dated in the past. */
async function catchUp() {
  const block = await publicClient.getBlock();
  const behind = Math.floor(Date.now() / 1000) - Number(block.timestamp);
  if (behind > 1) {
    await publicClient.request({ method: 'evm_increaseTime' as never, params: [behind] as never });
    await publicClient.request({ method: 'evm_mine' as never, params: [] as never });
    console.log(`  ⏩ chain time caught up with the wall clock (${Math.round(behind / 60)} min)`);
  } else if (behind < -60) {
    console.log(`  note: chain time is ${Math.round(-behind / 60)} min ahead of the wall clock (the chain did not start in the past)`);
  }
}

const STATUS = ['None', 'Open', 'Routed', 'Accepted', 'Running', 'Completed', 'Settled', 'Cancelled', 'Expired', 'Disputed', 'Resolved'];
async function jobStatus(jobId: bigint): Promise<string> {
  const job = await publicClient.readContract({ address: d.JobMarket, abi: jobMarketAbi, functionName: 'getJob', args: [jobId] });
  return STATUS[Number(job.status)] ?? 'Unknown';
}
async function waitForStatus(jobId: bigint, wanted: string[], timeoutMs = ROUTE_TIMEOUT_MS): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = await jobStatus(jobId);
    if (wanted.includes(s)) return s;
    await new Promise((r) => setTimeout(r, 300));
  }
  return null;
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
  console.log('seed: USDC for buyers');
  for (const w of [buyer, buyer2]) {
    await send(`faucet 50,000 USDC → ${w.account!.address}`, w, { address: d.USDC, abi: mockUSDCAbi, functionName: 'faucet', args: [w.account!.address, usdc(50_000)], account: w.account!, chain });
    await send('approve JobMarket', w, { address: d.USDC, abi: mockUSDCAbi, functionName: 'approve', args: [d.JobMarket, 2n ** 255n], account: w.account!, chain });
  }

  console.log('seed: providers and offers');
  for (const [i, p] of DEMO_PROVIDERS.entries()) {
    const w = providerWallets[i]!;
    for (const r of [p.region, ...p.offers.map((o) => o.region)]) if (!isRegionId(r)) throw new Error(`${p.name}: ${r} is not a region id (dapp/src/lib/regions.ts)`);
    await send(`register ${p.name}`, w, { address: d.ProviderRegistry, abi: providerRegistryAbi, functionName: 'registerProvider', args: [p.name, `https://necto.dev/providers/${p.name.toLowerCase().replace(/ /g, '-')}.json`, p.region, w.account!.address], account: w.account!, chain });
    for (const o of p.offers) {
      await send(`  offer ${o.gpuModel}×${o.gpuCount} @ $${o.price}/GPU-h`, w, {
        address: d.ProviderRegistry, abi: providerRegistryAbi, functionName: 'listOffer',
        args: [{ gpuModel: o.gpuModel, gpuCount: o.gpuCount, vramGb: o.vramGb, vcpu: o.vcpu, ramGb: o.ramGb, region: o.region, pricePerGpuHour: priceUnits(o.price), availableUnits: o.units }],
        account: w.account!, chain,
      });
    }
  }

  console.log('seed: a team with two members');
  await send('create team "Research Lab" (cap 5,000 USDC / 30 days)', buyer, { address: d.TeamRegistry, abi: teamRegistryAbi, functionName: 'createTeam', args: ['Research Lab', usdc(5_000), 30 * 24 * 3600], account: buyer.account!, chain });
  const teamId = (await publicClient.readContract({ address: d.TeamRegistry, abi: teamRegistryAbi, functionName: 'teamCount' })) as bigint;
  await send('add member', buyer, { address: d.TeamRegistry, abi: teamRegistryAbi, functionName: 'addMember', args: [teamId, buyer2.account!.address], account: buyer.account!, chain });

  console.log('seed: jobs');
  const settled = await submit('job A (A100, auto-sign) → settled', buyer, spec({ gpuModels: ['A100'], minVramGb: 80, gpuCount: 2, maxPrice: 1.6, teamId: Number(teamId), seconds: 20 }));
  const running = await submit('job B (H100, team, manual accept) → running', buyer2, spec({ gpuModels: ['H100'], minVramGb: 80, maxPrice: 2.6, hours: 4, autoAccept: false, teamId: Number(teamId), seconds: 3600 }));
  const awaiting = await submit('job C (L40S, manual accept) → awaiting acceptance', buyer, spec({ gpuModels: ['L40S', 'A100'], minVramGb: 48, maxPrice: 1.0, autoAccept: false, regions: ['eu-north'] }));
  const completed = await submit('job D (RTX4090) → completed', buyer2, spec({ gpuModels: ['RTX4090'], minVramGb: 24, maxPrice: 0.5, hours: 1, seconds: 15 }));
  const akash = await submit('job E (any GPU, Akash allowed)', buyer, spec({ gpuModels: ['A100', 'H100'], minVramGb: 40, maxPrice: 2.0, allowExternal: true }));
  const cancelled = await submit('job F → cancelled', buyer, spec({ gpuModels: ['H100'], minVramGb: 80, maxPrice: 3.0, autoAccept: false }));
  await send('cancel job F', buyer, { address: d.JobMarket, abi: jobMarketAbi, functionName: 'cancelJob', args: [cancelled], account: buyer.account!, chain });

  console.log(`seed: waiting for the keeper to route (up to ${ROUTE_TIMEOUT_MS / 1000} s)`);
  const confirm = (label: string, jobId: bigint) =>
    send(label, buyer, { address: d.JobMarket, abi: jobMarketAbi, functionName: 'confirmJob', args: [jobId], account: buyer.account!, chain });

  if (await waitForStatus(running, ['Routed'])) {
    await send('job B: buyer accepts the route', buyer2, { address: d.JobMarket, abi: jobMarketAbi, functionName: 'acceptRoute', args: [running], account: buyer2.account!, chain });
  }
  await waitForStatus(awaiting, ['Routed']);
  if (AGENTS) {
    // The agents start A, B and D once routed and accepted, and complete A and D when their containers exit.
    console.log('seed: waiting for the provider agents to run jobs A, B and D');
    await waitForStatus(running, ['Running'], RUN_TIMEOUT_MS);
    if (await waitForStatus(completed, ['Completed'], RUN_TIMEOUT_MS)) console.log('seed: job D completed by its agent');
    if (await waitForStatus(settled, ['Completed'], RUN_TIMEOUT_MS)) await confirm('job A: buyer confirms the verified result (settled)', settled);
  }
  await waitForStatus(akash, ['Accepted']);
  await warp(50 * 60, 'job E passes its start deadline on Akash, so the keeper re-routes it');
  await catchUp();
  const statuses = await Promise.all([settled, running, awaiting, completed, akash, cancelled].map(async (id) => `#${id} ${await jobStatus(id)}`));
  console.log(`seed: done — jobs ${statuses.join(', ')}`);
  const unrouted = statuses.filter((s) => s.endsWith('Open'));
  if (unrouted.length) console.log(`seed: note — ${unrouted.length} job(s) still open: is the keeper routing? (${keeperUrl}/health)`);
}

main().catch((e) => {
  console.error(`seed failed: ${e instanceof Error ? (process.env.DEBUG ? e.stack : e.message) : String(e)}`);
  process.exit(1);
});
