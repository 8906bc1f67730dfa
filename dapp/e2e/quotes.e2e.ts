// End-to-end, in Chromium, against the whole local stack: the Submit screen's live quote table as the keeper serves
// it. Only what can be launched here routes (the Akash stand-in's offers; on-chain offers); the recorded snapshots of
// the quote-only markets (Lambda, AWS Spot, Vast.ai, RunPod, io.net) are older than their TTLs, so they are listed
// apart with a stale badge, when they were recorded, and the reason in words, and never crowned "best" even when
// cheaper. A 1-GPU job shows the unit it rents: one GPU of an 8-GPU Akash machine, or a whole machine billed per
// instance. Screenshots e2e/screenshots/50-…, each checked with axe-core.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureScreen, SCREENSHOTS_DIR } from './axe';
import { CHROMIUM_FLAGS, launchStack, type Stack } from './stack';
import { containsText, visible } from './until';
import { installWallet } from './wallet';

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let buyer: Page;
const axeReport: Record<string, string[]> = {};

const screen = (page: Page, name: string) =>
  captureScreen(page, name, axeReport, (violations, message) => expect(violations, message).toEqual([]));

/** "$1.66" → 166 (cents). */
function cents(text: string): number {
  const m = /\$([\d,]+)\.(\d\d)/.exec(text);
  if (!m) throw new Error(`no USD amount in "${text}"`);
  return Number(m[1]!.replace(/,/g, '')) * 100 + Number(m[2]);
}

const routable = () => buyer.getByRole('table', { name: 'Price comparison' });
const quoteOnly = () => buyer.getByRole('table', { name: 'Quoted, not routable here' });

/** The column of `header` in `table`, as cell texts of each body row. */
async function column(table: Locator, header: string): Promise<string[]> {
  const headers = await table.locator('thead th').allTextContents();
  const i = headers.findIndex((h) => h.trim() === header);
  expect(i, `column "${header}" in ${headers.join(' | ')}`).toBeGreaterThanOrEqual(0);
  return table.locator(`tbody tr td:nth-child(${i + 1})`).allInnerTexts();
}

/** Fills the form for a 1-GPU, 1-hour job on one GPU model with a generous price cap, other markets allowed. */
async function ask(gpu: string) {
  const gpus = buyer.getByRole('group', { name: 'GPU models (any of)' });
  await visible(gpus.getByLabel(gpu, { exact: true }), 30_000);
  for (const box of await gpus.getByRole('checkbox').all()) if (await box.isChecked()) await box.uncheck();
  await gpus.getByLabel(gpu, { exact: true }).check();
  await buyer.getByLabel('GPU count').fill('1');
  await buyer.getByLabel('Min VRAM per GPU (GB)').fill('0');
  await buyer.getByLabel('Duration (hours)').fill('1');
  await buyer.getByLabel('Max price (USDC per GPU-hour)').fill('50');
  const external = buyer.getByLabel('Akash and other markets allowed');
  if (!(await external.isChecked())) await external.check();
  await containsText(routable().getByTestId('quote-row').first(), gpu, 30_000);
  await visible(quoteOnly(), 30_000);
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  stack = await launchStack();
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
  await buyer.goto(`${stack.dappUrl}/#/submit`);
  await containsText(buyer.locator('main h1').first(), 'Submit a GPU job', 20_000);
}, 15 * 60_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !buyer || buyer.isClosed()) return;
  const slug = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  await buyer.screenshot({ path: join(SCREENSHOTS_DIR, `failed-${slug}-buyer.png`), fullPage: true }).catch(() => undefined);
});

afterAll(async () => {
  if (Object.keys(axeReport).length) console.log(`axe-core: ${Object.entries(axeReport).map(([k, v]) => `${k} ${v.length}`).join(', ')}`);
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe.sequential('the live quote table', () => {
  it('routes only what can launch here, and lists the quote-only snapshots apart: stale, when recorded, and why', async () => {
    await ask('H100');
    // Routable: the Akash stand-in's offers, fresh; the best one is crowned, none is stale.
    const best = routable().getByTestId('quote-row').first();
    await containsText(best, 'best');
    await containsText(best, 'Akash');
    expect(await routable().locator('.badge', { hasText: /^stale$/ }).count()).toBe(0);
    // A 1-GPU job on Akash rents one GPU of its 8-GPU machine, priced for that GPU: not "8× H100".
    const unit = (await column(routable(), 'GPU (unit)'))[0]!;
    expect(unit).toMatch(/^1× H100 · 80 GB/);
    expect(unit).toContain('on a 8-GPU machine');
    // GPU and region columns, a region by its name.
    const regions = await column(routable(), 'Region');
    expect(regions.length).toBeGreaterThan(0);
    for (const r of regions) expect(r.trim()).not.toBe('');

    // Not routable here: every row is a stale snapshot of a market Necto cannot launch on, with the reason in words.
    const rows = quoteOnly().getByTestId('unroutable-row');
    const n = await rows.count();
    expect(n).toBeGreaterThan(3);
    for (let i = 0; i < n; i++) {
      const row = rows.nth(i);
      await visible(row.locator('.badge', { hasText: /^stale$/ }));
      expect(await row.getByTestId('source-age').innerText()).toMatch(/stale\s*recorded \d{4}-\d\d-\d\d, \d+ (d|h) old/);
    }
    const lambda = rows.filter({ hasText: 'Lambda' }).first();
    await containsText(lambda, 'no launcher configured for lambda (quote only)');
    await containsText(lambda, /stale quote: lambda data older than its 3600 s TTL/);
    await containsText(lambda.getByTestId('source-age'), /recorded \d{4}-\d\d-\d\d, \d+ d old/);
    // A whole 8-GPU machine billed per instance: what is rented, and that the job uses one of its GPUs.
    const machine = rows.filter({ hasText: 'whole 8-GPU machine rented, job uses 1' }).first();
    await containsText(machine, /8× H100 · 80 GB/);
    // The sources line says the same.
    await containsText(buyer.getByTestId('quote-sources'), /Lambda from a price snapshot \d+ d old \(stale, quote only\)/);
    await containsText(buyer.getByTestId('quote-sources'), /Akash from a price snapshot \d+ d old(?! \(stale)/);
    await screen(buyer, '50-submit-quotes-stale-snapshots');
  });

  it('never crowns a stale quote best, even when it is the cheapest', async () => {
    await ask('RTX4090');
    const bestPrice = cents((await column(routable(), 'USD / GPU·h'))[0]!);
    const bestRow = routable().getByTestId('quote-row').first();
    await containsText(bestRow, 'best');
    expect(await bestRow.locator('.badge', { hasText: /^stale$/ }).count()).toBe(0);
    // The cheapest offer of all is a stale quote-only snapshot: shown, cheaper, not picked.
    const cheapest = quoteOnly().getByTestId('unroutable-row').first();
    const cheapestPrice = cents((await column(quoteOnly(), 'USD / GPU·h'))[0]!);
    expect(cheapestPrice).toBeLessThan(bestPrice);
    await visible(cheapest.locator('.badge', { hasText: /^stale$/ }));
    await containsText(cheapest, /no launcher configured for \S+ \(quote only\); stale quote: /);
    expect(await quoteOnly().getByText('best', { exact: true }).count()).toBe(0);
    await screen(buyer, '51-submit-quotes-stale-cheaper-not-best');
  });
});
