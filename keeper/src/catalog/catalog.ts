/**
 * The catalog: every market's candidates, normalised. Each source starts from its recorded snapshot
 * (served at once) and, when live, refreshes after `ttlMs` with a `timeoutMs` AbortSignal; on any error
 * it keeps serving what it had (the last good live data, else the snapshot) and reports the error and
 * the data's age.
 *
 * The subgraph is ours, not an outside market: it is queried whenever `subgraphUrl` is set (whatever
 * `live` says), and its snapshot is only used when no subgraphUrl is configured, so a keeper on a real
 * chain never routes to the snapshot's made-up on-chain providers.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Candidate, Catalog, CatalogView, Hex, Market, SourceStatus } from '../domain/types.js';
import type { SourceDefinition } from './source.js';

import { QUOTE_SOURCES, type SourceName } from '../markets/index.js';

export type { SourceName };

export interface SourceOverride {
  /** Drop the source entirely. Default true. */
  enabled?: boolean;
  /** Refresh live. Default: `live` (subgraph: subgraphUrl !== ''). */
  live?: boolean;
  /** Serve the recorded snapshot until live data arrives. Default true (subgraph: subgraphUrl === ''). */
  snapshot?: boolean;
  /** Live endpoint (Akash: API base URL; others: full URL). */
  url?: string;
  /** Credential for the market's API (Lambda, RunPod; optional for Vast.ai and io.net). Never logged. */
  apiKey?: string;
  /** The source's TTL in seconds (default: the source's own). */
  maxAgeSec?: number;
}

export interface CatalogOptions {
  subgraphUrl: string;
  /** Refresh the outside markets live (the network allows it). */
  live: boolean;
  ttlMs: number;
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Directory of the recorded snapshots (default: keeper/snapshots). */
  snapshotDir?: string;
  sources?: Partial<Record<SourceName, SourceOverride>>;
  /** Clock in ms (tests). */
  now?: () => number;
  /**
   * What can start a job, per market, in this deployment (`{ onchain: 'provider-agent', akash:
   * 'akash-deployer' }`; the configuration's default is `defaultLaunchers()` of src/markets). A market without an
   * entry is quote only: its offers are shown, never routed to.
   */
  launchers?: Partial<Record<Market, string>>;
  /** Every source's TTL in seconds (a per-source `maxAgeSec` still wins). */
  maxAgeSec?: number;
  /**
   * Heartbeat liveness of an on-chain provider (the keeper's provider endpoints). `lastSeen` null = no heartbeat
   * since the keeper started (unknown: the offer stays as listed); seen but not online = its offers have no
   * unit available now. The figures go into the candidate's `reliabilityInputs`.
   */
  liveness?: (provider: Hex) => { online: boolean; lastSeen: number | null };
}

const DEFAULT_SNAPSHOT_DIR = fileURLToPath(new URL('../../snapshots/', import.meta.url));

const manifestSchema = z.object({
  sources: z.record(z.string(), z.object({ recordedAt: z.number().int().positive() })),
});

const DEFINITIONS = QUOTE_SOURCES;

interface SourceState {
  def: SourceDefinition<unknown>;
  live: boolean;
  url: string;
  apiKey: string | undefined;
  /** As normalised, then stamped with launcher, TTL and staleness (re-stamped when staleness flips). */
  candidates: Candidate[];
  served: Candidate[];
  servedStale: boolean | null;
  launcher: string | null;
  maxAgeSec: number;
  origin: 'live' | 'snapshot';
  /** unix s of the data served; 0 = nothing yet. */
  fetchedAt: number;
  /** unix ms of the last live attempt. */
  lastAttemptMs: number;
  inflight: Promise<void> | null;
  error: string | undefined;
}

/** A short, secret-free description of a refresh failure. */
function describeError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `timeout after ${timeoutMs} ms`;
    if (err instanceof z.ZodError) {
      const issue = err.issues[0];
      return `unexpected response shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`;
    }
    if (err instanceof SyntaxError) return 'response is not JSON';
    return err.message.slice(0, 200);
  }
  return 'unknown error';
}

