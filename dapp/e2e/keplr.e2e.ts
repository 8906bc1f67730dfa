// End-to-end, in Chromium, against the whole local stack with the local Akash stand-ins: a buyer who signs Akash
// deployments with Keplr (a test Keplr injected into the page, signing in Node with a cosmjs key) names their Akash
// address at submission; the job is routed to Akash; the keeper grants that address the deposit and the fees; the
// buyer deploys with Keplr (a rejected signature and a signature for the wrong chain are shown as such first),
// sees the bids, accepts the routed provider's, sends the manifest, sees the lease ready and its logs, and the
// keeper completes the job from the buyer's lease, without a deployment of its own.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureScreen, SCREENSHOTS_DIR } from './axe';
import { installKeplr, type TestKeplr } from './keplr';
import { CHROMIUM_FLAGS, launchStack, type Stack } from './stack';
import { containsText, hasText, visible } from './until';
import { installWallet } from './wallet';

// A throwaway secp256k1 key for the buyer's Akash account (it holds nothing anywhere; the stand-in grants it).
const AKASH_KEY = '0x' + '5e'.repeat(32);
const COMMAND = `sh -c 'echo necto keplr run; i=0; while [ $i -lt 8 ]; do i=$((i+1)); echo "step $i/8"; sleep 1; done'`;

let stack: Stack & { akash?: { nodeUrl: string; chainId: string; address: string } | null };
let browser: Browser;
let buyer: Page;
let keplr: TestKeplr;
let jobId = '';
const axeReport: Record<string, string[]> = {};
const screen = (page: Page, name: string) => captureScreen(page, name, axeReport, (violations, message) => expect(violations, message).toEqual([]));

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  stack = (await launchStack()) as typeof stack;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}, 15 * 60_000);

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail' || !buyer || buyer.isClosed()) return;
  const slug = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  await buyer.screenshot({ path: join(SCREENSHOTS_DIR, `failed-keplr-${slug}.png`), fullPage: true }).catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

const panel = () => buyer.locator('[aria-label="Deploy with Keplr"]');

