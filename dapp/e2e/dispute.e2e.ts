// End-to-end, in Chromium, against the whole local stack: a job that fails. A provider registers and lists an
// offer; a buyer submits a job whose command exits non-zero; a real provider agent runs it (podman, the offline
// demo image) and completes it with its result manifest (reason `nonzero`, the exit code); the buyer disputes from
// the job page with evidence citing the manifest root (signed into the content store); the arbiter sees both sides'
// evidence on /arbiter (the buyer's fetched by its on-chain root) and resolves with a provider share; the job ends
// Resolved and the escrow is split exactly as the contract rules it: the buyer's refund and the provider's payout
// are what each of them is offered to withdraw. Every new screen is
// screenshotted (e2e/screenshots/30-…) and checked with axe-core.
import { getDeployment, jobMarketAbi } from '@necto/contracts';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createPublicClient, http, type Hex } from 'viem';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatUsdc } from '../src/lib/format';
import { captureScreen, SCREENSHOTS_DIR } from './axe';
import { CHROMIUM_FLAGS, launchStack, startProviderAgent, type AgentProcess, type Stack } from './stack';
import { containsText, hasAttribute, hasText, visible } from './until';
import { installWallet } from './wallet';

const PROVIDER_NAME = 'E2E Dispute Cloud';
// A GPU model no other offer on this stack has, so the job can only be routed to this provider.
const GPU = 'GH200';
const EXIT_CODE = 3;
// The demo image's busybox shell: prints a little, writes a partial output, then fails.
const COMMAND = `sh -c 'echo necto dispute run; i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo "step $i/3"; sleep 1; done; echo partial > /outputs/partial.txt; echo "loss diverged" >&2; exit ${EXIT_CODE}'`;
const REASON = 'The job exited with code 3 before writing its outputs; only a partial file exists.';
/** The arbiter's split: the provider gets 30 % of the amount due, the buyer the rest. */
const SHARE_BPS = 3_000;

let stack: Stack;
let browser: Browser;
let agent: AgentProcess | undefined;
const contexts: BrowserContext[] = [];
const pages: Record<string, Page> = {};
let jobId = '';
let expected: { payout: bigint; refund: bigint } | undefined;
const axeReport: Record<string, string[]> = {};

const screen = (page: Page, name: string) =>
  captureScreen(page, name, axeReport, (violations, message) => expect(violations, message).toEqual([]));

async function openApp(key: Hex, label: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${label} page error] ${e.message}`));
  await installWallet(page, { rpcUrl: stack.rpcUrl, privateKey: key, chainId: stack.chainId });
  await page.goto(`${stack.dappUrl}/#/`);
  await visible(page.locator('main h1'), 20_000);
  await page.getByRole('button', { name: 'Connect Wallet' }).first().click();
  await page.getByRole('button', { name: /Necto E2E Wallet/ }).click({ timeout: 20_000 });
  await visible(page.getByRole('button', { name: /0x[0-9a-fA-F]{2,4}…[0-9a-fA-F]{4}/ }), 20_000);
  pages[label] = page;
  return page;
}

async function go(page: Page, hash: string, heading: RegExp | string) {
  await page.goto(`${stack.dappUrl}/#${hash}`);
  await containsText(page.locator('main h1').first(), heading, 20_000);
}

async function jobStatus(page: Page, status: string, timeout = 60_000) {
  await hasText(page.locator('main h1 .badge'), status, timeout);
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  stack = await launchStack();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}, 15 * 60_000);

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  const slug = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  for (const [who, page] of Object.entries(pages)) {
    if (!page.isClosed()) await page.screenshot({ path: join(SCREENSHOTS_DIR, `failed-dispute-${slug}-${who}.png`), fullPage: true }).catch(() => undefined);
  }
});

afterAll(async () => {
  if (Object.keys(axeReport).length) console.log(`axe-core: ${Object.entries(axeReport).map(([k, v]) => `${k} ${v.length}`).join(', ')}`);
  await browser?.close();
  await agent?.proc.stop();
  await stack?.stop();
}, 60_000);

