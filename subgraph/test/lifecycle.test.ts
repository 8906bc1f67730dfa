/**
 * End to end: the real contracts on anvil, driven through the whole marketplace lifecycle with viem, indexed by the
 * real compiled subgraph in the devnode; every assertion reads the devnode's GraphQL API.
 *
 * One stack (anvil + deployment + build + devnode) for the whole file; the scenario runs once in `beforeAll`
 * and records what each step returned (blocks, timestamps, amounts) for the assertions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address } from 'viem';
import {
  clients,
  externalRef,
  externalRoute,
  hashOf,
  increaseTime,
  jobSpec,
  necto,
  onChainRef,
  onChainRoute,
  setNextTimestamp,
  usdc,
  type Clients,
  type Sent,
} from './support/chain.js';
import { startStack, type Stack } from './support/stack.js';

const DAY = 86400n;
const FEE_BPS = 250n;
const fee = (due: bigint) => (due * FEE_BPS) / 10_000n;
const lower = (a: string) => a.toLowerCase();

let stack: Stack;
let c: Clients;
let accounts: Address[];
// Roles (anvil default accounts, as Deploy.s.sol wires them).
let admin: Address; // #0 admin, treasury, arbiter, pauser
let keeper: Address; // #1
let settlement: Address; // #2 settlement account of akash, ionet, lambda, aws-spot
let acme: Address; // #3 provider A
let acmePayout: Address; // #4
let beta: Address; // #5 provider B (paid to itself)
let buyer: Address; // #6
let teamOwner: Address; // #7
let member: Address; // #8
let other: Address; // #9

/** What the scenario did, for the assertions. */
const r: Record<string, Sent> = {};
let day0: bigint;
let day1: bigint;

