// End-to-end, in Chromium, against the whole local stack (anvil, contracts, devnode, keeper, built dApp):
// a provider registers and lists an offer; a buyer submits a job with a permit; the agent's steps appear; the
// route is shown; "Verify decision" passes (and fails for a tampered log); a real provider agent runs the job's
// container (podman, the offline demo image): its logs stream live to the buyer, it completes, and "Verify result"
// passes (and fails for a tampered manifest); the dashboard shows it;
// the buyer confirms; the earnings and spending dashboards and the feed show it. Every screen is screenshotted
// (e2e/screenshots/) and checked with axe-core (no serious or critical violation).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Hex } from 'viem';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureScreen, SCREENSHOTS_DIR } from './axe';
import { containsText, countAbove, hasAttribute, hasCount, hasText, notText, tamperResponses, visible } from './until';
import { CHROMIUM_FLAGS, launchStack, startProviderAgent, type AgentProcess, type Stack } from './stack';
import { installWallet } from './wallet';
import * as queries from '../src/subgraph/queries';

const SHOTS = SCREENSHOTS_DIR;
const FLAGS = CHROMIUM_FLAGS;
// Anvil's 10th default account: not used by the demo seed, so it can register as a brand-new provider.
const NEW_PROVIDER_KEY: Hex = '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6';
const PROVIDER_NAME = 'E2E Hopper Cloud';
const GPU = 'H200';
// What the buyer runs: the demo image's busybox shell, printing progress for a few seconds, then an output file.
const COMMAND = `sh -c 'echo necto e2e run; i=0; while [ $i -lt 6 ]; do i=$((i+1)); echo "step $i/6"; sleep 1; done; echo e2e done > /outputs/result.txt'`;
let agent: AgentProcess | undefined;

let stack: Stack;
let browser: Browser;
let buyerContext: BrowserContext;
let providerContext: BrowserContext;
let buyer: Page;
let provider: Page;
let jobId = '';
const axeReport: Record<string, string[]> = {};

const screen = (page: Page, name: string) =>
  captureScreen(page, name, axeReport, (violations, message) => expect(violations, message).toEqual([]));

async function openApp(context: BrowserContext, key: Hex, label: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${label} page error] ${e.message}`));
  await installWallet(page, { rpcUrl: stack.rpcUrl, privateKey: key, chainId: stack.chainId });
  await page.goto(`${stack.dappUrl}/#/`);
  await visible(page.locator('main h1'), 20_000);
  return page;
}

async function connect(page: Page) {
  await page.getByRole('button', { name: 'Connect Wallet' }).first().click();
  await page.getByRole('button', { name: /Necto E2E Wallet/ }).click({ timeout: 20_000 });
  await visible(page.getByRole('button', { name: /0x[0-9a-fA-F]{2,4}…[0-9a-fA-F]{4}/ }), 20_000);
}

async function go(page: Page, hash: string, heading: RegExp | string) {
  await page.goto(`${stack.dappUrl}/#${hash}`);
  await containsText(page.locator('main h1').first(), heading, 20_000);
}

async function jobStatus(page: Page, status: string, timeout = 60_000) {
  await hasText(page.locator('main h1 .badge'), status, timeout);
}

/** The agent's steps read as sentences: lookup, filter, ranking with pick and runner-up; no raw ids or base units. */
async function expectReadableThinking(page: Page) {
  const panel = page.locator('.panel[aria-labelledby="agent-title"]');
  await containsText(panel.locator('[data-kind="lookup"]'), /Looked up \d+ offers across \d+ markets/, 30_000);
  await containsText(panel.locator('[data-kind="constraints"]'), /\d+ of \d+ offers fit the job/);
  await containsText(panel.locator('[data-kind="ranking"]'), `Pick: ${PROVIDER_NAME}`);
  await containsText(panel.locator('[data-kind="decision"]'), `Chose ${PROVIDER_NAME}`);
  const text = (await panel.innerText()).replace(/Raw payload[\s\S]*?(?=\n[A-Z]{4,}|$)/g, '');
  expect(text).not.toMatch(/PICK:/);
  expect(text).not.toMatch(/0x0{24}/);
  expect(text).not.toMatch(/@ ?\d{5,}/);
  expect(text).not.toMatch(/Working|not available in this browser/);
  // The raw tool payloads are one click away.
  const raw = panel.locator('[data-kind="ranking"] details');
  await raw.locator('summary').click();
  await containsText(raw.locator('pre'), '"candidateId"');
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // The demo seed is optional (E2E_SEED=1); E2E_STACK=<file.json> attaches to a running stack (see ./stack).
  stack = await launchStack();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS });
  // Reduced motion: steps still appear one by one, without the fade that would make axe's contrast check racy.
  buyerContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  providerContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
}, 15 * 60_000);

