// End-to-end, in Chromium, against the whole local stack with its local Akash stand-ins (node REST and one provider
// gateway per Akash provider of the catalog snapshot, running containers with the provider agent's runtime on
// podman). An Akash-allowed job for a GPU only Akash has is routed to Akash, deployed, leased and runs the demo
// image: its log streams on the job page through the keeper (labelled "local Akash stand-in"), it completes with a
// result manifest, the buyer confirms, and the payout is credited to the market's Akash settlement account. Then
// a stand-in provider told never to bid: its deployment is closed at once, and once the job's start deadline passes
// (the market's rule for re-routing a bound job; the local chain's clock is moved there) the job is re-routed once
// to the other provider (round 2), not in a loop, as the job page shows. (buyer-actions.e2e.ts covers routing to Akash and the SDL download.)
// Every new screen state is screenshotted (e2e/screenshots/40-…) and checked with axe-core.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createPublicClient, http, parseEventLogs, type Hex } from 'viem';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureScreen, SCREENSHOTS_DIR } from './axe';
import { CHROMIUM_FLAGS, launchStack, type Stack } from './stack';
import { submitJob } from './submit';
import { containsText, hasText, until, visible } from './until';
import { installWallet } from './wallet';

const SHOTS = SCREENSHOTS_DIR;
// On-chain offers lack it; the Akash snapshot (keeper/snapshots/akash-gpu-prices.json) has it from several providers.
const AKASH_GPU = 'L40S';
// Two Akash providers of the snapshot offer it below any on-chain offer: when one never bids, the other takes round 2.
const TWO_PROVIDER_GPU = 'H100';
const IMAGE = 'necto/demo:1';
// The demo image's busybox shell: progress for about fifteen seconds, then it exits (the lease's service stops).
const STEPS = 15;
const COMMAND = `sh -c 'echo necto akash run; i=0; while [ $i -lt ${STEPS} ]; do i=$((i+1)); echo "step $i/${STEPS}"; sleep 1; done; echo akash done'`;
const LABEL = 'local Akash stand-in';

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let buyer: Page;
const axeReport: Record<string, string[]> = {};

const screen = (page: Page, name: string) =>
  captureScreen(page, name, axeReport, (violations, message) => expect(violations, message).toEqual([]));

async function go(page: Page, hash: string, heading: RegExp | string) {
  await page.goto(`${stack.dappUrl}/#${hash}`);
  await containsText(page.locator('main h1').first(), heading, 20_000);
}
const jobStatus = (page: Page, status: string, timeout = 60_000) => hasText(page.locator('main h1 .badge'), status, timeout);
const deploymentPanel = (page: Page) => page.locator('.panel', { has: page.getByRole('heading', { name: 'Akash deployment' }) });
const currentState = (page: Page) => deploymentPanel(page).locator('ol[aria-label="Deployment states"] li[aria-current="step"]');

interface AkashView { round: number; state: string; dseq: string; provider: string; label: string; end: { reason: string } | null; earlier: Array<{ round: number; dseq: string; provider: string; state: string; end: { reason: string } | null }> }
const akashView = async (jobId: string): Promise<AkashView | null> => {
  const r = await fetch(`${stack.keeperUrl}/jobs/${jobId}/akash`);
  return r.ok ? ((await r.json()) as AkashView) : null;
};
/** The stand-in node's record of a deployment (its REST API, as an Akash node answers). */
const standinDeployment = async (owner: string, dseq: string) => {
  const r = await fetch(`${stack.akash!.nodeUrl}/akash/deployment/v1beta4/deployments/info?id.owner=${owner}&id.dseq=${dseq}`);
  return r.ok ? ((await r.json()) as { deployment: { state: string } }).deployment : null;
};
const standinList = async (path: string, owner: string, dseq: string) => {
  const r = await fetch(`${stack.akash!.nodeUrl}/akash/market/v1beta5/${path}/list?filters.owner=${owner}&filters.dseq=${dseq}`);
  return ((await r.json()) as Record<string, unknown[]>)[path] ?? [];
};
const rpc = async (method: string, params: unknown[]) => {
  const r = await fetch(stack.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await r.json()) as { error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
};
/** Stand-in behaviour (no Akash node has it): whether a provider bids on new orders. */
const setBids = async (provider: string, bids: boolean) => {
  const r = await fetch(`${stack.akash!.nodeUrl}/necto-standin/providers/${provider}/bids`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bids }) });
  expect(r.status).toBe(200);
};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await launchStack();
  if (!stack.akash) throw new Error('the stack runs Akash off (no podman): the Akash e2e needs the local Akash stand-ins');
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  buyer = await context.newPage();
  buyer.on('pageerror', (e) => console.error(`[buyer page error] ${e.message}`));
  await installWallet(buyer, { rpcUrl: stack.rpcUrl, privateKey: stack.accounts.buyer!.privateKey, chainId: stack.chainId });
  await buyer.goto(`${stack.dappUrl}/#/`);
  await visible(buyer.locator('main h1'), 20_000);
  await buyer.getByRole('button', { name: 'Connect Wallet' }).first().click();
  await buyer.getByRole('button', { name: /Necto E2E Wallet/ }).click({ timeout: 20_000 });
  await visible(buyer.getByRole('button', { name: /0x[0-9a-fA-F]{2,4}…[0-9a-fA-F]{4}/ }), 20_000);
}, 15 * 60_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !buyer || buyer.isClosed()) return;
  const slug = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  await buyer.screenshot({ path: join(SHOTS, `failed-akash-${slug}.png`), fullPage: true }).catch(() => undefined);
});

