import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core (WCAG 2.x A/AA rules) on the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Where every e2e screenshot goes (gitignored; named in the README). */
export const SCREENSHOTS_DIR = new URL('./screenshots/', import.meta.url).pathname;

/**
 * Screenshots a screen (top of the page, full height) and fails the test on any serious or critical axe-core
 * violation; `report` collects each screen's violations for the run's summary line.
 */
export async function captureScreen(page: Page, name: string, report: Record<string, string[]>, expectNone: (violations: string[], message: string) => void): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOTS_DIR}${name}.png`, fullPage: true });
  const violations = await seriousViolations(page);
  report[name] = violations.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.join(', ')}`);
  expectNone(report[name], `axe-core serious/critical violations on ${name}:\n${report[name].join('\n')}`);
}