// On a failure, keep what each browser showed (e2e/screenshots/failed-*.png).
afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  const slug = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  for (const [who, page] of [['buyer', buyer], ['provider', provider]] as const) {
    if (page && !page.isClosed()) await page.screenshot({ path: join(SHOTS, `failed-${slug}-${who}.png`), fullPage: true }).catch(() => undefined);
  }
});

afterAll(async () => {
  if (Object.keys(axeReport).length) console.log(`axe-core: ${Object.entries(axeReport).map(([k, v]) => `${k} ${v.length}`).join(', ')}`);
  await browser?.close();
  await agent?.proc.stop();
  await stack?.stop();
}, 60_000);

describe.sequential('Necto dApp end to end', () => {
  it('sends only queries the subgraph accepts', async () => {
    // Every query the dApp sends, with realistic variables, against the running devnode (catches schema drift).
    const me = stack.accounts.buyer!.address.toLowerCase();
    const variables: Record<string, Record<string, unknown>> = {
      ACTIVITY_QUERY: { first: 5, where: { involves_contains: [me] } },
      PROTOCOL_QUERY: {},
      JOBS_QUERY: { where: { buyer: me }, first: 5 },
      JOB_QUERY: { id: '1' },
      PROVIDER_QUERY: { id: me, address: me },
      ACCOUNT_QUERY: { id: me },
      MARKET_OFFERS_QUERY: {},
      DIRECTORY_QUERY: {},
      MY_TEAMS_QUERY: { member: me },
      TEAM_QUERY: { id: '1', teamId: '1' },
    };
    const errors: string[] = [];
    for (const [name, query] of Object.entries(queries)) {
      if (!name.endsWith('_QUERY')) continue;
      const vars = variables[name];
      expect(vars, `variables for ${name}`).toBeDefined();
      const response = await fetch(stack.subgraphUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: vars }) });
      const body = (await response.json()) as { errors?: unknown[] };
      if (body.errors) errors.push(`${name}: ${JSON.stringify(body.errors)}`);
    }
    expect(errors).toEqual([]);
  });

  it('shows the overview', async () => {
    buyer = await openApp(buyerContext, stack.accounts.buyer!.privateKey, 'buyer');
    await visible(buyer.getByRole('heading', { name: 'Marketplace' }));
    await hasCount(buyer.locator('.skeleton'), 0, 30_000);
    await screen(buyer, '01-overview');
  });

  it('lets a new provider register and list an offer', async () => {
    provider = await openApp(providerContext, NEW_PROVIDER_KEY, 'provider');
    await connect(provider);
    await go(provider, '/provider', 'Provider');
    await visible(provider.getByRole('heading', { name: 'Register as a provider' }), 30_000);
    await screen(provider, '02-provider-register');
    await provider.getByLabel('Display name').fill(PROVIDER_NAME);
    await provider.getByLabel('Home region').selectOption('us-west');
    await provider.getByRole('button', { name: 'Register provider' }).click();
    await containsText(provider.locator('main h1'), PROVIDER_NAME, 60_000);

    const form = provider.getByRole('form', { name: 'List an offer' });
    await form.getByLabel('GPU model').fill(GPU);
    await form.getByLabel('GPUs per machine').fill('8');
    await form.getByLabel('VRAM per GPU (GB)').fill('141');
    // The offer's region defaults to the provider's home region.
    expect(await form.getByLabel('Region').inputValue()).toBe('us-west');
    await form.getByLabel('Price (USDC per GPU-hour)').fill('1.95');
    await form.getByLabel('Machines available').fill('3');
    await form.getByRole('button', { name: 'List offer' }).click();
    await containsText(provider.getByRole('table', { name: 'My offers' }), GPU, 60_000);
    await screen(provider, '03-provider-offers');
  });

  it('lets the buyer create a team with a spending cap', async () => {
    await connect(buyer);
    await go(buyer, '/teams', 'Teams');
    await buyer.getByLabel('Team name').fill('E2E Research');
    await buyer.getByLabel('Spending cap (USDC, 0 = none)').fill('1000');
    await buyer.getByRole('button', { name: 'Create team' }).click();
    await containsText(buyer.locator('main h1'), 'E2E Research', 60_000);
    await containsText(buyer.getByTestId('cap-used'), 'of 1,000.00 USDC', 30_000);
  });

  it('lets the buyer submit a job with a one-signature permit, with a live price comparison', async () => {
    await go(buyer, '/submit', 'Submit a GPU job');
    await screen(buyer, '04-submit-empty-form');
    // Only the new provider's GPU model, on-chain providers only, charged to the seeded team.
    const gpus = buyer.getByRole('group', { name: 'GPU models (any of)' });
    await visible(gpus.getByLabel(GPU), 30_000);
    for (const box of await gpus.getByRole('checkbox').all()) if (await box.isChecked()) await box.uncheck();
    await gpus.getByLabel(GPU).check();
    await buyer.getByLabel('Min VRAM per GPU (GB)').fill('80');
    await buyer.getByLabel('Duration (hours)').fill('1');
    await buyer.getByLabel('Max price (USDC per GPU-hour)').fill('2.50');
    await buyer.getByLabel('Akash and other markets allowed').uncheck();
    await buyer.getByLabel('Container image').fill('necto/demo:1');
    await buyer.getByLabel('Command').fill(COMMAND);
    await hasCount(buyer.getByLabel('Team').locator('option', { hasText: 'E2E Research' }), 1, 30_000);
    const teamOption = await buyer.getByLabel('Team').locator('option', { hasText: 'E2E Research' }).getAttribute('value');
    await buyer.getByLabel('Team').selectOption(teamOption!);

    const rows = buyer.getByTestId('quote-row');
    await containsText(rows.first(), PROVIDER_NAME, 30_000);
    await hasText(buyer.getByTestId('budget'), '2.50 USDC');
    // Test USDC from the MockUSDC faucet (local chain only).
    await buyer.getByRole('button', { name: 'Get 10,000 test USDC' }).click();
    await visible(buyer.locator('[data-tx-phase="confirmed"]').filter({ hasText: 'Faucet' }), 30_000);
    await containsText(buyer.locator('p', { hasText: 'Your USDC' }), /Your USDC: [1-9][\d,]*\.\d\d USDC/, 30_000);
    await screen(buyer, '05-submit-quotes');

    await buyer.getByRole('button', { name: 'Sign and submit job' }).click();
    await buyer.waitForURL(/#\/jobs\/\d+$/, { timeout: 60_000 });
    jobId = /#\/jobs\/(\d+)$/.exec(buyer.url())![1]!;
    expect(Number(jobId)).toBeGreaterThan(0);
  });

  it('shows the agent thinking, then the chosen route with its alternatives', async () => {
    await containsText(buyer.locator('main h1'), `Job #${jobId}`, 30_000);
    await visible(buyer.getByTestId('agent-step').first(), 60_000);
    await hasText(buyer.getByTestId('route-provider'), PROVIDER_NAME, 60_000);
    await jobStatus(buyer, 'Accepted');
    await countAbove(buyer.getByTestId('agent-step'), 1, 30_000);
    // A committed round is a record: read at once from the reasoning log, not replayed as live.
    await containsText(buyer.getByTestId('agent-status'), 'Decision record', 30_000);
    await expectReadableThinking(buyer);
    await screen(buyer, '06-job-routed');
  });

  it('verifies the decision in the browser, and rejects a tampered log', async () => {
    await buyer.getByRole('button', { name: 'Verify decision' }).click();
    const result = buyer.getByTestId('verify-result');
    await hasAttribute(result, 'data-verified', 'true', 30_000);
    await hasCount(result.getByText('passed'), 4);
    await screen(buyer, '07-verify-passed');

    // Serve a modified log body for the same root: every hash check must fail.
    const tampered = await tamperResponses(buyer, '**/logs/**', (body) => body.replace(PROVIDER_NAME, 'E2E Hopper Cloud (tampered)'));
    await buyer.getByRole('button', { name: 'Verify again' }).click();
    await hasAttribute(result, 'data-verified', 'false', 30_000);
    await hasAttribute(result.locator('[data-check="logRoot"]'), 'data-passed', 'false');
    await hasAttribute(result.locator('[data-check="decisionHash"]'), 'data-passed', 'false');
    await screen(buyer, '08-verify-tampered');
    expect(tampered.served()).toBeGreaterThan(0);
    await tampered.restore();
  });

  it('runs the job in a real agent: logs stream live to the buyer, it completes, and the result verifies', async () => {
    await go(provider, '/provider', PROVIDER_NAME);
    const routed = provider.getByRole('table', { name: 'Jobs routed to me' });
    const row = routed.getByRole('row').filter({ hasText: `#${jobId}` });
    await containsText(row, 'your agent starts it', 30_000);
    // No manual start or completion in the dApp.
    expect(await row.getByRole('button', { name: /Start|Complete/ }).count()).toBe(0);
    agent = await startProviderAgent(stack, { name: PROVIDER_NAME, region: 'us-west', privateKey: NEW_PROVIDER_KEY });

    await go(buyer, `/jobs/${jobId}`, `Job #${jobId}`);
    await jobStatus(buyer, 'Running', 60_000);
    await buyer.getByRole('button', { name: 'Stream live logs' }).click();
    await containsText(buyer.getByTestId('live-log'), /step [1-5]\/6/, 30_000);
    await screen(buyer, '09-job-live-logs');

    await containsText(row, 'Completed', 60_000);
    await screen(provider, '09-provider-routed-jobs');

    await go(buyer, `/jobs/${jobId}`, `Job #${jobId}`);
    await jobStatus(buyer, 'Completed', 30_000);
    await hasText(buyer.getByTestId('result-reason'), 'ok', 30_000);
    await hasText(buyer.getByTestId('result-exit-code'), '0');
    await buyer.getByRole('button', { name: 'Verify result' }).click();
    await hasAttribute(buyer.getByTestId('result-verify'), 'data-verified', 'true', 30_000);
    await screen(buyer, '09-result-verified');

    // Serve a modified manifest for the same root: the recomputed root no longer matches the on-chain resultHash.
    const tampered = await tamperResponses(buyer, '**/content/**', (body) => body.replace('"exitCode":0', '"exitCode":1'));
    await buyer.reload();
    await containsText(buyer.locator('main h1').first(), `Job #${jobId}`, 20_000);
    await buyer.getByRole('button', { name: 'Verify result' }).click();
    await hasAttribute(buyer.getByTestId('result-verify'), 'data-verified', 'false', 30_000);
    expect(tampered.served()).toBeGreaterThan(0);
    await tampered.restore();
  });

  it('lets the buyer confirm and pay', async () => {
    await go(buyer, `/jobs/${jobId}`, `Job #${jobId}`);
    await jobStatus(buyer, 'Completed');
    await buyer.getByRole('button', { name: 'Confirm and pay' }).click();
    await jobStatus(buyer, 'Settled');
    await hasText(buyer.getByTestId('escrow-balance'), '0.00 USDC', 30_000);
    // A settled job's history is a record, never "Working…" nor a stream "not available in this browser".
    await containsText(buyer.getByTestId('agent-status'), 'Decision record', 30_000);
    await expectReadableThinking(buyer);
    await screen(buyer, '10-job-settled');
  });

  it('shows the earnings on the provider dashboard and withdraws them', async () => {
    await go(provider, '/provider', PROVIDER_NAME);
    await notText(provider.getByTestId('total-earned'), '0.00 USDC', 60_000);
    await containsText(provider.getByRole('table', { name: 'Earnings per job' }), `#${jobId}`, 30_000);
    await screen(provider, '11-provider-earnings');
    // The payout is also announced at the top of every screen; withdraw from the earnings panel.
    await containsText(provider.getByTestId('withdraw-notice'), 'ready to withdraw', 30_000);
    await provider.locator('.panel[aria-labelledby="earnings-title"]').getByRole('button', { name: /^Withdraw / }).click();
    await visible(provider.locator('[data-tx-phase="confirmed"]').filter({ hasText: 'Withdrawal' }), 30_000);
    await hasText(provider.getByTestId('withdrawable'), '0.00 USDC', 30_000);
  });

  it('shows the spending on the team dashboard', async () => {
    await go(buyer, '/teams', 'Teams');
    await visible(buyer.getByRole('table', { name: 'My teams' }), 30_000);
    await screen(buyer, '12-teams');
    await buyer.getByRole('table', { name: 'My teams' }).getByRole('link', { name: /E2E Research/ }).click();
    await containsText(buyer.locator('main h1'), 'Team #', 30_000);
    await containsText(buyer.getByRole('table', { name: 'Team jobs' }), `#${jobId}`, 30_000);
    await notText(buyer.getByTestId('team-spent'), '0.00 USDC');
    await containsText(buyer.getByRole('figure', { name: 'Spending per provider, USDC' }), PROVIDER_NAME, 30_000);
    await screen(buyer, '13-team-spending');
  });

  it('shows the job in the buyer’s list and in the live activity feed', async () => {
    await go(buyer, '/jobs', 'My jobs');
    await containsText(buyer.getByRole('table', { name: 'My jobs' }), `#${jobId}`, 30_000);
    await screen(buyer, '14-my-jobs');
    await go(buyer, '/activity', 'Activity');
    const settled = buyer.locator('.feed li[data-kind="JOB_SETTLED"]').filter({ has: buyer.getByRole('link', { name: `Job #${jobId}` }) });
    await visible(settled, 30_000);
    const started = buyer.locator('.feed li[data-kind="JOB_STARTED"]').filter({ has: buyer.getByRole('link', { name: `Job #${jobId}` }) });
    await containsText(started, `started by ${PROVIDER_NAME}`, 30_000);
    await screen(buyer, '15-activity');
  });
});
