// End-to-end, in Chromium, against the whole local stack: what the main flow does not cover, from the buyer's
// side of the job page. A job submitted without auto-sign is routed, rejected, re-routed (round 2) and
// accepted; it is topped up (the escrow grows by the top-up) and cancelled before start (full refund in the
// escrow movements). A job with Akash allowed, for a GPU model only Akash has, is routed to Akash and its SDL
// is downloaded. Every new screen state is screenshotted (e2e/screenshots/16-…) and checked with axe-core.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Hex } from 'viem';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureScreen, SCREENSHOTS_DIR } from './axe';
import { CHROMIUM_FLAGS, launchStack, type Stack } from './stack';
import { containsText, hasCount, hasText, until, visible } from './until';
import { submitJob as submitForm, type SubmitOptions } from './submit';
import { installWallet } from './wallet';

const SHOTS = SCREENSHOTS_DIR;
// A GPU model no seeded or snapshot market has, so only the two providers listed here can take it.
const GPU = 'B200';
const CHEAP = 'E2E Alpha Compute';
const DEAR = 'E2E Beta Compute';
// On-chain offers (ours) lack it; the Akash snapshot (keeper/snapshots/akash-gpu-prices.json) has it.
const AKASH_GPU = 'L40S';

let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pages: Record<string, Page> = {};
let buyer: Page;
let jobId = '';
const axeReport: Record<string, string[]> = {};

const screen = (page: Page, name: string) =>
  captureScreen(page, name, axeReport, (violations, message) => expect(violations, message).toEqual([]));

async function openApp(key: Hex, label: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', acceptDownloads: true });
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

/** "1,234.56 USDC" → 123456 (cents), to compare amounts exactly. */
function cents(text: string): number {
  const m = /(-?[\d,]+)\.(\d\d)/.exec(text);
  if (!m) throw new Error(`not a USDC amount: "${text}"`);
  return Number(m[1]!.replace(/,/g, '')) * 100 + Number(m[2]);
}
const usdcText = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();
/** The "ready to withdraw" amount announced at the top of every screen, in cents (0 when not shown). */
async function withdrawable(page: Page): Promise<number> {
  const notice = page.getByTestId('withdraw-amount');
  return (await notice.count()) ? cents((await notice.first().textContent()) ?? '') : 0;
}

/** No card is wider than its content box and the page does not scroll sideways (long ids wrap or truncate). */
async function expectNoOverflow(page: Page, what: string) {
  const overflowing = await page.evaluate(() => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`page ${document.documentElement.scrollWidth}px > ${window.innerWidth}px`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('main .panel, main .stat, main .notice'))) {
      // Tables scroll inside their own wrapper by design.
      if (el.closest('.table-wrap')) continue;
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.className} "${(el.textContent ?? '').slice(0, 40)}" ${el.scrollWidth}px > ${el.clientWidth}px`);
    }
    return out;
  });
  expect(overflowing, `overflow on ${what}`).toEqual([]);
}

async function registerWithOffer(key: Hex, name: string, price: string) {
  const page = await openApp(key, name);
  await go(page, '/provider', 'Provider');
  await visible(page.getByRole('heading', { name: 'Register as a provider' }), 30_000);
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('Home region').selectOption('us-east');
  await page.getByRole('button', { name: 'Register provider' }).click();
  await containsText(page.locator('main h1'), name, 60_000);
  const form = page.getByRole('form', { name: 'List an offer' });
  await form.getByLabel('GPU model').fill(GPU);
  await form.getByLabel('GPUs per machine').fill('8');
  await form.getByLabel('VRAM per GPU (GB)').fill('192');
  await form.getByLabel('Price (USDC per GPU-hour)').fill(price);
  await form.getByLabel('Machines available').fill('2');
  await form.getByRole('button', { name: 'List offer' }).click();
  await containsText(page.getByRole('table', { name: 'My offers' }), GPU, 60_000);
}

/** The shared submit form (./submit), on this stack. */
const submitJob = (page: Page, o: SubmitOptions) => submitForm(page, stack.dappUrl, o);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await launchStack();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}, 15 * 60_000);

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  const slug = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  for (const [who, page] of Object.entries(pages)) {
    if (!page.isClosed()) await page.screenshot({ path: join(SHOTS, `failed-buyer-actions-${slug}-${who.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => undefined);
  }
});