async function scenario() {
  const { market, providers, teams, usdc: token } = necto(c, stack.deployment);
  const marketAddress = stack.deployment.contracts.JobMarket;

  // Start on a fresh UTC day so that the day buckets are deterministic.
  const head = await c.publicClient.getBlock();
  day0 = head.timestamp / DAY + 1n;
  await setNextTimestamp(c, day0 * DAY + 60n);

  for (const who of [buyer, teamOwner, member]) {
    r[`faucet-${who}`] = await token('faucet', who, [who, usdc(1000)]);
    await token('approve', who, [marketAddress, 2n ** 255n]);
  }

  // Providers and offers.
  r.registerAcme = await providers('registerProvider', acme, ['Acme GPU', 'ipfs://acme', 'us-east', acmePayout]);
  r.registerBeta = await providers('registerProvider', beta, ['Beta Compute', '', 'eu-west', beta]);
  const offer = (gpuModel: string, gpuCount: number, vramGb: number, vcpu: number, ramGb: number, region: string, price: bigint, units: number) => ({
    gpuModel, gpuCount, vramGb, vcpu, ramGb, region, pricePerGpuHour: price, availableUnits: units,
  });
  r.listOffer1 = await providers('listOffer', acme, [offer('H100', 8, 80, 64, 512, 'us-east', usdc(2), 4)]);
  r.listOffer2 = await providers('listOffer', beta, [offer('A100', 4, 40, 32, 256, 'eu-west', usdc(1.5), 2)]);
  r.reprice1 = await providers('repriceOffer', acme, [1n, usdc(1.8)]);
  r.capacity1 = await providers('setOfferCapacity', acme, [1n, 3]);
  r.pauseBeta = await providers('setPaused', beta, [true]);
  r.resumeBeta = await providers('setPaused', beta, [false]);
  r.listOffer3 = await providers('listOffer', acme, [offer('L4', 1, 24, 8, 32, 'us-east', usdc(0.5), 10)]);
  r.deactivate3 = await providers('setOfferActive', acme, [3n, false]);
  r.updateAcme = await providers('updateProvider', acme, ['Acme GPU Cloud', 'ipfs://acme-2', 'us-east', acmePayout]);

  // Job 1: tracked, buyer accepts; topped up; started, completed after exactly 1 h, confirmed.
  r.submit1 = await market('submitJob', buyer, [
    jobSpec({
      specHash: hashOf('job-1'), document: 'job-1', maxPricePerGpuHour: Number(usdc(2.5)), duration: 3600, gpuCount: 2, minVramGb: 40, minVcpu: 16,
      minRamGb: 64, tracked: true, allowExternal: true, gpuModels: ['H100', 'A100'], regions: ['us-east', 'eu-west'],
    }),
    usdc(6),
  ]);
  r.route1 = await market('commitRoute', keeper, [1n, onChainRoute(acme, 1, usdc(1.8), 'job-1')]);
  r.accept1 = await market('acceptRoute', buyer, [1n]);
  r.topUp1 = await market('topUp', buyer, [1n, usdc(2), 1800]);
  r.start1 = await market('startJob', acme, [1n]);
  await setNextTimestamp(c, r.start1.timestamp + 3600n);
  r.complete1 = await market('completeJob', acme, [1n, hashOf('result-1')]);
  r.confirm1 = await market('confirmJob', buyer, [1n]);

  // Job 2: untracked, auto-accepted to Beta, which misses its start: re-routed to Acme, started, disputed after
  // 30 min of running, resolved 60 % to the provider.
  r.submit2 = await market('submitJob', buyer, [jobSpec({ specHash: hashOf('job-2'), duration: 7200, autoAccept: true }), usdc(4)]);
  r.route2 = await market('commitRoute', keeper, [2n, onChainRoute(beta, 2, usdc(1.5), 'job-2a')]);
  await increaseTime(c, 1000);
  r.reroute2 = await market('commitRoute', keeper, [2n, onChainRoute(acme, 1, usdc(1.8), 'job-2b')]);
  r.start2 = await market('startJob', acme, [2n]);
  await setNextTimestamp(c, r.start2.timestamp + 1800n);
  r.dispute2 = await market('disputeJob', buyer, [2n, hashOf('too slow')]);
  r.resolve2 = await market('resolveDispute', admin, [2n, 6000]);

  // Job 3: routed to an Akash provider (external), started by the keeper, cancelled after 15 min (pro-rata).
  r.submit3 = await market('submitJob', buyer, [
    jobSpec({ specHash: hashOf('job-3'), maxPricePerGpuHour: Number(usdc(3)), autoAccept: true, allowExternal: true }),
    usdc(3),
  ]);
  r.route3 = await market('commitRoute', keeper, [3n, externalRoute('akash', 'akash1provider', usdc(2), 'job-3')]);
  r.start3 = await market('startJob', keeper, [3n]);
  await setNextTimestamp(c, r.start3.timestamp + 900n);
  r.cancel3 = await market('cancelJob', buyer, [3n]);

  // Job 4: never routed; expired tomorrow.
  r.submit4 = await market('submitJob', buyer, [jobSpec({ specHash: hashOf('job-4'), maxPricePerGpuHour: Number(usdc(1)) }), usdc(1)]);

  // Job 5: routed to Beta, rejected by the buyer, cancelled while open (full refund).
  r.submit5 = await market('submitJob', buyer, [jobSpec({ specHash: hashOf('job-5') }), usdc(2)]);
  r.route5 = await market('commitRoute', keeper, [5n, onChainRoute(beta, 2, usdc(1.5), 'job-5')]);
  r.reject5 = await market('rejectRoute', buyer, [5n]);
  r.cancel5 = await market('cancelJob', buyer, [5n]);

  // Team: cap 10 USDC per 30 days; a member's job counts against it; a job over the cap reverts.
  r.createTeam = await teams('createTeam', teamOwner, ['Research', usdc(10), 30 * 86400]);
  r.addMember = await teams('addMember', teamOwner, [1n, member]);
  r.addOther = await teams('addMember', teamOwner, [1n, other]);
  r.submit6 = await market('submitJob', member, [
    jobSpec({ specHash: hashOf('job-6'), document: 'job-6', teamId: 1, tracked: true, gpuModels: ['H100'], regions: [] }),
    usdc(3),
  ]);
  await expect(
    market('submitJob', member, [jobSpec({ specHash: hashOf('job-over-cap'), teamId: 1 }), usdc(8)]),
  ).rejects.toThrow();
  r.route6 = await market('commitRoute', keeper, [6n, onChainRoute(acme, 1, usdc(1.8), 'job-6')]);
  r.accept6 = await market('acceptRoute', member, [6n]);
  r.start6 = await market('startJob', acme, [6n]);
  await setNextTimestamp(c, r.start6.timestamp + 3600n);
  r.complete6 = await market('completeJob', acme, [6n, hashOf('result-6')]);
  await increaseTime(c, 3601); // dispute window (1 h) closed: anyone may settle
  r.settle6 = await market('settleJob', other, [6n]);
  r.capSet = await teams('setSpendingCap', teamOwner, [1n, usdc(20), 30 * 86400]);
  r.removeMember = await teams('removeMember', teamOwner, [1n, member]);
  r.transferTeam = await teams('transferTeamOwnership', teamOwner, [1n, other]);

  // Provider status: suspended and reinstated by the pauser; protocol paused and unpaused.
  r.suspendBeta = await providers('setSuspended', admin, [beta, true]);
  r.reinstateBeta = await providers('setSuspended', admin, [beta, false]);
  r.pause = await market('pause', admin);
  r.unpause = await market('unpause', admin);

  // Tomorrow: job 4 expires; withdrawals; Beta deregisters.
  await increaseTime(c, Number(DAY));
  r.expire4 = await market('expireJob', other, [4n]);
  day1 = r.expire4.timestamp / DAY;
  r.withdrawAcme = await market('withdraw', acmePayout);
  r.withdrawBuyer = await market('withdrawTo', buyer, [other]);
  r.withdrawFees = await market('withdrawFees', other);
  r.deregisterBeta = await providers('deregisterProvider', beta);
}

// Expected amounts (fee 250 bps of the amount due; due = price × GPUs × billed seconds / 3600).
const due1 = (usdc(1.8) * 2n * 3600n) / 3600n; // 3.6
const job1 = { payout: due1 - fee(due1), fee: fee(due1), refund: usdc(8) - due1 };
const due2 = (((usdc(1.8) * 1n * 1800n) / 3600n) * 6000n) / 10_000n; // 60 % of 0.9
const job2 = { payout: due2 - fee(due2), fee: fee(due2), refund: usdc(4) - due2 };
const due3 = (usdc(2) * 900n) / 3600n; // 0.5
const job3 = { payout: due3 - fee(due3), fee: fee(due3), refund: usdc(3) - due3 };
const due6 = usdc(1.8);
const job6 = { payout: due6 - fee(due6), fee: fee(due6), refund: usdc(3) - due6 };

beforeAll(async () => {
  stack = await startStack();
  c = clients(stack.rpc);
  accounts = (await c.walletClient.getAddresses()) as Address[];
  [admin, keeper, settlement, acme, acmePayout, beta, buyer, teamOwner, member, other] = accounts as [
    Address, Address, Address, Address, Address, Address, Address, Address, Address, Address,
  ];
  await scenario();
  await stack.synced();
}, 240_000);

afterAll(async () => {
  await stack?.close();
});

describe('indexing', () => {
  it('is synced and healthy', async () => {
    const head = Number(await c.publicClient.getBlockNumber());
    const data = await stack.query(`{ _meta { block { number } hasIndexingErrors deployment } }`);
    expect(data._meta.block.number).toBe(head);
    expect(data._meta.hasIndexingErrors).toBe(false);
    expect(stack.devnode.status().health).toBe('healthy');
  });
});