describe.sequential('Necto dApp end to end: a failing job, disputed and resolved by the arbiter', () => {
  it('has a provider whose agent runs the jobs routed to it', async () => {
    const key = stack.accounts.spare!.privateKey;
    const page = await openApp(key, 'provider');
    await go(page, '/provider', 'Provider');
    await visible(page.getByRole('heading', { name: 'Register as a provider' }), 30_000);
    await page.getByLabel('Display name').fill(PROVIDER_NAME);
    await page.getByLabel('Home region').selectOption('us-west');
    await page.getByRole('button', { name: 'Register provider' }).click();
    await containsText(page.locator('main h1'), PROVIDER_NAME, 60_000);
    const form = page.getByRole('form', { name: 'List an offer' });
    await form.getByLabel('GPU model').fill(GPU);
    await form.getByLabel('GPUs per machine').fill('8');
    await form.getByLabel('VRAM per GPU (GB)').fill('96');
    await form.getByLabel('Price (USDC per GPU-hour)').fill('2.00');
    await form.getByLabel('Machines available').fill('2');
    await form.getByRole('button', { name: 'List offer' }).click();
    await containsText(page.getByRole('table', { name: 'My offers' }), GPU, 60_000);
    agent = await startProviderAgent(stack, { name: PROVIDER_NAME, region: 'us-west', privateKey: key });
  });

  it('runs the buyer’s failing command: the job completes with reason nonzero and the exit code', async () => {
    const buyer = await openApp(stack.accounts.buyer!.privateKey, 'buyer');
    await go(buyer, '/submit', 'Submit a GPU job');
    const gpus = buyer.getByRole('group', { name: 'GPU models (any of)' });
    await visible(gpus.getByLabel(GPU, { exact: true }), 30_000);
    for (const box of await gpus.getByRole('checkbox').all()) if (await box.isChecked()) await box.uncheck();
    await gpus.getByLabel(GPU, { exact: true }).check();
    await buyer.getByLabel('Min VRAM per GPU (GB)').fill('80');
    await buyer.getByLabel('Duration (hours)').fill('1');
    await buyer.getByLabel('Max price (USDC per GPU-hour)').fill('2.50');
    await buyer.getByLabel('Akash and other markets allowed').uncheck();
    await buyer.getByLabel('Container image').fill('necto/demo:1');
    await buyer.getByLabel('Command').fill(COMMAND);
    await containsText(buyer.getByTestId('quote-row').first(), PROVIDER_NAME, 30_000);
    await buyer.getByRole('button', { name: 'Get 10,000 test USDC' }).click();
    await visible(buyer.locator('[data-tx-phase="confirmed"]').filter({ hasText: 'Faucet' }), 30_000);
    await containsText(buyer.locator('p', { hasText: 'Your USDC' }), /Your USDC: [1-9][\d,]*\.\d\d USDC/, 30_000);
    await buyer.getByRole('button', { name: 'Sign and submit job' }).click();
    await buyer.waitForURL(/#\/jobs\/\d+$/, { timeout: 60_000 });
    jobId = /#\/jobs\/(\d+)$/.exec(buyer.url())![1]!;
    await containsText(buyer.locator('main h1'), `Job #${jobId}`, 30_000);
    await hasText(buyer.getByTestId('route-provider'), PROVIDER_NAME, 90_000);

    // The agent starts the container, which fails after a few seconds; the agent completes the job with its manifest.
    await jobStatus(buyer, 'Completed', 180_000);
    await hasText(buyer.getByTestId('result-reason'), 'nonzero', 30_000);
    await hasText(buyer.getByTestId('result-exit-code'), String(EXIT_CODE));
    await buyer.getByRole('button', { name: 'Verify result' }).click();
    await hasAttribute(buyer.getByTestId('result-verify'), 'data-verified', 'true', 30_000);
    await screen(buyer, '30-job-failed');
  });

  it('lets the buyer dispute from the job page with evidence citing the result manifest', async () => {
    const buyer = pages.buyer!;
    const panel = buyer.locator('.panel[aria-labelledby="dispute-title"]');
    await visible(panel, 30_000);
    // The manifest root the panel cites is the job's on-chain resultHash.
    const manifestRoot = ((await panel.locator('p .mono').first().textContent()) ?? '').trim();
    expect(manifestRoot).toMatch(/^0x[0-9a-f]{64}$/i);
    await panel.getByLabel('What is wrong with the result').fill(REASON);
    await visible(panel.getByTestId('dispute-reason-hash'));
    await screen(buyer, '31-job-dispute-form');
    await panel.getByRole('button', { name: 'Dispute with this evidence' }).click();
    await jobStatus(buyer, 'Disputed', 60_000);
    expect(await buyer.getByTestId('evidence-upload-failed').count()).toBe(0);

    const evidence = buyer.getByTestId('dispute-evidence');
    await visible(evidence, 30_000);
    const evidenceText = ((await evidence.textContent()) ?? '').trim();
    const parsed = JSON.parse(evidenceText) as { kind: string; jobId: string; manifestRoot: string; reason: string };
    expect(parsed).toMatchObject({ kind: 'necto.dispute/1', jobId, manifestRoot: manifestRoot.toLowerCase(), reason: REASON });
    await containsText(buyer.getByTestId('dispute-timeout'), 'the provider gets half of the amount due');
    await screen(buyer, '32-job-disputed');
  });

  it('lets the arbiter see both sides’ evidence and resolve with a share', async () => {
    const arbiter = await openApp(stack.accounts.deployer!.privateKey, 'arbiter');
    await go(arbiter, '/arbiter', 'Disputes');
    const card = arbiter.locator(`[data-testid="dispute"][data-job="${jobId}"]`);
    await visible(card, 60_000);
    // The provider's side: the failed run's manifest, verified against the on-chain resultHash.
    await hasText(card.getByTestId('result-reason'), 'nonzero', 30_000);
    await hasText(card.getByTestId('result-exit-code'), String(EXIT_CODE));
    await card.getByRole('button', { name: 'Verify result' }).click();
    await hasAttribute(card.getByTestId('result-verify'), 'data-verified', 'true', 30_000);
    // The buyer's side: the evidence the buyer signed into the content store, fetched by the on-chain reasonHash
    // and checked against it (nothing pasted: this browser has never seen it).
    await hasAttribute(card.getByTestId('buyer-evidence'), 'data-valid', 'true', 30_000);
    await containsText(card.getByTestId('buyer-evidence'), REASON);
    expect(await card.getByLabel('Paste the buyer’s evidence to check it against the on-chain reasonHash').inputValue()).toBe('');
    await screen(arbiter, '33-arbiter-dispute');

    // What the contract will pay: the share of the amount due (less the protocol fee) to the provider, the rest back.
    const deployment = getDeployment(stack.chainId);
    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    const jobMarket = deployment.contracts.JobMarket;
    const [job, due] = await Promise.all([
      client.readContract({ address: jobMarket, abi: jobMarketAbi, functionName: 'getJob', args: [BigInt(jobId)] }),
      client.readContract({ address: jobMarket, abi: jobMarketAbi, functionName: 'amountDue', args: [BigInt(jobId)] }),
    ]);
    expect(due).toBeGreaterThan(0n);
    const providerAmount = (due * BigInt(SHARE_BPS)) / 10_000n;
    const fee = (providerAmount * BigInt(job.feeBps)) / 10_000n;
    expected = { payout: providerAmount - fee, refund: BigInt(job.balance) - providerAmount };
    expect(expected.refund).toBeGreaterThan(0n);

    await card.getByLabel(/^Provider share: /).fill(String(SHARE_BPS));
    await containsText(card, 'Provider share: 30.00% of the amount due');
    await card.getByRole('button', { name: 'Resolve dispute' }).click();
    // The decided dispute stays listed with its outcome (resolved ones are hidden otherwise).
    expect(await arbiter.getByLabel('Show resolved').isChecked()).toBe(false);
    await hasText(card.locator('h2 .badge'), 'Resolved', 60_000);
    await containsText(card, `Resolved by the arbiter`);
    await containsText(card, `provider 30.00%, paid ${formatUsdc(expected.payout)}, refunded ${formatUsdc(expected.refund)}`, 30_000);
    await screen(arbiter, '34-arbiter-resolved');
  });

  it('ends the job Resolved, with the buyer’s refund and the provider’s payout ready to withdraw', async () => {
    const buyer = pages.buyer!;
    await go(buyer, `/jobs/${jobId}`, `Job #${jobId}`);
    await jobStatus(buyer, 'Resolved', 60_000);
    await containsText(buyer.locator('.panel[aria-labelledby="dispute-title"]'), 'The arbiter decided: the provider received 30.00% of the amount due', 30_000);
    await hasText(buyer.getByTestId('escrow-balance'), '0.00 USDC', 30_000);
    // The metered amount is the amount due the split was taken of, not what the buyer paid.
    await containsText(buyer.getByTestId('elapsed-cost'), 'Amount due (the dispute’s split decided the payout)');
    // The buyer had nothing waiting before: the notice is exactly the refund.
    await hasText(buyer.getByTestId('withdraw-amount'), formatUsdc(expected!.refund), 30_000);
    await screen(buyer, '35-job-resolved');

    const provider = pages.provider!;
    await go(provider, '/provider', PROVIDER_NAME);
    await hasText(provider.getByTestId('withdraw-amount'), formatUsdc(expected!.payout), 60_000);
    await screen(provider, '36-provider-dispute-payout');
  });
});
