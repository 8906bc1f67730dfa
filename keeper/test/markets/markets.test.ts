import { describe, expect, it } from 'vitest';
import { createCatalog } from '../../src/catalog/index.js';
import { loadConfig } from '../../src/config.js';
import { defaultLaunchers, MARKETS, QUOTE_SOURCES, quoteOnlyReason } from '../../src/markets/index.js';

const deployment = {
  chainId: 31337,
  startBlock: 0,
  contracts: {
    AccessManager: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    USDC: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    ProviderRegistry: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
    TeamRegistry: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9',
    JobMarket: '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9',
  },
} as const;

describe('market registry', () => {
  it('gives every market a quote half whose sources price that market, and a launcher or a quote-only reason', () => {
    const names = QUOTE_SOURCES.map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of MARKETS) {
      expect(m.quote.length, m.market).toBeGreaterThan(0);
      for (const [, def] of m.quote) expect(def.market, m.market).toBe(m.market);
      if ('quoteOnly' in m.launch) expect(m.launch.quoteOnly, m.market).toMatch(/\S/);
      else expect(m.launch.launcher, m.market).toMatch(/^[a-z0-9-]+$/);
    }
    expect(MARKETS.map((m) => m.market)).toEqual(expect.arrayContaining(['onchain', 'akash', 'lambda', 'aws-spot', 'vast', 'runpod', 'ionet']));
  });

  it('is what the catalog serves and what LAUNCHERS defaults to', async () => {
    const view = await createCatalog({ subgraphUrl: '', live: false, ttlMs: 60_000, timeoutMs: 500, launchers: defaultLaunchers() }).lookup();
    // Every quote source, but those read only with an API key (io.net's container prices) when none is set.
    expect(view.sources.map((s) => s.source)).toEqual(QUOTE_SOURCES.filter(([, d]) => d.onlyWithApiKey !== true).map(([name]) => name));
    const keyed = await createCatalog({ subgraphUrl: '', live: false, ttlMs: 60_000, timeoutMs: 500, sources: { 'ionet-caas': { apiKey: 'k' } } }).lookup();
    expect(keyed.sources.map((s) => s.source)).toEqual(QUOTE_SOURCES.map(([name]) => name));
    expect(loadConfig({}, { deployment }).catalog.launchers).toEqual(defaultLaunchers());
    expect(defaultLaunchers()).toEqual({ onchain: 'provider-agent', akash: 'akash-deployer' });
    for (const s of view.sources) {
      const launch = MARKETS.find((m) => m.market === s.market)!.launch;
      expect(s.launcher, s.source).toBe('launcher' in launch ? launch.launcher : null);
    }
  });

  it('says why a market is quote only, unless the deployment configures a launcher for it', () => {
    expect(quoteOnlyReason('lambda', defaultLaunchers())).toBe('Necto has no Lambda launcher');
    expect(quoteOnlyReason('akash', defaultLaunchers())).toBeNull();
    expect(quoteOnlyReason('lambda', { lambda: 'lambda-launcher' })).toBeNull();
    expect(quoteOnlyReason('render', {})).toBe('no launcher configured for render');
  });
});