describe('Protocol', () => {
  it('has the totals of the whole scenario', async () => {
    const { protocol } = await stack.query(`{ protocol(id: "necto") {
      jobsTotal jobsOpen jobsRouted jobsAccepted jobsRunning jobsCompleted jobsSettled jobsCancelled jobsExpired
      jobsDisputed jobsResolved trackedJobs routesTotal reroutesTotal volumeDeposited volumePaid feesTotal refundsTotal
      escrowBalance withdrawableTotal withdrawnTotal accruedFees feesWithdrawn providersTotal activeProviders offersTotal
      activeOffers teamsTotal feeBps treasury startWindow disputeWindow defaultStartBy paused authority } }`);
    const paid = job1.payout + job2.payout + job3.payout + job6.payout;
    const fees = job1.fee + job2.fee + job3.fee + job6.fee;
    const refunds = job1.refund + job2.refund + job3.refund + usdc(1) + usdc(2) + job6.refund;
    const withdrawn = job1.payout + job2.payout + job6.payout + (job1.refund + job2.refund + job3.refund + usdc(1) + usdc(2));
    expect(protocol).toEqual({
      jobsTotal: '6', jobsOpen: '0', jobsRouted: '0', jobsAccepted: '0', jobsRunning: '0', jobsCompleted: '0',
      jobsSettled: '2', jobsCancelled: '2', jobsExpired: '1', jobsDisputed: '0', jobsResolved: '1', trackedJobs: '2',
      routesTotal: '6', reroutesTotal: '1',
      volumeDeposited: String(usdc(6 + 2 + 4 + 3 + 1 + 2 + 3)),
      volumePaid: String(paid),
      feesTotal: String(fees),
      refundsTotal: String(refunds),
      escrowBalance: '0',
      withdrawableTotal: String(paid + refunds - withdrawn),
      withdrawnTotal: String(withdrawn),
      accruedFees: '0',
      feesWithdrawn: String(fees),
      providersTotal: '2', activeProviders: '1', offersTotal: '3', activeOffers: '2', teamsTotal: '1',
      feeBps: 250, treasury: lower(admin), startWindow: '900', disputeWindow: '3600', defaultStartBy: '86400',
      paused: false, authority: lower(stack.deployment.contracts.AccessManager),
    });
    expect(paid + fees + refunds).toBe(usdc(21)); // everything deposited came out
  });

  it('was paused at the pause block (time travel)', async () => {
    const q = `query($b: Int!) { protocol(id: "necto", block: { number: $b }) { paused } }`;
    expect((await stack.query(q, { b: r.pause.block })).protocol.paused).toBe(true);
    expect((await stack.query(q, { b: r.pause.block - 1 })).protocol.paused).toBe(false);
  });

  it('keeps day buckets', async () => {
    const { protocolDays } = await stack.query(`{ protocolDays(orderBy: day) { id day date jobsSubmitted jobsSettled routes deposited paid fees refunded } }`);
    expect(protocolDays).toEqual([
      {
        id: `necto-${day0}`, day: Number(day0), date: String(day0 * DAY), jobsSubmitted: '6', jobsSettled: '3', routes: '6',
        deposited: String(usdc(21)), paid: String(job1.payout + job2.payout + job3.payout + job6.payout),
        fees: String(job1.fee + job2.fee + job3.fee + job6.fee),
        refunded: String(job1.refund + job2.refund + job3.refund + usdc(2) + job6.refund),
      },
      {
        id: `necto-${day1}`, day: Number(day1), date: String(day1 * DAY), jobsSubmitted: '0', jobsSettled: '0', routes: '0',
        deposited: '0', paid: '0', fees: '0', refunded: String(usdc(1)),
      },
    ]);
  });
});

