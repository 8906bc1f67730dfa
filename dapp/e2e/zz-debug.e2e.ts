import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { it } from 'vitest';
import { installWallet } from './wallet';
it('debug', async () => {
  const stack = JSON.parse(readFileSync('/tmp/necto-e2e/stack.json', 'utf8'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  page.on('console', (m) => console.log('[console]', m.type(), m.text().slice(0, 300)));
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  await installWallet(page, { rpcUrl: stack.rpcUrl, privateKey: stack.accounts.buyer.privateKey });
  await page.goto(stack.dappUrl + '/#/');
  await page.waitForTimeout(2500);
  await page.getByRole('button', { name: 'Connect Wallet' }).first().click();
  await page.waitForTimeout(2000);
  console.log(await page.getByRole('button').allInnerTexts());
  await page.screenshot({ path: '/tmp/necto-e2e/debug.png' });
  await browser.close();
}, 60000);
