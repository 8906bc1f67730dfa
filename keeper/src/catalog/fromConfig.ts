import type { Config } from '../config.js';
import type { SourceName, SourceOverride } from './catalog.js';

/**
 * The keeper configuration's per-source settings as catalog overrides: endpoints, API keys (passed on, never
 * logged) and per-source TTLs (`CATALOG_MAX_AGE_SEC_<SOURCE>`).
 */
export function catalogSourceOverrides(c: Config['catalog']): Partial<Record<SourceName, SourceOverride>> {
  const out: Partial<Record<SourceName, SourceOverride>> = { akash: { url: c.akashConsoleUrl } };
  const set = (name: SourceName, o: SourceOverride) => {
    out[name] = { ...out[name], ...o };
  };
  if (c.lambdaApiKey) set('lambda', { apiKey: c.lambdaApiKey });
  if (c.awsSpotPricesUrl) set('aws-spot', { url: c.awsSpotPricesUrl });
  if (c.runpodApiKey) set('runpod', { apiKey: c.runpodApiKey });
  if (c.vastApiKey) set('vast', { apiKey: c.vastApiKey });
  if (c.ionetApiKey) {
    set('ionet', { apiKey: c.ionetApiKey });
    // Container prices need the key; with it they are quoted next to the VM prices.
    set('ionet-caas', { apiKey: c.ionetApiKey });
  }
  for (const [name, maxAgeSec] of Object.entries(c.maxAgeSecBySource) as Array<[SourceName, number]>) set(name, { maxAgeSec });
  return out;
}