describe('Job', () => {
  it('job 1: full tracked lifecycle with every timestamp, payout, fee and refund', async () => {
    const { job } = await stack.query(`{ job(id: "1") {
      id jobId buyer { id } team { id } teamMember { id } status specHash tracked autoAccept allowExternal
      maxPricePerGpuHour gpuCount duration startBy gpuModels regions minVramGb minVcpu minRamGb document
      budget totalDeposited balance topUps round currentRoute { id } providerRef provider { id } offer { id }
      market externalId marketSettlement { id } pricePerGpuHour startDeadline operator rejections
      submittedAt routedAt acceptedAt startedAt completedAt settledAt cancelledAt expiredAt disputedAt resolvedAt
      updatedAt submittedAtBlock submittedTx resultHash disputeReasonHash providerShareBps arbiter payee payout fee refund
    } }`);
    expect(job).toEqual({
      id: '1', jobId: '1', buyer: { id: lower(buyer) }, team: null, teamMember: null, status: 'SETTLED',
      specHash: hashOf('job-1'), tracked: true, autoAccept: false, allowExternal: true,
      maxPricePerGpuHour: String(usdc(2.5)), gpuCount: 2, duration: '5400', startBy: String(r.submit1.timestamp + DAY),
      gpuModels: ['H100', 'A100'], regions: ['us-east', 'eu-west'], minVramGb: 40, minVcpu: 16, minRamGb: 64,
      document: 'job-1', budget: String(usdc(6)), totalDeposited: String(usdc(8)), balance: '0', topUps: 1, round: 1,
      currentRoute: { id: `${r.route1.hash}-${r.route1.receipt.logs.at(-1)!.logIndex}` },
      providerRef: onChainRef(acme), provider: { id: lower(acme) }, offer: { id: '1' },
      market: null, externalId: null, marketSettlement: null, pricePerGpuHour: String(usdc(1.8)),
      startDeadline: String(r.accept1.timestamp + 900n), operator: lower(acme), rejections: 0,
      submittedAt: String(r.submit1.timestamp), routedAt: String(r.route1.timestamp), acceptedAt: String(r.accept1.timestamp),
      startedAt: String(r.start1.timestamp), completedAt: String(r.complete1.timestamp), settledAt: String(r.confirm1.timestamp),
      cancelledAt: null, expiredAt: null, disputedAt: null, resolvedAt: null,
      updatedAt: String(r.confirm1.timestamp), submittedAtBlock: String(r.submit1.block), submittedTx: r.submit1.hash,
      resultHash: hashOf('result-1'), disputeReasonHash: null, providerShareBps: null, arbiter: null,
      payee: lower(acmePayout), payout: String(job1.payout), fee: String(job1.fee), refund: String(job1.refund),
    });
  });

  it('job 1 at past blocks (time travel)', async () => {
    const q = `query($b: Int!) { job(id: "1", block: { number: $b }) { status round balance acceptedAt startedAt duration } }`;
    expect((await stack.query(q, { b: r.submit1.block - 1 })).job).toBeNull();
    expect((await stack.query(q, { b: r.route1.block })).job).toEqual({
      status: 'ROUTED', round: 1, balance: String(usdc(6)), acceptedAt: null, startedAt: null, duration: '3600',
    });
    expect((await stack.query(q, { b: r.topUp1.block })).job).toEqual({
      status: 'ACCEPTED', round: 1, balance: String(usdc(8)), acceptedAt: String(r.accept1.timestamp), startedAt: null, duration: '5400',
    });
    expect((await stack.query(q, { b: r.complete1.block })).job.status).toBe('COMPLETED');
  });

  it('job 2: untracked, re-routed after a missed start, disputed and resolved', async () => {
    const { job } = await stack.query(`{ job(id: "2") {
      status tracked autoAccept gpuModels regions minVramGb round provider { id } offer { id } pricePerGpuHour
      routedAt acceptedAt startedAt completedAt disputedAt resolvedAt disputeReasonHash providerShareBps arbiter payee
      payout fee refund balance
      routes(orderBy: round) { round reroute provider { id } offer { id } pricePerGpuHour autoAccepted startDeadline keeper
        logRoot decisionHash market externalId }
    } }`);
    expect(job).toEqual({
      status: 'RESOLVED', tracked: false, autoAccept: true, gpuModels: null, regions: null, minVramGb: null, round: 2,
      provider: { id: lower(acme) }, offer: { id: '1' }, pricePerGpuHour: String(usdc(1.8)),
      routedAt: String(r.reroute2.timestamp), acceptedAt: String(r.reroute2.timestamp), startedAt: String(r.start2.timestamp),
      completedAt: null, disputedAt: String(r.dispute2.timestamp), resolvedAt: String(r.resolve2.timestamp),
      disputeReasonHash: hashOf('too slow'), providerShareBps: 6000, arbiter: lower(admin), payee: lower(acmePayout),
      payout: String(job2.payout), fee: String(job2.fee), refund: String(job2.refund), balance: '0',
      routes: [
        {
          round: 1, reroute: false, provider: { id: lower(beta) }, offer: { id: '2' }, pricePerGpuHour: String(usdc(1.5)),
          autoAccepted: true, startDeadline: String(r.route2.timestamp + 900n), keeper: lower(keeper),
          logRoot: hashOf('log:job-2a'), decisionHash: hashOf('decision:job-2a'), market: null, externalId: null,
        },
        {
          round: 2, reroute: true, provider: { id: lower(acme) }, offer: { id: '1' }, pricePerGpuHour: String(usdc(1.8)),
          autoAccepted: true, startDeadline: String(r.reroute2.timestamp + 900n), keeper: lower(keeper),
          logRoot: hashOf('log:job-2b'), decisionHash: hashOf('decision:job-2b'), market: null, externalId: null,
        },
      ],
    });
  });

  it('job 3: external Akash route, cancelled pro-rata, paid to the settlement account', async () => {
    const { job } = await stack.query(`{ job(id: "3") {
      status provider { id } offer { id } market externalId providerRef marketSettlement { id account enabled jobsRouted jobsPaid totalPaid marketKey }
      operator payee payout fee refund cancelledAt
      currentRoute { providerAddress offerId sdlHash market externalId marketSettlement { id } }
    } }`);
    expect(job).toEqual({
      status: 'CANCELLED', provider: null, offer: null, market: 'akash', externalId: 'akash1provider',
      providerRef: externalRef('akash', 'akash1provider'),
      marketSettlement: {
        id: 'akash', account: lower(settlement), enabled: true, jobsRouted: 1, jobsPaid: 1, totalPaid: String(job3.payout),
        marketKey: hashOf('akash'),
      },
      operator: lower(settlement), payee: lower(settlement), payout: String(job3.payout), fee: String(job3.fee),
      refund: String(job3.refund), cancelledAt: String(r.cancel3.timestamp),
      currentRoute: {
        providerAddress: '0x0000000000000000000000000000000000000000', offerId: '0', sdlHash: hashOf('sdl:job-3'),
        market: 'akash', externalId: 'akash1provider', marketSettlement: { id: 'akash' },
      },
    });
  });

  it('job 4 expired, job 5 rejected then cancelled', async () => {
    const { j4, j5 } = await stack.query(`{
      j4: job(id: "4") { status expiredAt refund payout payee balance }
      j5: job(id: "5") { status rejections round currentRoute { id } provider { id } cancelledAt refund payee routes { round provider { id } } }
    }`);
    expect(j4).toEqual({ status: 'EXPIRED', expiredAt: String(r.expire4.timestamp), refund: String(usdc(1)), payout: '0', payee: null, balance: '0' });
    expect(j5).toEqual({
      status: 'CANCELLED', rejections: 1, round: 1, currentRoute: null, provider: null, cancelledAt: String(r.cancel5.timestamp),
      refund: String(usdc(2)), payee: null, routes: [{ round: 1, provider: { id: lower(beta) } }],
    });
  });

  it('filters jobs with where, orderBy, first/skip', async () => {
    const { byStatus, firstTwo, nested } = await stack.query(`{
      byStatus: jobs(where: { status_in: [CANCELLED, EXPIRED] }, orderBy: jobId) { id }
      firstTwo: jobs(first: 2, skip: 1, orderBy: submittedAtBlock, orderDirection: desc) { id budget }
      nested: jobs(where: { provider_: { name_starts_with: "Acme" } }, orderBy: jobId) { id }
    }`);
    expect(byStatus.map((j: { id: string }) => j.id)).toEqual(['3', '4', '5']);
    expect(firstTwo).toEqual([{ id: '5', budget: String(usdc(2)) }, { id: '4', budget: String(usdc(1)) }]);
    expect(nested.map((j: { id: string }) => j.id)).toEqual(['1', '2', '6']);
  });
});

