import { z } from 'zod';
import { RuntimeConfigOverrideSchema, RuntimeConfigSchema, type RuntimeConfig } from './schema';

/** Defaults baked in at build time from `VITE_*` variables; a local stack needs none of them. */
export function configFromEnv(env: Record<string, string | boolean | undefined> = import.meta.env): Record<string, unknown> {
  const pick = (key: string) => (typeof env[key] === 'string' && env[key] !== '' ? (env[key] as string) : undefined);
  const chainId = pick('VITE_CHAIN_ID') ?? '31337';
  const rpcUrl = pick('VITE_RPC_URL') ?? (chainId === '31337' ? 'http://127.0.0.1:8545' : undefined);
  return {
    chainId,
    subgraphUrl: pick('VITE_SUBGRAPH_URL') ?? 'http://127.0.0.1:8000/subgraphs/name/necto',
    keeperUrl: pick('VITE_KEEPER_URL') ?? 'http://127.0.0.1:8787',
    rpcUrls: rpcUrl ? { [chainId]: rpcUrl } : {},
    walletConnectProjectId: pick('VITE_WALLETCONNECT_PROJECT_ID'),
    pollIntervalMs: pick('VITE_POLL_INTERVAL_MS'),
    contentGatewayUrl: pick('VITE_CONTENT_GATEWAY_URL'),
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Merges the build's environment with an optional `config.json` override and validates the result. */
export function resolveConfig(base: Record<string, unknown>, override: unknown): RuntimeConfig {
  let overrideValues: Record<string, unknown> = {};
  if (override !== undefined) {
    const parsed = RuntimeConfigOverrideSchema.safeParse(override);
    if (!parsed.success) throw new ConfigError(`config.json is invalid — ${describeIssues(parsed.error)}`);
    overrideValues = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
  }
  const { rpcUrl, ...rest } = overrideValues;
  const chainId = String(rest.chainId ?? base.chainId);
  const rpcUrls: Record<string, unknown> = { ...(base.rpcUrls as object | undefined), ...(rest.rpcUrls as object | undefined) };
  if (typeof rpcUrl === 'string') rpcUrls[chainId] = rpcUrl;
  const merged = { ...base, ...rest, rpcUrls };
  const result = RuntimeConfigSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(`Configuration is invalid — ${describeIssues(result.error)}`);
  return result.data;
}

/** Loads `config.json` served next to index.html (absent is fine: the build's defaults apply). */
export async function loadRuntimeConfig(fetchImpl: typeof fetch = fetch): Promise<RuntimeConfig> {
  let override: unknown;
  try {
    const response = await fetchImpl(new URL('config.json', document.baseURI).toString(), { cache: 'no-store' });
    const type = response.headers.get('content-type') ?? '';
    // A SPA fallback may answer index.html for a missing file: only JSON counts.
    if (response.ok && type.includes('json')) override = await response.json();
  } catch (error) {
    if (error instanceof SyntaxError) throw new ConfigError('config.json is not valid JSON');
    // Unreachable config.json: keep the build's defaults.
  }
  return resolveConfig(configFromEnv(), override);
}
