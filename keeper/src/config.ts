// The keeper's one typed configuration, read from the environment and validated with zod.
// Every setting has a local default that needs nothing (anvil on 127.0.0.1:8545, the devnode subgraph, the
// embedded log store, the offline model); settings that reach the outside world are opt-in.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDeployment, type Deployment } from '@necto/contracts';
import { privateKeyToAddress } from 'viem/accounts';
import { z } from 'zod';

/** Anvil account #1: holds the KEEPER role after a local deploy. A public test key, valid on chain 31337 only. */
export const ANVIL_KEEPER_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' as const;
export const LOCAL_CHAIN_ID = 31337;

const keeperDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hex private key (0x + 64 hex digits)');
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 20-byte hex address');
const url = z.url();
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes' || v === 'on');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/**
 * The catalog's sources (src/markets names them; this layer sits below it) and the variable that sets each one's
 * TTL in seconds, over `CATALOG_MAX_AGE_SEC` and the source's own.
 */
export const MAX_AGE_VARIABLES = Object.freeze({
  subgraph: 'CATALOG_MAX_AGE_SEC_SUBGRAPH',
  akash: 'CATALOG_MAX_AGE_SEC_AKASH',
  lambda: 'CATALOG_MAX_AGE_SEC_LAMBDA',
  'aws-spot': 'CATALOG_MAX_AGE_SEC_AWS_SPOT',
  vast: 'CATALOG_MAX_AGE_SEC_VAST',
  runpod: 'CATALOG_MAX_AGE_SEC_RUNPOD',
  ionet: 'CATALOG_MAX_AGE_SEC_IONET',
  'ionet-caas': 'CATALOG_MAX_AGE_SEC_IONET_CAAS',
} as const);
export type CatalogSourceName = keyof typeof MAX_AGE_VARIABLES;
const maxAgeSec = int(1, 3_153_600_000).optional();