describe('escrow', () => {
  it('records every movement of job 1 and the withdrawals', async () => {
    const { movements, withdrawals } = await stack.query(`{
      movements: escrowMovements(where: { job: "1" }, orderBy: id) { kind amount account { id } }
      withdrawals(orderBy: blockNumber) { account { id } to amount protocolFees blockNumber }
    }`);
    const sorted = [...movements].sort((a: { kind: string }, b: { kind: string }) => a.kind.localeCompare(b.kind));
    expect(sorted).toEqual([
      { kind: 'DEPOSIT', amount: String(usdc(6)), account: { id: lower(buyer) } },
      { kind: 'FEE', amount: String(job1.fee), account: null },
      { kind: 'REFUND', amount: String(job1.refund), account: { id: lower(buyer) } },
      { kind: 'RELEASE', amount: String(job1.payout), account: { id: lower(acmePayout) } },
      { kind: 'TOP_UP', amount: String(usdc(2)), account: { id: lower(buyer) } },
    ]);
    expect(withdrawals).toEqual([
      { account: { id: lower(acmePayout) }, to: lower(acmePayout), amount: String(job1.payout + job2.payout + job6.payout), protocolFees: false, blockNumber: String(r.withdrawAcme.block) },
      { account: { id: lower(buyer) }, to: lower(other), amount: String(job1.refund + job2.refund + job3.refund + usdc(3)), protocolFees: false, blockNumber: String(r.withdrawBuyer.block) },
      { account: { id: lower(admin) }, to: lower(admin), amount: String(job1.fee + job2.fee + job3.fee + job6.fee), protocolFees: true, blockNumber: String(r.withdrawFees.block) },
    ]);
  });

  it('keeps per-account balances and totals', async () => {
    const { buyerAccount, payout, settlementAccount, memberAccount } = await stack.query(`{
      buyerAccount: account(id: "${lower(buyer)}") { withdrawable totalDeposited totalPaid totalRefunded totalEarned totalWithdrawn jobsSubmitted jobs(orderBy: jobId) { id } }
      payout: account(id: "${lower(acmePayout)}") { withdrawable totalEarned totalWithdrawn }
      settlementAccount: account(id: "${lower(settlement)}") { withdrawable totalEarned }
      memberAccount: account(id: "${lower(member)}") { withdrawable totalRefunded totalPaid memberships { id active } }
    }`);
    const buyerRefunds = job1.refund + job2.refund + job3.refund + usdc(3);
    expect(buyerAccount).toEqual({
      withdrawable: '0', totalDeposited: String(usdc(6 + 2 + 4 + 3 + 1 + 2)),
      totalPaid: String(job1.payout + job1.fee + job2.payout + job2.fee + job3.payout + job3.fee),
      totalRefunded: String(buyerRefunds), totalEarned: '0', totalWithdrawn: String(buyerRefunds), jobsSubmitted: '5',
      jobs: ['1', '2', '3', '4', '5'].map((id) => ({ id })),
    });
    expect(payout).toEqual({ withdrawable: '0', totalEarned: String(job1.payout + job2.payout + job6.payout), totalWithdrawn: String(job1.payout + job2.payout + job6.payout) });
    expect(settlementAccount).toEqual({ withdrawable: String(job3.payout), totalEarned: String(job3.payout) });
    expect(memberAccount).toEqual({
      withdrawable: String(job6.refund), totalRefunded: String(job6.refund), totalPaid: String(due6),
      memberships: [{ id: `1-${lower(member)}`, active: false }],
    });
  });

  it('buyer day spend', async () => {
    const { buyerDaySpends } = await stack.query(`{ buyerDaySpends(where: { buyer: "${lower(buyer)}" }, orderBy: day) { id day jobsSubmitted deposited spent refunded } }`);
    expect(buyerDaySpends).toEqual([
      {
        id: `${lower(buyer)}-${day0}`, day: Number(day0), jobsSubmitted: 5, deposited: String(usdc(18)),
        spent: String(due1 + due2 + due3), refunded: String(job1.refund + job2.refund + job3.refund + usdc(2)),
      },
      { id: `${lower(buyer)}-${day1}`, day: Number(day1), jobsSubmitted: 0, deposited: '0', spent: '0', refunded: String(usdc(1)) },
    ]);
  });
});

