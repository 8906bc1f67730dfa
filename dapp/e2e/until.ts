// playwright-core has no `expect`: small polling assertions over locators, with readable failures.
import type { Locator, Page, Route } from 'playwright-core';

export async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, what: string, timeout = 20_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      if (ok(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeout} ms waiting for ${what}; last value: ${JSON.stringify(last) ?? String(lastError)}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

const text = async (l: Locator) => ((await l.count()) ? ((await l.first().textContent()) ?? '').replace(/\s+/g, ' ').trim() : '<absent>');
const matches = (value: string, expected: string | RegExp) => (typeof expected === 'string' ? value.includes(expected) : expected.test(value));

export const visible = (l: Locator, timeout = 20_000) => l.first().waitFor({ state: 'visible', timeout });
export const containsText = (l: Locator, expected: string | RegExp, timeout = 20_000) =>
  until(() => text(l), (v) => matches(v, expected), `${l} to contain ${expected}`, timeout);
export const hasText = (l: Locator, expected: string, timeout = 20_000) => until(() => text(l), (v) => v === expected, `${l} to be "${expected}"`, timeout);
export const notText = (l: Locator, unexpected: string, timeout = 20_000) =>
  until(() => text(l), (v) => v !== unexpected && v !== '<absent>', `${l} not to be "${unexpected}"`, timeout);
export const hasAttribute = (l: Locator, name: string, expected: string, timeout = 20_000) =>
  until(() => l.first().getAttribute(name), (v) => v === expected, `${l} [${name}] to be "${expected}"`, timeout);
export const hasCount = (l: Locator, expected: number, timeout = 20_000) => until(() => l.count(), (v) => v === expected, `${l} count to be ${expected}`, timeout);
export const countAbove = (l: Locator, min: number, timeout = 20_000) => until(() => l.count(), (v) => v > min, `${l} count above ${min}`, timeout);

/**
 * Serve edited bodies for every response matching `glob` until `restore()` is called. A request the page drops
 * mid-flight (a reload, a navigation) leaves its route handled or closed; that one is skipped, not raised as an
 * unhandled rejection. `served()` counts the edited responses so a test can assert that the tampering happened.
 */
export async function tamperResponses(page: Page, glob: string, edit: (body: string) => string) {
  let served = 0;
  const inFlight = new Set<Promise<void>>();
  const handler = (route: Route) => {
    const work = (async () => {
      try {
        const response = await route.fetch();
        await route.fulfill({ response, body: edit(await response.text()) });
        served += 1;
      } catch (error) {
        if (!/already handled|closed|disposed|aborted/i.test(String(error))) throw error;
      }
    })();
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  };
  await page.route(glob, handler);
  return {
    served: () => served,
    restore: async () => {
      await page.unroute(glob, handler);
      await Promise.allSettled([...inFlight]);
    },
  };
}
