import { describe, expect, it } from 'vitest';
import { chainsFor } from './chains';
import type { RuntimeConfig } from './schema';

const config = (o: Partial<RuntimeConfig>): RuntimeConfig => ({ chainId: 31337, subgraphUrl: 'http://s.test', keeperUrl: 'http://k.test', rpcUrls: {}, pollIntervalMs: 2000, ...o });

describe('chainsFor', () => {
  it('offers only the chains the deployment is configured for', () => {
    expect(chainsFor(config({ rpcUrls: { '31337': 'http://127.0.0.1:8545' } })).map((c) => c.id)).toEqual([31337]);
    expect(chainsFor(config({ chainId: 84532 })).map((c) => c.id)).toEqual([84532]);
    expect(chainsFor(config({ chainId: 99999, rpcUrls: { '84532': 'https://rpc.test' } })).map((c) => c.id)).toEqual([99999, 84532]);
  });
  it('gives the local chain its own icon', () => {
    const [local] = chainsFor(config({}));
    expect((local as { iconUrl?: string }).iconUrl).toMatch(/^data:image\/svg\+xml,/);
    expect(local!.rpcUrls.default.http[0]).toBe('http://127.0.0.1:8545');
  });
});
