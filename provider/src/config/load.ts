// Reads the config file (JSON or YAML), validates it, resolves the wallet key and the contract addresses.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { getDeployment, type Deployment } from '@necto/contracts';
import type { Address, Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { providerConfigSchema, type ProviderConfigFile } from './schema.js';

/** Thrown for any problem with the config: the CLI prints it and exits 2. Never carries the key. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(issues.length ? `${message}:\n  ${issues.join('\n  ')}` : message);
    this.name = 'ConfigError';
  }
}

export interface ProviderConfig extends Omit<ProviderConfigFile, 'stateDir'> {
  /** Absolute. */
  stateDir: string;
  privateKey: Hex;
  address: Address;
  deployment: Deployment;
  /** `http.publicUrl`, or http://host:port. */
  endpoint: string;
}

const privateKeySchema = z
  .string()
  .trim()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/, 'expected a 32-byte hex private key')
  .transform((k) => (k.startsWith('0x') ? k : `0x${k}`) as Hex);

export function loadConfigFile(path: string, opts: { env?: NodeJS.ProcessEnv; deployment?: Deployment } = {}): ProviderConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(err as Error).message}`);
  }
  return resolveConfig(raw, { ...opts, baseDir: dirname(resolve(path)) });
}

/** Validates a parsed config object; relative paths resolve against `baseDir` (the config file's folder). */
export function resolveConfig(raw: unknown, opts: { env?: NodeJS.ProcessEnv; deployment?: Deployment; baseDir?: string } = {}): ProviderConfig {
  const env = opts.env ?? process.env;
  const baseDir = opts.baseDir ?? process.cwd();
  const parsed = providerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      'config is not valid',
      parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`),
    );
  }
  const cfg = parsed.data;
  const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));

  let keyText: string | undefined;
  let keySource: string;
  if ('keyFile' in cfg.wallet) {
    keySource = `key file ${cfg.wallet.keyFile}`;
    try {
      keyText = readFileSync(at(cfg.wallet.keyFile), 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read the ${keySource}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  } else {
    keySource = `env ${cfg.wallet.keyEnv}`;
    keyText = env[cfg.wallet.keyEnv];
    if (!keyText) throw new ConfigError(`the wallet key is not set: export ${cfg.wallet.keyEnv}, or set wallet.keyFile`);
  }
  const key = privateKeySchema.safeParse(keyText);
  // The message names where the key came from, never its value.
  if (!key.success) throw new ConfigError(`the wallet key from ${keySource} is not a 32-byte hex private key`);

  let deployment: Deployment;
  try {
    deployment = opts.deployment ?? getDeployment(cfg.chain.chainId);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  if (deployment.chainId !== cfg.chain.chainId) {
    throw new ConfigError(`the deployment is for chain ${deployment.chainId}, the config says ${cfg.chain.chainId}`);
  }

  return {
    ...cfg,
    stateDir: at(cfg.stateDir),
    privateKey: key.data,
    address: privateKeyToAccount(key.data).address,
    deployment,
    endpoint: cfg.http.publicUrl ?? `http://${cfg.http.host.includes(':') ? `[${cfg.http.host}]` : cfg.http.host}:${cfg.http.port}`,
  };
}

/** The config as it may be printed: no key. */
export function redactConfig(cfg: ProviderConfig): Record<string, unknown> {
  const { privateKey: _key, ...rest } = cfg;
  return JSON.parse(JSON.stringify(rest, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
}
