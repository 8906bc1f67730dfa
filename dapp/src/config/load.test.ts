import { describe, expect, it } from 'vitest';
import { configFromEnv, resolveConfig } from './load';

describe('runtime config', () => {
  const base = configFromEnv({});

  it('defaults to the local stack', () => {
    const config = resolveConfig(base, undefined);
    expect(config).toMatchObject({ chainId: 31337, subgraphUrl: 'http://127.0.0.1:8000/subgraphs/name/necto', keeperUrl: 'http://127.0.0.1:8787', rpcUrls: { '31337': 'http://127.0.0.1:8545' } });
  });

  it('lets config.json override the build', () => {
    const config = resolveConfig(base, { chainId: 84532, keeperUrl: 'https://keeper.example', rpcUrls: { '84532': 'https://rpc.example' } });
    expect(config.chainId).toBe(84532);
    expect(config.keeperUrl).toBe('https://keeper.example');
    expect(config.rpcUrls).toEqual({ '31337': 'http://127.0.0.1:8545', '84532': 'https://rpc.example' });
  });

  it('accepts rpcUrl as the configured chain’s RPC (the stack’s config.json)', () => {
    const config = resolveConfig(base, { chainId: 31337, rpcUrl: 'http://127.0.0.1:9545', subgraphUrl: 'http://127.0.0.1:9000/subgraphs/name/necto', keeperUrl: 'http://127.0.0.1:9787' });
    expect(config.rpcUrls['31337']).toBe('http://127.0.0.1:9545');
  });

  it('rejects an invalid config.json with a clear message', () => {
    expect(() => resolveConfig(base, { subgraphUrl: 'ftp://nope' })).toThrow(/config.json is invalid — subgraphUrl/);
    expect(() => resolveConfig(base, { unknownKey: 1 })).toThrow(/config.json is invalid/);
  });

  it('reads VITE_* variables', () => {
    const env = configFromEnv({ VITE_CHAIN_ID: '99999', VITE_KEEPER_URL: 'https://k.example', VITE_WALLETCONNECT_PROJECT_ID: 'abc' });
    const config = resolveConfig(env, undefined);
    expect(config).toMatchObject({ chainId: 99999, keeperUrl: 'https://k.example', walletConnectProjectId: 'abc', rpcUrls: {} });
  });
});