export function createCatalog(opts: CatalogOptions): Catalog & { refresh(): Promise<void> } {
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const nowMs = opts.now ?? Date.now;
  const dir = opts.snapshotDir ?? DEFAULT_SNAPSHOT_DIR;
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')));

  const launchers = opts.launchers ?? {};
  const states: SourceState[] = [];
  for (const [name, def] of DEFINITIONS) {
    const o = opts.sources?.[name] ?? {};
    if (o.enabled === false) continue;
    if (def.onlyWithApiKey === true && !o.apiKey) continue;
    const isSubgraph = name === 'subgraph';
    const url = isSubgraph ? (o.url ?? opts.subgraphUrl) : (o.url ?? def.defaultUrl);
    const live = (o.live ?? (isSubgraph ? opts.subgraphUrl !== '' : opts.live)) && url !== '';
    const useSnapshot = o.snapshot ?? (isSubgraph ? opts.subgraphUrl === '' : true);
    const state: SourceState = {
      def,
      live,
      url,
      apiKey: o.apiKey,
      candidates: [],
      served: [],
      servedStale: null,
      launcher: launchers[def.market] ?? null,
      maxAgeSec: o.maxAgeSec ?? opts.maxAgeSec ?? def.maxAgeSec,
      origin: 'snapshot',
      fetchedAt: 0,
      lastAttemptMs: 0,
      inflight: null,
      error: undefined,
    };
    if (useSnapshot) {
      const files = def.snapshotFiles.map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as unknown);
      const recordedAt = Math.min(
        ...def.snapshotFiles.map((f) => {
          const entry = manifest.sources[f.replace(/\.json$/, '')];
          if (!entry) throw new Error(`snapshot manifest has no entry for ${f}`);
          return entry.recordedAt;
        }),
      );
      state.candidates = def.normalise(def.fromSnapshot(files), recordedAt);
      state.fetchedAt = recordedAt;
    }
    if (live && def.needsApiKey && !o.apiKey) {
      state.live = false;
      state.error = 'live refresh off: no API key configured';
    }
    states.push(state);
  }

  async function refreshOne(s: SourceState): Promise<void> {
    s.lastAttemptMs = nowMs();
    try {
      const raw = await s.def.fetchLive({
        fetch: fetchImpl,
        signal: AbortSignal.timeout(opts.timeoutMs),
        url: s.url,
        ...(s.apiKey !== undefined ? { apiKey: s.apiKey } : {}),
      });
      const fetchedAt = Math.floor(nowMs() / 1000);
      s.candidates = s.def.normalise(raw, fetchedAt);
      s.servedStale = null;
      s.fetchedAt = fetchedAt;
      s.origin = 'live';
      s.error = undefined;
    } catch (err) {
      s.error = describeError(err, opts.timeoutMs);
    }
  }

  function refreshStale(force: boolean): Promise<void> {
    const now = nowMs();
    const pending: Promise<void>[] = [];
    for (const s of states) {
      if (!s.live) continue;
      if (!s.inflight && (force || s.lastAttemptMs === 0 || now - s.lastAttemptMs >= opts.ttlMs)) {
        s.inflight = refreshOne(s).finally(() => {
          s.inflight = null;
        });
      }
      if (s.inflight) pending.push(s.inflight);
    }
    return Promise.all(pending).then(() => undefined);
  }

  const isStale = (s: SourceState, nowSec: number): boolean => s.fetchedAt > 0 && nowSec - s.fetchedAt > s.maxAgeSec;

  /** The candidates as served: stamped once per data change or staleness flip, not per lookup. */
  function served(s: SourceState, nowSec: number): Candidate[] {
    const stale = isStale(s, nowSec);
    if (s.servedStale !== stale) {
      s.served = s.candidates.map((c) => ({ ...c, launcher: s.launcher, maxAgeSec: s.maxAgeSec, stale }));
      s.servedStale = stale;
    }
    return s.served;
  }

  const liveness = opts.liveness;
  function withLiveness(cs: Candidate[]): Candidate[] {
    if (!liveness) return cs;
    return cs.map((c) => {
      if (c.market !== 'onchain' || c.provider === null) return c;
      const l = liveness(c.provider);
      return {
        ...c,
        ...(l.lastSeen !== null && !l.online ? { availableUnits: 0 } : {}),
        reliabilityInputs: { ...c.reliabilityInputs, online: l.lastSeen === null ? null : l.online, lastSeen: l.lastSeen },
      };
    });
  }

  function statuses(): SourceStatus[] {
    const nowSec = Math.floor(nowMs() / 1000);
    return states.map((s) => ({
      source: s.def.name,
      market: s.def.market,
      origin: s.origin,
      fetchedAt: s.fetchedAt,
      ageSec: s.fetchedAt === 0 ? -1 : Math.max(0, nowSec - s.fetchedAt),
      candidateCount: s.candidates.length,
      maxAgeSec: s.maxAgeSec,
      stale: isStale(s, nowSec),
      launcher: s.launcher,
      ...(s.error !== undefined ? { error: s.error } : {}),
    }));
  }

  return {
    async lookup(): Promise<CatalogView> {
      await refreshStale(false);
      const at = Math.floor(nowMs() / 1000);
      return {
        at,
        candidates: states.flatMap((s) => withLiveness(served(s, at))),
        sources: statuses(),
      };
    },
    sources: statuses,
    refresh: () => refreshStale(true),
  };
}