/** What the environment may contain (raw strings), with defaults. Unknown variables are ignored. */
export const envSchema = z.object({
  RPC_URL: url.default('http://127.0.0.1:8545'),
  CHAIN_ID: int(1, 2 ** 53 - 1).default(LOCAL_CHAIN_ID),
  KEEPER_PRIVATE_KEY: optionalString,
  KEEPER_KEY_FILE: optionalString,
  CONFIRMATIONS: int(0, 1000).optional(),
  POLL_INTERVAL_MS: int(50, 600_000).optional(),
  REROUTE_INTERVAL_MS: int(100, 3_600_000).optional(),
  LOG_BLOCK_RANGE: int(1, 100_000).default(2_000),
  REORG_DEPTH: int(1, 10_000).default(64),
  TX_RETRIES: int(0, 100).default(8),
  TX_RECEIPT_TIMEOUT_MS: int(1_000, 3_600_000).default(60_000),
  SUBGRAPH_URL: url.default('http://127.0.0.1:8000/subgraphs/name/necto'),
  DATA_DIR: optionalString,
  ZG_INDEXER_URL: optionalString.pipe(url.optional()),
  ZG_EVM_RPC: optionalString.pipe(url.optional()),
  ZG_PRIVATE_KEY: optionalString.pipe(hex32.optional()),
  GEMINI_API_KEY: optionalString,
  GOOGLE_API_KEY: optionalString,
  GOOGLE_GENAI_API_KEY: optionalString,
  GEMINI_MODEL: z.string().min(1).default('gemini-2.5-flash'),
  AKASH_CONSOLE_URL: url.default('https://console-api.akash.network'),
  /** An Akash node's REST API; with a key, the managed-wallet deployer runs Akash routes. */
  AKASH_NODE_URL: optionalString.pipe(url.optional()),
  AKASH_CHAIN_ID: z.string().min(1).default('akashnet-2'),
  /** The managed wallet: a mnemonic or 32-byte hex key, inline or in a file. Never logged. */
  AKASH_MNEMONIC: optionalString,
  AKASH_KEY_FILE: optionalString,
  /** Set when AKASH_NODE_URL points at the local Akash stand-ins (labelled as such in results and the UI). */
  AKASH_STANDIN: flag,
  AKASH_BID_WINDOW_MS: int(1_000, 3_600_000).default(90_000),
  LIVE_PRICES: flag,
  LAMBDA_API_KEY: optionalString,
  RUNPOD_API_KEY: optionalString,
  VAST_API_KEY: optionalString,
  IONET_API_KEY: optionalString,
  AWS_SPOT_PRICES_URL: optionalString.pipe(url.optional()),
  CATALOG_TTL_MS: int(0, 86_400_000).default(60_000),
  CATALOG_TIMEOUT_MS: int(100, 120_000).default(5_000),
  /** Overrides every source's TTL (seconds): benchmarks and demos over the recorded snapshots. */
  CATALOG_MAX_AGE_SEC: maxAgeSec,
  /** One source's TTL (seconds), over `CATALOG_MAX_AGE_SEC` and the source's own: `CATALOG_MAX_AGE_SEC_AKASH=…`. */
  CATALOG_MAX_AGE_SEC_SUBGRAPH: maxAgeSec,
  CATALOG_MAX_AGE_SEC_AKASH: maxAgeSec,
  CATALOG_MAX_AGE_SEC_LAMBDA: maxAgeSec,
  CATALOG_MAX_AGE_SEC_AWS_SPOT: maxAgeSec,
  CATALOG_MAX_AGE_SEC_VAST: maxAgeSec,
  CATALOG_MAX_AGE_SEC_RUNPOD: maxAgeSec,
  CATALOG_MAX_AGE_SEC_IONET: maxAgeSec,
  CATALOG_MAX_AGE_SEC_IONET_CAAS: maxAgeSec,
  /** `market=launcher` pairs: the markets this deployment can start jobs on; the rest are quote only. */
  LAUNCHERS: z.string().regex(/^([a-z0-9-]+=[a-z0-9-]+)?(,[a-z0-9-]+=[a-z0-9-]+)*$/).default('onchain=provider-agent,akash=akash-deployer'),
  PORT: int(0, 65_535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  CORS_ORIGINS: list.default(['http://127.0.0.1:5173', 'http://localhost:5173']),
  ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters').optional()),
  RATE_LIMIT_CAPACITY: int(1, 1_000_000).default(120),
  RATE_LIMIT_REFILL_PER_SEC: z.coerce.number().positive().max(1_000_000).default(2),
  TRUST_PROXY: flag,
  BODY_LIMIT_BYTES: int(1_024, 10 * 1024 * 1024).default(64 * 1024),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // Only for tests and unusual setups: read the deployment from this JSON file (the deploy script's output)
  // instead of the generated package.
  DEPLOYMENT_FILE: optionalString,
});

export type Env = z.input<typeof envSchema>;

export const deploymentFileSchema = z.object({
  chainId: z.coerce.number().int(),
  startBlock: z.coerce.number().int().min(0),
  contracts: z
    .object({
      AccessManager: address,
      ProviderRegistry: address,
      TeamRegistry: address,
      JobMarket: address,
      USDC: address.optional(),
      MockUSDC: address.optional(),
    })
    .loose(),
});

export interface Config {
  chain: {
    rpcUrl: string;
    chainId: number;
    confirmations: number;
    pollIntervalMs: number;
    rerouteIntervalMs: number;
    logBlockRange: number;
    reorgDepth: number;
    deployment: Deployment;
  };
  keeper: {
    /** Never logged: `redactConfig` replaces it. */
    privateKey: `0x${string}`;
    address: `0x${string}`;
    keySource: 'env' | 'file' | 'anvil-default';
  };
  tx: { retries: number; receiptTimeoutMs: number };
  subgraphUrl: string;
  dataDir: string;
  logStore: { kind: 'local'; dir: string } | { kind: '0g'; indexerUrl: string; evmRpc: string; privateKey: `0x${string}` };
  model: { kind: 'gemini'; name: string; apiKey: string } | { kind: 'local'; name: string };
  catalog: {
    akashConsoleUrl: string;
    live: boolean;
    ttlMs: number;
    timeoutMs: number;
    /** Lambda's price API needs a key; without it Lambda is served from its snapshot. */
    lambdaApiKey: string | undefined;
    /** A JSON endpoint with AWS Spot prices (the EC2 API itself needs SigV4); snapshot when unset. */
    awsSpotPricesUrl: string | undefined;
    /** RunPod's GraphQL API needs a key (snapshot without); Vast.ai search works without one. */
    runpodApiKey: string | undefined;
    vastApiKey: string | undefined;
    /** io.net's hardware list works without a key; one is sent as `x-api-key` when set. */
    ionetApiKey: string | undefined;
    /** Every source's TTL in seconds when set (else each source's own). */
    maxAgeSec: number | undefined;
    /** Per-source TTLs in seconds (`CATALOG_MAX_AGE_SEC_<SOURCE>`), over `maxAgeSec`. */
    maxAgeSecBySource: Partial<Record<CatalogSourceName, number>>;
    /** market → launcher; a market without one is quote only. */
    launchers: Record<string, string>;
  };
  http: {
    port: number;
    host: string;
    corsOrigins: string[];
    adminToken: string | undefined;
    rateLimit: { capacity: number; refillPerSec: number };
    trustProxy: boolean;
    bodyLimitBytes: number;
  };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** null: no Akash deployer (routes to Akash are committed, not deployed). */
  akash: { nodeUrl: string; chainId: string; secret: string; keySource: 'env' | 'file'; standin: boolean; bidWindowMs: number } | null;
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(issues.length ? `${message}\n  - ${issues.join('\n  - ')}` : message);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** Deployment to use instead of the generated package's (tests). */
  deployment?: Deployment;
  /** Base directory for relative paths (default: the keeper package). */
  baseDir?: string;
}

/** Reads, validates and resolves the keeper's configuration. Throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, options: LoadConfigOptions = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      'invalid keeper configuration',
      // Issue messages name the variable, never its value (it may be a secret).
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const baseDir = options.baseDir ?? keeperDir;
  const local = e.CHAIN_ID === LOCAL_CHAIN_ID;

  const { privateKey, keySource } = resolveKeeperKey(e, baseDir, local);
  const deployment = options.deployment ?? resolveDeployment(e.CHAIN_ID, e.DEPLOYMENT_FILE, baseDir);
  if (deployment.chainId !== e.CHAIN_ID) {
    throw new ConfigError(`deployment is for chain ${deployment.chainId}, but CHAIN_ID is ${e.CHAIN_ID}`);
  }

  const dataDir = resolvePath(baseDir, e.DATA_DIR ?? '.data');
  const zg = [e.ZG_INDEXER_URL, e.ZG_EVM_RPC, e.ZG_PRIVATE_KEY];
  if (zg.some(Boolean) && !zg.every(Boolean)) {
    throw new ConfigError('0G storage needs ZG_INDEXER_URL, ZG_EVM_RPC and ZG_PRIVATE_KEY together (or none of them)');
  }
  const geminiKey = e.GEMINI_API_KEY ?? e.GOOGLE_GENAI_API_KEY ?? e.GOOGLE_API_KEY;

  return {
    chain: {
      rpcUrl: e.RPC_URL,
      chainId: e.CHAIN_ID,
      confirmations: e.CONFIRMATIONS ?? (local ? 0 : 3),
      pollIntervalMs: e.POLL_INTERVAL_MS ?? (local ? 250 : 4_000),
      rerouteIntervalMs: e.REROUTE_INTERVAL_MS ?? (local ? 1_000 : 15_000),
      logBlockRange: e.LOG_BLOCK_RANGE,
      reorgDepth: e.REORG_DEPTH,
      deployment,
    },
    keeper: { privateKey, address: privateKeyToAddress(privateKey), keySource },
    tx: { retries: e.TX_RETRIES, receiptTimeoutMs: e.TX_RECEIPT_TIMEOUT_MS },
    subgraphUrl: e.SUBGRAPH_URL,
    dataDir,
    logStore:
      e.ZG_INDEXER_URL && e.ZG_EVM_RPC && e.ZG_PRIVATE_KEY
        ? { kind: '0g', indexerUrl: e.ZG_INDEXER_URL, evmRpc: e.ZG_EVM_RPC, privateKey: e.ZG_PRIVATE_KEY as `0x${string}` }
        : { kind: 'local', dir: join(dataDir, 'logs') },
    model: geminiKey ? { kind: 'gemini', name: e.GEMINI_MODEL, apiKey: geminiKey } : { kind: 'local', name: 'offline' },
    catalog: {
      akashConsoleUrl: e.AKASH_CONSOLE_URL,
      live: e.LIVE_PRICES,
      ttlMs: e.CATALOG_TTL_MS,
      timeoutMs: e.CATALOG_TIMEOUT_MS,
      lambdaApiKey: e.LAMBDA_API_KEY,
      awsSpotPricesUrl: e.AWS_SPOT_PRICES_URL,
      runpodApiKey: e.RUNPOD_API_KEY,
      vastApiKey: e.VAST_API_KEY,
      ionetApiKey: e.IONET_API_KEY,
      maxAgeSec: e.CATALOG_MAX_AGE_SEC,
      maxAgeSecBySource: Object.fromEntries(
        Object.entries(MAX_AGE_VARIABLES).flatMap(([source, variable]) => {
          const v = e[variable];
          return v === undefined ? [] : [[source, v]];
        }),
      ),
      launchers: Object.fromEntries(e.LAUNCHERS.split(',').filter((p) => p !== '').map((p) => p.split('=') as [string, string])),
    },
    http: {
      port: e.PORT,
      host: e.HOST,
      corsOrigins: e.CORS_ORIGINS,
      adminToken: e.ADMIN_TOKEN,
      rateLimit: { capacity: e.RATE_LIMIT_CAPACITY, refillPerSec: e.RATE_LIMIT_REFILL_PER_SEC },
      trustProxy: e.TRUST_PROXY,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
    },
    logLevel: e.LOG_LEVEL,
    akash: resolveAkash(e, baseDir),
  };
}

function resolveAkash(e: z.output<typeof envSchema>, baseDir: string): Config['akash'] {
  if (e.AKASH_MNEMONIC && e.AKASH_KEY_FILE) throw new ConfigError('set AKASH_MNEMONIC or AKASH_KEY_FILE, not both');
  if (!e.AKASH_NODE_URL) return null;
  let secret: string | undefined = e.AKASH_MNEMONIC;
  let keySource: 'env' | 'file' = 'env';
  if (e.AKASH_KEY_FILE) {
    try {
      secret = readFileSync(resolvePath(baseDir, e.AKASH_KEY_FILE), 'utf8').trim();
      keySource = 'file';
    } catch {
      throw new ConfigError('AKASH_KEY_FILE cannot be read');
    }
  }
  if (!secret) throw new ConfigError('AKASH_NODE_URL is set but no Akash key (AKASH_MNEMONIC or AKASH_KEY_FILE)');
  return { nodeUrl: e.AKASH_NODE_URL, chainId: e.AKASH_CHAIN_ID, secret, keySource, standin: e.AKASH_STANDIN, bidWindowMs: e.AKASH_BID_WINDOW_MS };
}

function resolvePath(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

function resolveKeeperKey(
  e: z.output<typeof envSchema>,
  baseDir: string,
  local: boolean,
): { privateKey: `0x${string}`; keySource: Config['keeper']['keySource'] } {
  if (e.KEEPER_PRIVATE_KEY && e.KEEPER_KEY_FILE) {
    throw new ConfigError('set KEEPER_PRIVATE_KEY or KEEPER_KEY_FILE, not both');
  }
  if (e.KEEPER_PRIVATE_KEY) {
    if (!hex32.safeParse(e.KEEPER_PRIVATE_KEY).success) throw new ConfigError('KEEPER_PRIVATE_KEY is not a 32-byte hex key');
    return { privateKey: e.KEEPER_PRIVATE_KEY as `0x${string}`, keySource: 'env' };
  }
  if (e.KEEPER_KEY_FILE) {
    let text: string;
    try {
      text = readFileSync(resolvePath(baseDir, e.KEEPER_KEY_FILE), 'utf8').trim();
    } catch (err) {
      throw new ConfigError(`KEEPER_KEY_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const key = text.startsWith('0x') ? text : `0x${text}`;
    if (!hex32.safeParse(key).success) throw new ConfigError('KEEPER_KEY_FILE does not hold a 32-byte hex key');
    return { privateKey: key as `0x${string}`, keySource: 'file' };
  }
  if (!local) throw new ConfigError('KEEPER_PRIVATE_KEY or KEEPER_KEY_FILE is required outside the local chain (31337)');
  return { privateKey: ANVIL_KEEPER_KEY, keySource: 'anvil-default' };
}

function resolveDeployment(chainId: number, file: string | undefined, baseDir: string): Deployment {
  if (file) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(resolvePath(baseDir, file), 'utf8'));
    } catch (err) {
      throw new ConfigError(`DEPLOYMENT_FILE cannot be read: ${(err as Error).message}`);
    }
    return deploymentFromJson(raw);
  }
  try {
    return getDeployment(chainId);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

/** A Deployment from the deploy script's JSON (`contracts/deployments/<chainId>.json`), as the generator reads it. */
export function deploymentFromJson(raw: unknown): Deployment {
  const parsed = deploymentFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      'deployment file is not valid',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  }
  const d = parsed.data;
  const usdc = d.contracts.USDC ?? d.contracts.MockUSDC;
  if (!usdc) throw new ConfigError('deployment file names no USDC (or MockUSDC) contract');
  return {
    chainId: d.chainId,
    startBlock: d.startBlock,
    contracts: {
      AccessManager: d.contracts.AccessManager as `0x${string}`,
      USDC: usdc as `0x${string}`,
      ProviderRegistry: d.contracts.ProviderRegistry as `0x${string}`,
      TeamRegistry: d.contracts.TeamRegistry as `0x${string}`,
      JobMarket: d.contracts.JobMarket as `0x${string}`,
    },
  };
}

