import type { Candidate, Market } from '../domain/types.js';

/** What a source needs to fetch live data. */
export interface FetchContext {
  fetch: typeof fetch;
  signal: AbortSignal;
  /** Endpoint (base URL or full URL, per source). */
  url: string;
  /** Credential for markets whose API needs one; never logged. */
  apiKey?: string;
}

/**
 * One market's price source: how its recorded snapshot files parse, how to fetch the same shape live,
 * and how to turn it into normalised candidates. Every response is parsed with zod before use.
 */
export interface SourceDefinition<Raw> {
  name: string;
  market: Market;
  /** Snapshot files (in keeper/snapshots/), in the order `fromSnapshot` receives them. */
  snapshotFiles: string[];
  /** Default live endpoint, '' when the source has no public unauthenticated endpoint. */
  defaultUrl: string;
  /** Whether the live endpoint needs `apiKey` (live refresh is skipped without one). */
  needsApiKey: boolean;
  /** The source is in the catalog only when its `apiKey` is configured (its snapshot is the fallback then). */
  onlyWithApiKey?: boolean;
  /** Seconds a quote stays fresh; older data is marked stale and never picked unless the buyer names it. */
  maxAgeSec: number;
  /** How `reliability` is derived for this market (documented in the log's source list and the README). */
  reliabilityBasis: string;
  fromSnapshot(files: unknown[]): Raw;
  fetchLive(ctx: FetchContext): Promise<Raw>;
  normalise(raw: Raw, fetchedAt: number): Candidate[];
}

export class SourceHttpError extends Error {
  constructor(
    readonly source: string,
    readonly status: number,
  ) {
    super(`${source}: HTTP ${status}`);
    this.name = 'SourceHttpError';
  }
}

/** GET/POST JSON with the context's abort signal; throws SourceHttpError on a non-2xx status. */
export async function fetchJson(
  source: string,
  ctx: FetchContext,
  url: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string> } = {},
): Promise<unknown> {
  const res = await ctx.fetch(url, {
    method: init.method ?? 'GET',
    signal: ctx.signal,
    headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new SourceHttpError(source, res.status);
  }
  return (await res.json()) as unknown;
}

/** Rounds to whole seconds of latency and clamps reliability to 0..1 with 3 decimals (stable across sources). */
export function reliabilityOf(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}