afterAll(async () => {
  if (Object.keys(axeReport).length) console.log(`axe-core: ${Object.entries(axeReport).map(([k, v]) => `${k} ${v.length}`).join(', ')}`);
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe.sequential('Necto dApp end to end: a job on Akash (local stand-ins)', () => {
  it('deploys, leases and runs the job on Akash with its logs on the job page, completes and settles to the Akash settlement account', async () => {
    const id = await submitJob(buyer, stack.dappUrl, { gpu: AKASH_GPU, minVram: '48', autoSign: true, external: true, expectQuote: /Akash/, image: IMAGE, command: COMMAND });
    await visible(buyer.getByTestId('route-provider'), 60_000);
    await containsText(buyer.locator('.panel[aria-labelledby="route-title"] .stat').first(), /Akash/, 30_000);
    const panel = deploymentPanel(buyer);
    await containsText(panel, LABEL, 60_000);

    // Deployed, leased, manifest sent, the service ready: the deployer reports startJob (Running).
    await jobStatus(buyer, 'Running', 120_000);
    await hasText(currentState(buyer), 'Running', 30_000);
    const view = (await akashView(id))!;
    expect(view).toMatchObject({ round: 1, state: 'running', label: LABEL });
    expect(await standinList('leases', stack.akash!.address, view.dseq)).toHaveLength(1);
    await screen(buyer, '40-akash-running');

    // The run's log, relayed by the keeper from the stand-in provider's gateway, for the buyer's signed LogRequest.
    await hasText(buyer.getByTestId('logs-relay'), LABEL);
    await buyer.getByRole('button', { name: 'Stream live logs' }).click();
    await containsText(buyer.getByTestId('live-log'), new RegExp(`step \\d+/${STEPS}`), 30_000);
    await containsText(buyer.getByTestId('live-log'), 'necto akash run');
    await screen(buyer, '41-akash-live-logs');

    // The container exits: the deployment is closed and the job completed with a result manifest.
    await jobStatus(buyer, 'Completed', 120_000);
    await hasText(buyer.getByTestId('result-reason'), 'ok', 30_000);
    await go(buyer, `/jobs/${id}`, `Job #${id}`);
    await hasText(currentState(buyer), 'Closed', 30_000);
    await containsText(deploymentPanel(buyer), 'Result manifest');
    const closed = (await akashView(id))!;
    expect(closed).toMatchObject({ state: 'closed', end: { reason: 'ok' } });
    expect((await standinDeployment(stack.akash!.address, view.dseq))?.state).toBe('closed');
    await screen(buyer, '42-akash-completed');

    // The buyer confirms: the payout is credited to the market's Akash settlement account (ROLES.settlement).
    const { jobMarketAbi, getDeployment } = await import('@necto/contracts');
    const jobMarket = getDeployment(stack.chainId).contracts.JobMarket;
    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    const settlement = stack.accounts.settlement!.address as Hex;
    expect(await client.readContract({ address: jobMarket, abi: jobMarketAbi, functionName: 'settlementAccount', args: ['akash'] })).toBe(settlement);
    const before = await client.readContract({ address: jobMarket, abi: jobMarketAbi, functionName: 'withdrawable', args: [settlement] });
    await buyer.getByRole('button', { name: 'Confirm and pay' }).click();
    await jobStatus(buyer, 'Settled', 60_000);
    const settled = await until(
      async () => parseEventLogs({ abi: jobMarketAbi, eventName: 'JobSettled', logs: await client.getLogs({ address: jobMarket, fromBlock: 0n }) }).filter((e) => e.args.jobId === BigInt(id)),
      (events) => events.length === 1,
      'the JobSettled event',
      30_000,
    );
    const { payee, payout } = settled[0]!.args;
    expect(payee).toBe(settlement);
    expect(payout).toBeGreaterThan(0n);
    expect(await client.readContract({ address: jobMarket, abi: jobMarketAbi, functionName: 'withdrawable', args: [settlement] })).toBe(before + payout);
    await hasText(buyer.getByTestId('escrow-balance'), '0.00 USDC', 30_000);
    await screen(buyer, '43-akash-settled');
  });

  it('closes the deployment of a provider that never bids and re-routes the job once, not in a loop', async () => {
    // The provider the keeper will pick (the quote's best row for the same draft) is told never to bid.
    const quote = await fetch(`${stack.keeperUrl}/quote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ gpuModels: [TWO_PROVIDER_GPU], gpuCount: 1, minVramGb: 80, maxPricePerGpuHour: '2500000', durationSec: 3600, allowExternal: true, image: IMAGE }),
    });
    const best = ((await quote.json()) as { best: { candidateId: string; market: string } | null }).best!;
    expect(best.market).toBe('akash');
    const silent = best.candidateId.split(':')[1]!;
    expect(stack.akash!.providers.map((p) => p.provider)).toContain(silent);
    await setBids(silent, false);
    try {
      const id = await submitJob(buyer, stack.dappUrl, { gpu: TWO_PROVIDER_GPU, minVram: '80', autoSign: true, external: true, expectQuote: /Akash/, image: IMAGE, command: COMMAND });
      await containsText(deploymentPanel(buyer), 'Waiting for the provider’s bid', 60_000);
      const first = await until(() => akashView(id), (v) => v?.round === 1 && v.state === 'bidding', 'round 1 bidding', 30_000);
      expect(first!.provider).toBe(silent);
      await screen(buyer, '44-akash-waiting-for-bid');

      // No bid within the bid window: the deployment is closed at once, before the job ever started.
      const noBid = (await until(() => akashView(id), (v) => v?.round === 1 && v.state === 'closed', 'round 1 closed for want of a bid', 90_000))!;
      expect(noBid.end).toMatchObject({ reason: 'no-bid' });
      expect((await standinDeployment(stack.akash!.address, first!.dseq))?.state).toBe('closed');
      await hasText(currentState(buyer), 'Closed', 30_000);
      await containsText(deploymentPanel(buyer), 'no-bid', 30_000);
      await screen(buyer, '45-akash-no-bid-closed');
      // The market lets the keeper route a bound job again once its start deadline passes: move the chain's clock
      // there (the local chain only; an hour of real waiting otherwise). The keeper routes round 2 without that provider.
      const { jobMarketAbi, getDeployment } = await import('@necto/contracts');
      const client = createPublicClient({ transport: http(stack.rpcUrl) });
      const job = await client.readContract({ address: getDeployment(stack.chainId).contracts.JobMarket, abi: jobMarketAbi, functionName: 'getJob', args: [BigInt(id)] });
      const chainNow = Number((await client.getBlock()).timestamp);
      await rpc('evm_increaseTime', [Math.max(1, Number(job.startDeadline) - chainNow + 5)]);
      await rpc('evm_mine', []);
      await visible(buyer.locator('#route-title .badge', { hasText: 'round 2' }), 120_000);
      const second = (await until(() => akashView(id), (v) => v?.round === 2, 'round 2 on Akash', 60_000))!;
      expect(second.provider).not.toBe(silent);
      expect(second.earlier).toEqual([expect.objectContaining({ round: 1, dseq: first!.dseq, provider: silent, state: 'closed', end: expect.objectContaining({ reason: 'no-bid' }) })]);
      expect((await standinDeployment(stack.akash!.address, first!.dseq))?.state).toBe('closed');
      expect((await standinList('bids', stack.akash!.address, first!.dseq)).map((b) => (b as { bid: { id: { provider: string } } }).bid.id.provider)).not.toContain(silent);
      expect(await standinList('leases', stack.akash!.address, first!.dseq)).toEqual([]);
      await containsText(buyer.getByTestId('akash-earlier'), `Round 1 · dseq ${first!.dseq} · deployment closed — no-bid`, 30_000);
      await buyer.locator('summary', { hasText: 'Earlier routes (1)' }).click();
      await screen(buyer, '46-akash-rerouted-once');

      // Round 2's provider bids: the job runs and completes there; there is never a round 3.
      await jobStatus(buyer, 'Running', 120_000);
      await jobStatus(buyer, 'Completed', 120_000);
      const last = (await akashView(id))!;
      expect(last).toMatchObject({ round: 2, state: 'closed', end: { reason: 'ok' } });
      expect(last.earlier).toHaveLength(1);
      expect(await buyer.locator('#route-title .badge', { hasText: 'round 3' }).count()).toBe(0);
      expect(await standinList('leases', stack.akash!.address, last.dseq)).toHaveLength(1);
    } finally {
      await setBids(silent, true);
    }
  });
});
