import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogSourceOverrides, createCatalog } from '../../src/catalog/index.js';
import { ANVIL_KEEPER_KEY, ConfigError, loadConfig, MAX_AGE_VARIABLES, redactConfig, redactUrl } from '../../src/config.js';
import { QUOTE_SOURCES } from '../../src/markets/index.js';
import { SNAPSHOT_RECORDED_AT } from '../catalog/snapshot-deployment.js';
import { createLogger } from '../../src/logger.js';

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
const SECRET_KEY = '0x' + 'a1'.repeat(32);

describe('config', () => {
  it('has local defaults that need nothing', () => {
    const c = loadConfig({}, { deployment });
    expect(c.chain).toMatchObject({ rpcUrl: 'http://127.0.0.1:8545', chainId: 31337, confirmations: 0 });
    expect(c.keeper).toMatchObject({ privateKey: ANVIL_KEEPER_KEY, address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', keySource: 'anvil-default' });
    expect(c.http).toMatchObject({ port: 8787, host: '127.0.0.1', corsOrigins: ['http://127.0.0.1:5173', 'http://localhost:5173'], adminToken: undefined });
    expect(c.subgraphUrl).toBe('http://127.0.0.1:8000/subgraphs/name/necto');
    expect(c.logStore).toMatchObject({ kind: 'local' });
    expect(c.dataDir).toMatch(/keeper\/\.data$/);
    expect(c.model).toEqual({ kind: 'local', name: 'offline' });
    expect(c.catalog.live).toBe(false);
    // On-chain providers launch through the provider agent, Akash through the deployer; the rest quote only.
    expect(c.catalog.launchers).toEqual({ onchain: 'provider-agent', akash: 'akash-deployer' });
  });

  it('reads every setting, and picks Gemini and 0G when their keys are set', () => {
    const c = loadConfig(
      {
        RPC_URL: 'https://rpc.example.org',
        CHAIN_ID: '31337',
        KEEPER_PRIVATE_KEY: SECRET_KEY,
        CONFIRMATIONS: '2',
        ZG_INDEXER_URL: 'https://indexer.example.org',
        ZG_EVM_RPC: 'https://evm.example.org',
        ZG_PRIVATE_KEY: SECRET_KEY,
        GOOGLE_API_KEY: 'gemini-secret',
        GEMINI_MODEL: 'gemini-2.5-pro',
        LIVE_PRICES: 'true',
        PORT: '9000',
        CORS_ORIGINS: 'https://app.necto.xyz, https://necto.xyz',
        ADMIN_TOKEN: 'admin-secret-0123456789',
        RATE_LIMIT_CAPACITY: '10',
        RATE_LIMIT_REFILL_PER_SEC: '0.5',
        RUNPOD_API_KEY: 'runpod-secret',
        VAST_API_KEY: 'vast-secret',
        LAUNCHERS: 'onchain=provider-agent,lambda=lambda-launcher',
      },
      { deployment },
    );
    expect(c.chain.confirmations).toBe(2);
    expect(c.keeper.keySource).toBe('env');
    expect(c.logStore.kind).toBe('0g');
    expect(c.model).toEqual({ kind: 'gemini', name: 'gemini-2.5-pro', apiKey: 'gemini-secret' });
    expect(c.catalog.live).toBe(true);
    expect(c.catalog.launchers).toEqual({ onchain: 'provider-agent', lambda: 'lambda-launcher' });
    expect(c.http.corsOrigins).toEqual(['https://app.necto.xyz', 'https://necto.xyz']);
    expect(c.http.rateLimit).toEqual({ capacity: 10, refillPerSec: 0.5 });

    const dump = JSON.stringify(redactConfig(c));
    for (const secret of [SECRET_KEY.slice(2), 'gemini-secret', 'admin-secret', 'runpod-secret', 'vast-secret']) expect(dump).not.toContain(secret);
    expect(dump).toContain('[redacted]');
  });

  it('sets one source\'s TTL with CATALOG_MAX_AGE_SEC_<SOURCE>: only that source\'s old snapshot counts as fresh', async () => {
    // Every catalog source has its variable.
    expect(Object.keys(MAX_AGE_VARIABLES).sort()).toEqual(QUOTE_SOURCES.map(([name]) => name).sort());
    const c = loadConfig({ CATALOG_MAX_AGE_SEC_AKASH: '3153600000', CATALOG_MAX_AGE_SEC_AWS_SPOT: '7200', LAMBDA_API_KEY: 'lambda-secret' }, { deployment });
    expect(c.catalog.maxAgeSec).toBeUndefined();
    expect(c.catalog.maxAgeSecBySource).toEqual({ akash: 3_153_600_000, 'aws-spot': 7200 });
    const sources = catalogSourceOverrides(c.catalog);
    expect(sources.akash).toEqual({ url: 'https://console-api.akash.network', maxAgeSec: 3_153_600_000 });
    expect(sources.lambda).toEqual({ apiKey: 'lambda-secret' });
    // A month after the newest snapshot was recorded (the local stack's keeper): Akash routes, the others are stale.
    const catalog = createCatalog({
      subgraphUrl: '', live: false, ttlMs: 60_000, timeoutMs: 1_000, launchers: c.catalog.launchers, sources,
      now: () => (SNAPSHOT_RECORDED_AT + 30 * 86_400) * 1000,
    });
    const stale = Object.fromEntries((await catalog.lookup()).sources.map((s) => [s.source, s.stale]));
    expect(stale).toEqual({ subgraph: true, akash: false, lambda: true, 'aws-spot': true, vast: true, runpod: true, ionet: true });
    expect(() => loadConfig({ CATALOG_MAX_AGE_SEC_VAST: '0' }, { deployment })).toThrow(/CATALOG_MAX_AGE_SEC_VAST/);
    // IONET_API_KEY also turns on io.net's container (CaaS) prices, which need it.
    const ionet = catalogSourceOverrides(loadConfig({ IONET_API_KEY: 'ionet-secret' }, { deployment }).catalog);
    expect(ionet).toMatchObject({ ionet: { apiKey: 'ionet-secret' }, 'ionet-caas': { apiKey: 'ionet-secret' } });
  });

  it('reads the key from KEEPER_KEY_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'necto-config-'));
    writeFileSync(join(dir, 'key'), `${SECRET_KEY.slice(2)}\n`);
    const c = loadConfig({ KEEPER_KEY_FILE: join(dir, 'key') }, { deployment });
    expect(c.keeper).toMatchObject({ privateKey: SECRET_KEY, keySource: 'file' });
  });

  it('refuses what would be unsafe or half-configured, naming the variable and never the value', () => {
    expect(() => loadConfig({ CHAIN_ID: '84532' }, { deployment: { ...deployment, chainId: 84532 } })).toThrow(/KEEPER_PRIVATE_KEY or KEEPER_KEY_FILE is required/);
    expect(() => loadConfig({ ZG_INDEXER_URL: 'https://indexer.example.org' }, { deployment })).toThrow(/together/);
    expect(() => loadConfig({ CHAIN_ID: '99999', KEEPER_PRIVATE_KEY: SECRET_KEY }, { deployment })).toThrow(/deployment is for chain 31337/);
    try {
      loadConfig({ KEEPER_PRIVATE_KEY: '0xnot-a-key-but-secret', PORT: 'eighty', ADMIN_TOKEN: 'short' }, { deployment });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toMatch(/PORT/);
      expect(msg).toMatch(/ADMIN_TOKEN/);
      expect(msg).not.toContain('not-a-key-but-secret');
    }
  });

  it('configures the Akash deployer from a node URL and a key (inline or file), never showing the key', () => {
    expect(loadConfig({}, { deployment }).akash).toBeNull();
    const mnemonic = 'surround miss nominee dream gap cross assault thank captain prosper drop duty group candy wealth weather scale put';
    const c = loadConfig({ AKASH_NODE_URL: 'http://127.0.0.1:26657', AKASH_MNEMONIC: mnemonic, AKASH_STANDIN: '1', AKASH_BID_WINDOW_MS: '5000' }, { deployment });
    expect(c.akash).toMatchObject({ nodeUrl: 'http://127.0.0.1:26657', chainId: 'akashnet-2', keySource: 'env', standin: true, bidWindowMs: 5000 });
    expect(JSON.stringify(redactConfig(c))).not.toContain('surround');
    const dir = mkdtempSync(join(tmpdir(), 'necto-config-'));
    writeFileSync(join(dir, 'akash-key'), `${mnemonic}\n`);
    expect(loadConfig({ AKASH_NODE_URL: 'http://127.0.0.1:1317', AKASH_KEY_FILE: join(dir, 'akash-key') }, { deployment }).akash).toMatchObject({ secret: mnemonic, keySource: 'file' });
    expect(() => loadConfig({ AKASH_NODE_URL: 'http://127.0.0.1:1317' }, { deployment })).toThrow(/no Akash key/);
    expect(() => loadConfig({ AKASH_NODE_URL: 'http://127.0.0.1:1317', AKASH_MNEMONIC: mnemonic, AKASH_KEY_FILE: 'x' }, { deployment })).toThrow(/not both/);
  });

  it('redacts credentials in URLs and secret-looking log fields', () => {
    expect(redactUrl('https://user:pass@rpc.example.org/v2/abcdef')).toBe('https://rpc.example.org/[redacted]');
    expect(redactUrl('https://eth-sepolia.g.alchemy.com/v2/KEY123')).not.toContain('KEY123');
    expect(redactUrl('http://127.0.0.1:8545')).toBe('http://127.0.0.1:8545/');
    const lines: string[] = [];
    createLogger('info', {}, (l) => lines.push(l)).info('x', { privateKey: SECRET_KEY, nested: { apiKey: 'k' }, ok: 1n });
    expect(lines[0]).not.toContain(SECRET_KEY);
    expect(lines[0]).toContain('"ok":"1"');
  });
});