describe.sequential('Keplr self-sign for an Akash route', () => {
  it('runs on a stack with the local Akash stand-ins', () => {
    expect(stack.akash, 'the local stack started without Akash stand-ins (podman missing?)').toBeTruthy();
  });

  it('lets the buyer name their Keplr address and submit an Akash-routed job', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    buyer = await context.newPage();
    buyer.on('pageerror', (e) => console.error(`[buyer page error] ${e.message}`));
    await installWallet(buyer, { rpcUrl: stack.rpcUrl, privateKey: stack.accounts.buyer!.privateKey, chainId: stack.chainId });
    keplr = await installKeplr(buyer, AKASH_KEY);
    await buyer.goto(`${stack.dappUrl}/#/submit`);
    await buyer.getByRole('button', { name: 'Connect Wallet' }).first().click();
    await buyer.getByRole('button', { name: /Necto E2E Wallet/ }).click({ timeout: 20_000 });
    await visible(buyer.getByRole('button', { name: /0x[0-9a-fA-F]{2,4}…[0-9a-fA-F]{4}/ }), 20_000);
    await containsText(buyer.locator('main h1').first(), 'Submit a GPU job', 20_000);

    const gpus = buyer.getByRole('group', { name: 'GPU models (any of)' });
    await visible(gpus.getByLabel('A100'), 30_000);
    for (const box of await gpus.getByRole('checkbox').all()) if (await box.isChecked()) await box.uncheck();
    await gpus.getByLabel('A100').check();
    await buyer.getByLabel('Min VRAM per GPU (GB)').fill('40');
    await buyer.getByLabel('Min vCPU').fill('1');
    await buyer.getByLabel('Min RAM (GB)').fill('1');
    await buyer.getByLabel('Duration (hours)').fill('1');
    await buyer.getByLabel('Max price (USDC per GPU-hour)').fill('3.00');
    await buyer.getByLabel('Container image').fill('necto/demo:1');
    await buyer.getByLabel('Command').fill(COMMAND);
    // The address comes from Keplr (akashnet-2 is known to it: no chain is suggested for this).
    await buyer.getByRole('button', { name: 'Use my Keplr address' }).click();
    await until(async () => buyer.getByLabel('Sign Akash deployments with Keplr (your Akash address)').inputValue(), keplr.address);
    expect(keplr.suggested).toEqual([]);
    await buyer.getByRole('button', { name: 'Get 10,000 test USDC' }).click();
    await visible(buyer.locator('[data-tx-phase="confirmed"]').filter({ hasText: 'Faucet' }), 30_000);
    await screen(buyer, 'keplr-01-submit');
    await buyer.getByRole('button', { name: 'Sign and submit job' }).click();
    await buyer.waitForURL(/#\/jobs\/\d+$/, { timeout: 60_000 });
    jobId = /#\/jobs\/(\d+)$/.exec(buyer.url())![1]!;
  });

  it('is granted the deposit and fees by the operator, labelled as the local Akash stand-in', async () => {
    await visible(panel(), 90_000);
    await hasText(panel().getByTestId('keplr-network'), 'local Akash stand-in');
    await containsText(panel().getByTestId('keplr-grant'), 'comes from the operator’s grant');
    const view = (await (await fetch(`${stack.keeperUrl}/jobs/${jobId}/akash/self-sign`)).json()) as { owner: string; granter: string; chainId: string; deployment: unknown };
    expect(view.owner).toBe(keplr.address);
    expect(view.granter).toBe(stack.akash!.address);
    expect(view.chainId).toBe(stack.akash!.chainId);
    expect(view.deployment).toBeNull();
  });

  it('shows a rejected signature and a signature for the wrong chain as errors, then deploys with Keplr', async () => {
    await panel().getByRole('button', { name: 'Connect Keplr' }).click();
    await containsText(panel().getByTestId('keplr-account'), keplr.address, 20_000);
    // The stand-in's chain was unknown to Keplr: it was suggested, then enabled.
    expect(keplr.suggested).toEqual([stack.akash!.chainId]);

    keplr.failNext('reject');
    await panel().getByRole('button', { name: 'Deploy with Keplr' }).click();
    await containsText(panel().getByTestId('keplr-error'), 'rejected in Keplr', 30_000);
    // Both signatures of the attempt (the simulation's and the broadcast one) are made for akashnet-2.
    keplr.failNext('wrong-chain', 2);
    await panel().getByRole('button', { name: 'Deploy with Keplr' }).click();
    await containsText(panel().getByTestId('keplr-error'), 'refused the signature', 30_000);
    await screen(buyer, 'keplr-02-wrong-chain');

    await panel().getByRole('button', { name: 'Deploy with Keplr' }).click();
    await containsText(panel().getByTestId('keplr-dseq'), 'created', 60_000);
  });

  it('shows the bids, accepts the routed provider’s and sends the manifest', async () => {
    const routed = panel().getByTestId('keplr-bid').filter({ has: buyer.getByRole('button', { name: 'Accept bid' }) });
    await visible(routed, 60_000);
    await screen(buyer, 'keplr-03-bids');
    await routed.getByRole('button', { name: 'Accept bid' }).click();
    await visible(panel().getByTestId('keplr-lease'), 60_000);
    await panel().getByRole('button', { name: 'Send manifest' }).click();
    await visible(panel().getByTestId('keplr-manifest'), 60_000);
  });

  it('shows the lease ready with its logs, then the keeper completes the job from the buyer’s lease', async () => {
    await containsText(panel().getByTestId('keplr-lease-status'), 'job: ready', 60_000);
    await containsText(panel().getByTestId('keplr-lease-logs'), /step [1-8]\/8/, 60_000);
    await screen(buyer, 'keplr-04-running');
    await hasText(buyer.locator('main h1 .badge'), 'Completed', 120_000);
    const view = (await (await fetch(`${stack.keeperUrl}/jobs/${jobId}/akash`)).json()) as { owner: string; state: string; end: { reason: string } | null; resultRoot: string | null };
    expect(view.owner).toBe(keplr.address);
    expect(view.end?.reason).toBe('ok');
    expect(view.resultRoot).toMatch(/^0x[0-9a-f]{64}$/);
    // One deployment for the round, the buyer's: the operator's wallet created none.
    const mine = (await (await fetch(`${stack.akash!.nodeUrl}/akash/deployment/v1beta4/deployments/list?filters.owner=${stack.akash!.address}`)).json()) as { deployments: unknown[] };
    expect(mine.deployments).toEqual([]);
    const theirs = (await (await fetch(`${stack.akash!.nodeUrl}/akash/deployment/v1beta4/deployments/list?filters.owner=${keplr.address}`)).json()) as { deployments: unknown[] };
    expect(theirs.deployments).toHaveLength(1);
    await screen(buyer, 'keplr-05-completed');
  });
});

async function until(probe: () => Promise<string>, expected: string, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = await probe();
    if (last === expected) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`expected "${expected}", last "${last}"`);
}