const REDACTED = '[redacted]';

/**
 * The configuration with every secret replaced, safe to log or serve (`GET /admin/config`). Which settings
 * reach the outside world is stated next to them.
 */
export function redactConfig(config: Config): unknown {
  return {
    chain: { ...config.chain, rpcUrl: redactUrl(config.chain.rpcUrl) },
    keeper: { address: config.keeper.address, keySource: config.keeper.keySource, privateKey: REDACTED },
    tx: config.tx,
    subgraphUrl: redactUrl(config.subgraphUrl),
    dataDir: config.dataDir,
    logStore:
      config.logStore.kind === '0g'
        ? { kind: '0g', indexerUrl: redactUrl(config.logStore.indexerUrl), evmRpc: redactUrl(config.logStore.evmRpc), privateKey: REDACTED }
        : config.logStore,
    model: config.model.kind === 'gemini' ? { kind: 'gemini', name: config.model.name, apiKey: REDACTED } : config.model,
    catalog: {
      ...config.catalog,
      lambdaApiKey: config.catalog.lambdaApiKey ? REDACTED : undefined,
      runpodApiKey: config.catalog.runpodApiKey ? REDACTED : undefined,
      vastApiKey: config.catalog.vastApiKey ? REDACTED : undefined,
      ionetApiKey: config.catalog.ionetApiKey ? REDACTED : undefined,
      awsSpotPricesUrl: config.catalog.awsSpotPricesUrl ? redactUrl(config.catalog.awsSpotPricesUrl) : undefined,
    },
    http: { ...config.http, adminToken: config.http.adminToken ? REDACTED : undefined },
    logLevel: config.logLevel,
    akash: config.akash ? { ...config.akash, nodeUrl: redactUrl(config.akash.nodeUrl), secret: REDACTED } : null,
  };
}

/** Hides credentials that RPC providers put in URLs (user:pass@, API keys in the path or query). */
export function redactUrl(u: string): string {
  try {
    const parsed = new URL(u);
    const local = parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost';
    if (parsed.username || parsed.password) {
      parsed.username = parsed.username ? REDACTED : '';
      parsed.password = '';
    }
    if (!local && (parsed.search || parsed.pathname.length > 1)) {
      // Provider URLs such as https://eth.example.com/v2/<key>: keep the origin only.
      return `${parsed.origin}/${REDACTED}`;
    }
    return parsed.toString();
  } catch {
    return REDACTED;
  }
}