describe('providers and offers', () => {
  it('provider profiles, status and stats', async () => {
    const { a, b } = await stack.query(`{
      a: provider(id: "${lower(acme)}") { name metadataURI region payout status registeredAt offerCount activeOfferCount
        offers(orderBy: offerId) { id active }
        stats { jobsRouted jobsStarted onTimeStarts missedStarts onTimeStartRate jobsCompleted jobsPaid jobsDisputed jobsCancelled totalEarned totalFees lastJobAt } }
      b: provider(id: "${lower(beta)}") { name status offerCount stats { jobsRouted jobsStarted missedStarts onTimeStartRate totalEarned } }
    }`);
    expect(a).toEqual({
      name: 'Acme GPU Cloud', metadataURI: 'ipfs://acme-2', region: 'us-east', payout: lower(acmePayout), status: 'ACTIVE',
      registeredAt: String(r.registerAcme.timestamp), offerCount: 2, activeOfferCount: 1,
      offers: [{ id: '1', active: true }, { id: '3', active: false }],
      stats: {
        jobsRouted: 3, jobsStarted: 3, onTimeStarts: 3, missedStarts: 0, onTimeStartRate: '1', jobsCompleted: 2, jobsPaid: 3,
        jobsDisputed: 1, jobsCancelled: 0, totalEarned: String(job1.payout + job2.payout + job6.payout),
        totalFees: String(job1.fee + job2.fee + job6.fee), lastJobAt: String(r.settle6.timestamp),
      },
    });
    expect(b).toEqual({
      name: 'Beta Compute', status: 'DEREGISTERED', offerCount: 1,
      stats: { jobsRouted: 2, jobsStarted: 0, missedStarts: 1, onTimeStartRate: '0', totalEarned: '0' },
    });
  });

  it('provider status history (time travel)', async () => {
    const q = `query($b: Int!) { provider(id: "${lower(beta)}", block: { number: $b }) { status } }`;
    expect((await stack.query(q, { b: r.pauseBeta.block })).provider.status).toBe('PAUSED');
    expect((await stack.query(q, { b: r.resumeBeta.block })).provider.status).toBe('ACTIVE');
    expect((await stack.query(q, { b: r.suspendBeta.block })).provider.status).toBe('SUSPENDED');
    expect((await stack.query(q, { b: r.reinstateBeta.block })).provider.status).toBe('ACTIVE');
  });

  it('offers with price history and the comparison query of the submit screen', async () => {
    const { offer, comparisonNow } = await stack.query(`{
      offer(id: "1") { gpuModel gpuCount vramGb vcpu ramGb region pricePerGpuHour pricePerHour availableUnits active jobsRouted
        priceHistory(orderBy: blockNumber) { previousPrice pricePerGpuHour } }
      comparisonNow: offers(where: { active: true, availableUnits_gt: 0, provider_: { status: ACTIVE } }, orderBy: pricePerGpuHour) { id }
    }`);
    expect(offer).toEqual({
      gpuModel: 'H100', gpuCount: 8, vramGb: 80, vcpu: 64, ramGb: 512, region: 'us-east', pricePerGpuHour: String(usdc(1.8)),
      pricePerHour: String(usdc(1.8) * 8n), availableUnits: 3, active: true, jobsRouted: 3,
      priceHistory: [
        { previousPrice: null, pricePerGpuHour: String(usdc(2)) },
        { previousPrice: String(usdc(2)), pricePerGpuHour: String(usdc(1.8)) },
      ],
    });
    expect(comparisonNow).toEqual([{ id: '1' }]); // Beta deregistered, offer 3 inactive
    // Capacity follows the jobs: job 1's route took one of offer 1's 3 free units, its completion gave it back.
    const units = `query($b: Int!) { offer(id: "1", block: { number: $b }) { availableUnits } }`;
    expect((await stack.query(units, { b: r.route1.block })).offer.availableUnits).toBe(2);
    expect((await stack.query(units, { b: r.capacity1.block })).offer.availableUnits).toBe(3);
    const past = await stack.query(
      `query($b: Int!) { offers(block: { number: $b }, where: { active: true, provider_: { status: ACTIVE } }, orderBy: pricePerGpuHour) { id pricePerGpuHour } }`,
      { b: r.updateAcme.block },
    );
    expect(past.offers).toEqual([{ id: '2', pricePerGpuHour: String(usdc(1.5)) }, { id: '1', pricePerGpuHour: String(usdc(1.8)) }]);
  });

  it('provider day earnings', async () => {
    // graph-node names the collection `providerDayEarnings_collection`: the entity name is already plural.
    const { providerDayEarnings_collection: providerDayEarnings } = await stack.query(`{ providerDayEarnings_collection(where: { provider: "${lower(acme)}" }) { id day jobsRouted jobsStarted jobsCompleted jobsPaid earned fees } }`);
    expect(providerDayEarnings).toEqual([
      {
        id: `${lower(acme)}-${day0}`, day: Number(day0), jobsRouted: 3, jobsStarted: 3, jobsCompleted: 2, jobsPaid: 3,
        earned: String(job1.payout + job2.payout + job6.payout), fees: String(job1.fee + job2.fee + job6.fee),
      },
    ]);
  });
});

