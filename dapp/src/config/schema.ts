import { z } from 'zod';

const httpUrl = z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

/** Everything the static build needs to know about where it runs. */
export const RuntimeConfigSchema = z.object({
  /** Chain the Necto contracts are used on (31337 local anvil, 99999 ADI testnet, 84532 Base Sepolia). */
  chainId: z.coerce.number().int().positive(),
  /** graph-node query URL of the Necto subgraph. */
  subgraphUrl: httpUrl,
  /** Keeper API base URL (quotes, agent steps, logs). */
  keeperUrl: httpUrl,
  /** JSON-RPC URL per chain id, overriding the chain's public default (the local anvil URL, a private RPC…). */
  rpcUrls: z.record(z.string().regex(/^\d+$/), httpUrl).default({}),
  /** WalletConnect Cloud project id; WalletConnect is offered only when it is set. */
  walletConnectProjectId: z.string().min(1).optional(),
  /**
   * Optional 0G Storage gateway that serves stored objects by root: a URL with `{root}` in it, e.g.
   * `https://indexer.example/file?root={root}`. Unset: results are fetched from the keeper's content store.
   */
  contentGatewayUrl: z.string().url().refine((u) => /^https?:\/\//.test(u) && u.includes('{root}'), 'must be an http(s) URL containing {root}').optional(),
  /** How often live screens poll the subgraph, ms. */
  pollIntervalMs: z.coerce.number().int().min(250).max(60_000).default(2_000),
});

export type RuntimeConfig = z.infer<typeof RuntimeConfigSchema>;

/** `config.json` next to index.html: any subset of the config, overriding the build's environment. */
export const RuntimeConfigOverrideSchema = RuntimeConfigSchema.partial()
  .extend({
    /** Shorthand for `rpcUrls[chainId]`: the JSON-RPC URL of the configured chain. */
    rpcUrl: httpUrl.optional(),
  })
  .strict();