afterAll(async () => {
  if (Object.keys(axeReport).length) console.log(`axe-core: ${Object.entries(axeReport).map(([k, v]) => `${k} ${v.length}`).join(', ')}`);
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe.sequential('Necto dApp end to end: the buyer’s actions on a job', () => {
  it('has two providers offering the same GPU at different prices', async () => {
    await registerWithOffer(stack.accounts.provider!.privateKey, CHEAP, '1.50');
    await registerWithOffer(stack.accounts.provider2!.privateKey, DEAR, '1.90');
  });

  it('lets the buyer reject the agent’s route, and accept the re-route (round 2)', async () => {
    buyer = await openApp(stack.accounts.buyer!.privateKey, 'buyer');
    jobId = await submitJob(buyer, { gpu: GPU, minVram: '80', autoSign: false, external: false, expectQuote: CHEAP });

    // Round 1: the cheaper provider, waiting for the buyer's signature.
    await hasText(buyer.getByTestId('route-provider'), CHEAP, 60_000);
    await jobStatus(buyer, 'Routed');
    await visible(buyer.getByRole('button', { name: 'Accept route' }), 30_000);
    await screen(buyer, '16-job-awaiting-acceptance');

    await buyer.getByRole('button', { name: 'Reject route' }).click();
    // The keeper routes again, without the rejected provider: round 2, the other one.
    await visible(buyer.locator('#route-title .badge', { hasText: 'round 2' }), 90_000);
    await hasText(buyer.getByTestId('route-provider'), DEAR, 60_000);
    await jobStatus(buyer, 'Routed');
    // The thinking shown is round 2's (the rejected provider excluded), not the rejected round's.
    await containsText(buyer.locator('.panel[aria-labelledby="agent-title"] [data-kind="decision"]'), `Chose ${DEAR}`, 30_000);
    await buyer.locator('summary', { hasText: 'Earlier routes (1)' }).click();
    await containsText(buyer.locator('details', { hasText: 'Earlier routes' }), `Round 1: ${CHEAP}`);
    await screen(buyer, '17-job-rerouted-round-2');

    await buyer.getByRole('button', { name: 'Accept route' }).click();
    await jobStatus(buyer, 'Accepted');
    await hasText(buyer.getByTestId('route-provider'), DEAR);
    await screen(buyer, '18-job-accepted-round-2');
  });

  it('lets the buyer top up the job: the escrow grows by the top-up', async () => {
    await until(() => usdcText(buyer, 'escrow-balance'), (v) => /\d\.\d\d USDC/.test(v), 'escrow balance');
    const before = cents(await usdcText(buyer, 'escrow-balance'));
    expect(before).toBeGreaterThan(0);
    await buyer.getByLabel('Top-up (USDC)').fill('25');
    await buyer.getByLabel('Extra run time (hours)').fill('2');
    await buyer.getByRole('button', { name: 'Top up', exact: true }).click();
    await until(() => usdcText(buyer, 'escrow-balance'), (v) => /\d\.\d\d/.test(v) && cents(v) === before + 2500, `escrow balance ${before + 2500} cents`, 60_000);
    await containsText(buyer.getByRole('table', { name: 'Escrow movements' }), '25.00 USDC', 30_000);
    await screen(buyer, '19-job-topped-up');
  });

  it('lets the buyer cancel the job before it starts, with a full refund', async () => {
    const held = await usdcText(buyer, 'escrow-balance');
    expect(cents(held)).toBeGreaterThan(0);
    const before = await withdrawable(buyer);
    await buyer.getByRole('button', { name: 'Cancel job' }).click();
    // Cancel asks first, and says what is refunded (not started: all of it, nothing paid).
    const confirm = buyer.getByTestId('cancel-confirm');
    await containsText(confirm, 'Nothing is paid to a provider');
    await hasText(confirm.getByTestId('cancel-refund'), held);
    await screen(buyer, '20-job-cancel-confirm');
    await confirm.getByRole('button', { name: 'Keep the job' }).click();
    await hasCount(buyer.getByTestId('cancel-confirm'), 0);
    await jobStatus(buyer, 'Accepted');
    await buyer.getByRole('button', { name: 'Cancel job' }).click();
    await buyer.getByTestId('cancel-confirm').getByRole('button', { name: 'Yes, cancel the job' }).click();
    await jobStatus(buyer, 'Cancelled');
    await hasText(buyer.getByTestId('escrow-balance'), '0.00 USDC', 30_000);
    const refund = buyer.getByRole('table', { name: 'Escrow movements' }).getByRole('row').filter({ hasText: 'refund' });
    await containsText(refund, held, 30_000);
    await containsText(buyer.locator('ol[aria-label="Job lifecycle"] li[aria-current="step"]'), 'Cancelled');
    await containsText(buyer.locator('.panel', { hasText: 'Actions' }), 'No action for your wallet');
    // The refund waits in escrow: announced where the buyer is, with one click to withdraw.
    await until(() => withdrawable(buyer), (v) => v === before + cents(held), `withdrawable ${before + cents(held)} cents`, 30_000);
    await screen(buyer, '20-job-cancelled');
    await go(buyer, '/submit', 'Submit a GPU job');
    await until(() => withdrawable(buyer), (v) => v === before + cents(held), 'the withdraw notice on another screen', 30_000);
    await buyer.getByTestId('withdraw-notice').getByRole('button', { name: /^Withdraw / }).click();
    await hasCount(buyer.getByTestId('withdraw-notice'), 0, 30_000);
  });

  it('routes a job to Akash when only Akash has the GPU, and downloads its SDL', async () => {
    const id = await submitJob(buyer, { gpu: AKASH_GPU, minVram: '48', autoSign: true, external: true, expectQuote: /Akash/ });
    await visible(buyer.getByTestId('route-provider'), 60_000);
    await containsText(buyer.locator('.panel[aria-labelledby="route-title"] .stat').first(), /Akash/, 30_000);
    const button = buyer.getByRole('button', { name: 'Download Akash SDL' });
    await visible(button, 30_000);
    await expectNoOverflow(buyer, 'the job page with an Akash route');
    await screen(buyer, '21-job-akash-route');
    // A phone-sized screen: the Akash address wraps inside its card.
    await buyer.setViewportSize({ width: 400, height: 900 });
    await expectNoOverflow(buyer, 'the Akash job page at 400 px');
    await screen(buyer, '22-job-akash-route-narrow');
    await buyer.setViewportSize({ width: 1280, height: 900 });

    const [download] = await Promise.all([buyer.waitForEvent('download', { timeout: 30_000 }), button.click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^necto-job-${id}-round-1\\.yaml$`));
    const yaml = readFileSync((await download.path())!, 'utf8');
    expect(yaml).toMatch(/^version: /m);
    expect(yaml).toMatch(/^services:/m);
    expect(yaml.toLowerCase()).toContain(`model: ${AKASH_GPU.toLowerCase()}`);

    // With the keeper down the route cards still fit (the on-chain route stands; the keeper's extras are missing).
    await buyer.route(`${stack.keeperUrl}/**`, (route) => route.abort());
    try {
      await buyer.reload(); // a fresh page: nothing the keeper said before is cached
      await containsText(buyer.locator('main h1'), `Job #${id}`, 30_000);
      await visible(buyer.getByTestId('route-provider'), 30_000);
      await containsText(buyer.locator('.panel[aria-labelledby="agent-title"]'), 'could not be read from the keeper', 30_000);
      await expectNoOverflow(buyer, 'the Akash job page with the keeper down');
      await screen(buyer, '23-job-akash-keeper-down');
    } finally {
      await buyer.unroute(`${stack.keeperUrl}/**`);
      await buyer.reload();
    }
  });

  it('warns before submitting a job nothing fits, and its page says what to relax', async () => {
    await go(buyer, '/submit', 'Submit a GPU job');
    const gpus = buyer.getByRole('group', { name: 'GPU models (any of)' });
    await visible(gpus.getByLabel(GPU, { exact: true }), 30_000);
    for (const box of await gpus.getByRole('checkbox').all()) if (await box.isChecked()) await box.uncheck();
    await gpus.getByLabel(GPU, { exact: true }).check();
    await buyer.getByLabel('Min VRAM per GPU (GB)').fill('4000');
    await buyer.getByLabel('Duration (hours)').fill('1');
    await buyer.getByLabel('Max price (USDC per GPU-hour)').fill('2.50');
    const external = buyer.getByLabel('Akash and other markets allowed');
    if (await external.isChecked()) await external.uncheck();
    const warning = buyer.getByTestId('no-fit-warning');
    await containsText(warning, 'No provider fits these requirements now', 30_000);
    const submit = buyer.getByRole('button', { name: 'Sign and submit job' });
    expect(await submit.isDisabled()).toBe(true);
    await screen(buyer, '24-submit-nothing-fits');

    await warning.getByLabel('Submit anyway').check();
    await submit.click();
    await buyer.waitForURL(/#\/jobs\/\d+$/, { timeout: 60_000 });
    const id = /#\/jobs\/(\d+)$/.exec(buyer.url())![1]!;
    await containsText(buyer.locator('main h1'), `Job #${id}`, 30_000);
    await visible(buyer.getByTestId('unroutable'), 90_000);
    await containsText(buyer.getByTestId('relax-hints'), 'lower the minimum VRAM', 30_000);
    await containsText(buyer.getByTestId('agent-status'), 'No offer fits');
    await containsText(buyer.locator('.panel[aria-labelledby="agent-title"] [data-kind="decision"]'), 'No offer fits this job');
    const text = await buyer.locator('main').innerText();
    expect(text).not.toMatch(/Decision made|Not routed yet/);
    await screen(buyer, '25-job-unroutable');

    await buyer.getByRole('button', { name: 'Cancel job' }).click();
    await containsText(buyer.getByTestId('cancel-confirm'), 'the whole escrow');
    await buyer.getByRole('button', { name: 'Yes, cancel the job' }).click();
    await jobStatus(buyer, 'Cancelled');
  });
});