describe('teams', () => {
  it('team, members and spending', async () => {
    const { team } = await stack.query(`{ team(id: "1") {
      name owner spendingCap period periodStart spentInPeriod memberCount totalRecorded totalReleased totalDeposited
      totalSpent totalRefunded jobsSubmitted createdAt jobs { id }
      members(orderBy: id) { id address active owner jobsSubmitted deposited spent refunded removedAt }
    } }`);
    expect(team).toEqual({
      name: 'Research', owner: lower(other), spendingCap: String(usdc(20)), period: String(30 * 86400),
      periodStart: String(r.capSet.timestamp), spentInPeriod: '0', memberCount: 2, totalRecorded: String(usdc(3)),
      totalReleased: String(job6.refund), totalDeposited: String(usdc(3)), totalSpent: String(due6),
      totalRefunded: String(job6.refund), jobsSubmitted: 1, createdAt: String(r.createTeam.timestamp), jobs: [{ id: '6' }],
      members: [
        { id: `1-${lower(teamOwner)}`, address: lower(teamOwner), active: true, owner: false, jobsSubmitted: 0, deposited: '0', spent: '0', refunded: '0', removedAt: null },
        { id: `1-${lower(member)}`, address: lower(member), active: false, owner: false, jobsSubmitted: 1, deposited: String(usdc(3)), spent: String(due6), refunded: String(job6.refund), removedAt: String(r.removeMember.timestamp) },
        { id: `1-${lower(other)}`, address: lower(other), active: true, owner: true, jobsSubmitted: 0, deposited: '0', spent: '0', refunded: '0', removedAt: null },
      ],
    });
  });

  it('counted the job against the cap until the cap was reset (time travel)', async () => {
    const q = `query($b: Int!) { team(id: "1", block: { number: $b }) { spentInPeriod spendingCap owner } }`;
    expect((await stack.query(q, { b: r.submit6.block })).team).toEqual({ spentInPeriod: String(usdc(3)), spendingCap: String(usdc(10)), owner: lower(teamOwner) });
    expect((await stack.query(q, { b: r.settle6.block })).team.spentInPeriod).toBe(String(due6));
  });

  it('team day spend, per member and per provider', async () => {
    const { teamDaySpends, teamMemberDaySpends, teamProviderDaySpends } = await stack.query(`{
      teamDaySpends(where: { team: "1" }) { id day jobsSubmitted deposited spent refunded recorded released }
      teamMemberDaySpends(where: { team: "1" }) { id member jobsSubmitted deposited spent refunded }
      teamProviderDaySpends(where: { team: "1" }) { id providerRef provider { id } market jobsPaid spent }
    }`);
    expect(teamDaySpends).toEqual([
      { id: `1-${day0}`, day: Number(day0), jobsSubmitted: 1, deposited: String(usdc(3)), spent: String(due6), refunded: String(job6.refund), recorded: String(usdc(3)), released: String(job6.refund) },
    ]);
    expect(teamMemberDaySpends).toEqual([
      { id: `1-${lower(member)}-${day0}`, member: lower(member), jobsSubmitted: 1, deposited: String(usdc(3)), spent: String(due6), refunded: String(job6.refund) },
    ]);
    expect(teamProviderDaySpends).toEqual([
      { id: `1-${onChainRef(acme)}-${day0}`, providerRef: onChainRef(acme), provider: { id: lower(acme) }, market: null, jobsPaid: 1, spent: String(due6) },
    ]);
  });
});

describe('activity feed', () => {
  it('has one entry per user-visible event, with readable summaries', async () => {
    const { activityEvents } = await stack.query(`{ activityEvents(first: 1000, orderBy: blockNumber) { kind } }`);
    const count: Record<string, number> = {};
    for (const { kind } of activityEvents) count[kind] = (count[kind] ?? 0) + 1;
    expect(count).toEqual({
      PROVIDER_REGISTERED: 2, OFFER_LISTED: 3, OFFER_REPRICED: 1, OFFER_CAPACITY_CHANGED: 1, PROVIDER_PAUSED: 1,
      PROVIDER_RESUMED: 1, OFFER_DEACTIVATED: 1, PROVIDER_UPDATED: 1, JOB_SUBMITTED: 6, JOB_ROUTED: 5, JOB_REROUTED: 1,
      ROUTE_ACCEPTED: 2, JOB_TOPPED_UP: 1, JOB_STARTED: 4, JOB_COMPLETED: 2, JOB_SETTLED: 2, JOB_DISPUTED: 1,
      DISPUTE_RESOLVED: 1, JOB_CANCELLED: 2, ROUTE_REJECTED: 1, TEAM_CREATED: 1, TEAM_MEMBER_ADDED: 2, TEAM_CAP_SET: 1,
      TEAM_MEMBER_REMOVED: 1, TEAM_OWNERSHIP_TRANSFERRED: 1, PROVIDER_SUSPENDED: 1, PROVIDER_REINSTATED: 1,
      JOB_EXPIRED: 1, WITHDRAWAL: 2, FEES_WITHDRAWN: 1, PROVIDER_DEREGISTERED: 1,
    });
  });

  it('job 1 timeline', async () => {
    const { activityEvents } = await stack.query(`{ activityEvents(where: { job: "1" }, orderBy: blockNumber) { kind summary actor amount provider { id } involves } }`);
    expect(activityEvents.map((e: { kind: string }) => e.kind)).toEqual([
      'JOB_SUBMITTED', 'JOB_ROUTED', 'ROUTE_ACCEPTED', 'JOB_TOPPED_UP', 'JOB_STARTED', 'JOB_COMPLETED', 'JOB_SETTLED',
    ]);
    const short = (a: string) => `${lower(a).slice(0, 6)}…${lower(a).slice(-4)}`;
    expect(activityEvents[0]).toEqual({
      kind: 'JOB_SUBMITTED', summary: `Job #1 submitted by ${short(buyer)}: 2 GPU for 1h, budget 6.00 USDC`,
      actor: lower(buyer), amount: String(usdc(6)), provider: null, involves: [lower(buyer)],
    });
    expect(activityEvents[1].summary).toBe('Job #1 routed to Acme GPU Cloud at 1.80 USDC/GPU-hour');
    expect(activityEvents[1].actor).toBe(lower(keeper));
    expect(activityEvents[1].involves).toEqual([lower(keeper), lower(buyer), lower(acme)]);
    expect(activityEvents[3].summary).toBe('Job #1 topped up with 2.00 USDC (+30m)');
    expect(activityEvents[6].summary).toBe(`Job #1 settled: ${'3.51'} USDC paid, 0.09 USDC fee, 4.40 USDC refunded`);
  });

  it('per-user feed via involves_contains', async () => {
    const { activityEvents } = await stack.query(`{ activityEvents(where: { involves_contains: ["${lower(member)}"] }, orderBy: blockNumber) { kind } }`);
    expect(activityEvents.map((e: { kind: string }) => e.kind)).toEqual([
      'TEAM_MEMBER_ADDED', 'JOB_SUBMITTED', 'JOB_ROUTED', 'ROUTE_ACCEPTED', 'JOB_STARTED', 'JOB_COMPLETED', 'JOB_SETTLED', 'TEAM_MEMBER_REMOVED',
    ]);
  });
});

