// The submit form as a buyer fills it, shared by the e2e files: one GPU model, the run time and price, auto-sign
// and external markets as asked, optionally the container image and command; test USDC when the wallet has none.
import type { Page } from 'playwright-core';
import { containsText, visible } from './until';

export interface SubmitOptions {
  gpu: string;
  minVram: string;
  autoSign: boolean;
  external: boolean;
  /** What the first quote row must show before submitting. */
  expectQuote: RegExp | string;
  image?: string;
  command?: string;
}

/** Fills the submit form for one GPU model, signs the permit, and returns the new job's id. */
export async function submitJob(page: Page, dappUrl: string, o: SubmitOptions): Promise<string> {
  await page.goto(`${dappUrl}/#/submit`);
  await containsText(page.locator('main h1').first(), 'Submit a GPU job', 20_000);
  const gpus = page.getByRole('group', { name: 'GPU models (any of)' });
  await visible(gpus.getByLabel(o.gpu, { exact: true }), 30_000);
  for (const box of await gpus.getByRole('checkbox').all()) if (await box.isChecked()) await box.uncheck();
  await gpus.getByLabel(o.gpu, { exact: true }).check();
  await page.getByLabel('Min VRAM per GPU (GB)').fill(o.minVram);
  await page.getByLabel('Duration (hours)').fill('1');
  await page.getByLabel('Max price (USDC per GPU-hour)').fill('2.50');
  const auto = page.getByLabel('Auto-sign (the agent\'s route binds at once)');
  if ((await auto.isChecked()) !== o.autoSign) await auto.setChecked(o.autoSign);
  const external = page.getByLabel('Akash and other markets allowed');
  if ((await external.isChecked()) !== o.external) await external.setChecked(o.external);
  if (o.image !== undefined) await page.getByLabel('Container image').fill(o.image);
  if (o.command !== undefined) await page.getByLabel('Command').fill(o.command);
  await containsText(page.getByTestId('quote-row').first(), o.expectQuote, 30_000);
  const balance = page.locator('p', { hasText: 'Your USDC' });
  if (!/Your USDC: [1-9][\d,]*\.\d\d USDC/.test((await balance.textContent().catch(() => '')) ?? '')) {
    await page.getByRole('button', { name: 'Get 10,000 test USDC' }).click();
    await visible(page.locator('[data-tx-phase="confirmed"]').filter({ hasText: 'Faucet' }), 30_000);
    await containsText(balance, /Your USDC: [1-9][\d,]*\.\d\d USDC/, 30_000);
  }
  await page.getByRole('button', { name: 'Sign and submit job' }).click();
  await page.waitForURL(/#\/jobs\/\d+$/, { timeout: 60_000 });
  const id = /#\/jobs\/(\d+)$/.exec(page.url())![1]!;
  await containsText(page.locator('main h1'), `Job #${id}`, 30_000);
  return id;
}