describe('dApp screen queries (as documented in README.md)', () => {
  it('all run without errors and return data', async () => {
    const me = lower(buyer);
    const queries: [string, Record<string, unknown>][] = [
      [`query Offers($models: [String!], $minVram: Int!, $regions: [String!]) {
        offers(where: { active: true, availableUnits_gt: 0, vramGb_gte: $minVram, gpuModel_in: $models, region_in: $regions, provider_: { status: ACTIVE } },
          orderBy: pricePerGpuHour, orderDirection: asc, first: 50) {
          id gpuModel gpuCount vramGb vcpu ramGb region pricePerGpuHour pricePerHour availableUnits
          provider { id name region stats { onTimeStartRate jobsCompleted jobsDisputed } } } }`,
        { models: ['H100', 'A100'], minVram: 40, regions: ['us-east'] }],
      [`query Job($id: ID!) { job(id: $id) {
          id status buyer { id } team { id name } tracked autoAccept allowExternal specHash gpuModels regions gpuCount
          minVramGb minVcpu minRamGb maxPricePerGpuHour duration startBy budget totalDeposited balance
          round pricePerGpuHour startDeadline provider { id name } offer { id gpuModel } market externalId
          submittedAt routedAt acceptedAt startedAt completedAt settledAt cancelledAt expiredAt disputedAt resolvedAt
          payee payout fee refund resultHash
          currentRoute { id logRoot decisionHash sdlHash keeper autoAccepted }
          routes(orderBy: round) { id round reroute provider { id name } market externalId pricePerGpuHour logRoot decisionHash sdlHash timestamp txHash }
          movements(orderBy: timestamp) { kind amount account { id } timestamp txHash }
          activity(orderBy: blockNumber) { kind summary timestamp txHash } } }`, { id: '6' }],
      [`query Provider($id: ID!, $payout: ID!, $since: Int!) { provider(id: $id) {
          name metadataURI region payout status registeredAt offerCount activeOfferCount
          offers(orderBy: offerId) { id gpuModel gpuCount vramGb region pricePerGpuHour availableUnits active jobsRouted
            priceHistory(orderBy: timestamp) { pricePerGpuHour timestamp } }
          stats { jobsRouted jobsStarted onTimeStartRate missedStarts jobsCompleted jobsPaid jobsDisputed totalEarned totalFees }
          dayEarnings(where: { day_gte: $since }, orderBy: day) { day date earned fees jobsPaid jobsStarted }
          jobs(where: { status_in: [ACCEPTED, RUNNING, COMPLETED, DISPUTED] }) { id status startDeadline pricePerGpuHour gpuCount } }
        payoutAccount: account(id: $payout) { withdrawable totalEarned totalWithdrawn } }`,
        { id: lower(acme), payout: lower(acmePayout), since: Number(day0) }],
      [`query Team($id: ID!, $idString: String!, $since: Int!, $me: Bytes!) {
          team(id: $id) { name owner spendingCap period periodStart spentInPeriod memberCount totalDeposited totalSpent totalRefunded
            members(where: { active: true }) { address owner jobsSubmitted deposited spent refunded }
            daySpend(where: { day_gte: $since }, orderBy: day) { day date spent deposited refunded recorded released jobsSubmitted } }
          byMember: teamMemberDaySpends(where: { team: $idString, day_gte: $since }, orderBy: day) { day member spent }
          byProvider: teamProviderDaySpends(where: { team: $idString, day_gte: $since }, orderBy: day) { day providerRef provider { name } market externalId spent jobsPaid }
          myTeams: teamMembers(where: { address: $me, active: true }) { team { id name } owner } }`,
        { id: '1', idString: '1', since: Number(day0), me: lower(other) }],
      [`query Feed($me: Bytes!) {
          all: activityEvents(first: 50, orderBy: blockNumber, orderDirection: desc) { id kind summary actor amount timestamp txHash job { id } provider { id name } team { id name } }
          mine: activityEvents(where: { involves_contains: [$me] }, first: 50, orderBy: blockNumber, orderDirection: desc) { id kind summary } }`,
        { me }],
      [`{ protocol(id: "necto") { jobsTotal jobsOpen jobsRouted jobsAccepted jobsRunning jobsCompleted jobsSettled jobsCancelled
          jobsExpired jobsDisputed jobsResolved volumeDeposited volumePaid feesTotal escrowBalance activeProviders activeOffers teamsTotal feeBps paused }
        protocolDays(orderBy: day, orderDirection: desc, first: 30) { day date jobsSubmitted routes paid fees } }`, {}],
    ];
    for (const [query, variables] of queries) {
      const data = await stack.query(query, variables);
      for (const value of Object.values(data)) expect(value).not.toBeNull();
    }
    const { offers } = await stack.query(queries[0]![0], queries[0]![1]);
    expect(offers.map((o: { id: string }) => o.id)).toEqual(['1']);
    const { myTeams } = await stack.query(queries[3]![0], queries[3]![1]);
    expect(myTeams).toEqual([{ team: { id: '1', name: 'Research' }, owner: true }]);
  });
});
