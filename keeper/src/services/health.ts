// GET /health: can the keeper reach its chain and subgraph, and how far behind the chain head the intake is.
import type { HealthReport } from '../domain/api.js';
import { errorSummary } from '../logger.js';
import type { ChainClients } from '../chain/clients.js';
import type { ChainFollower } from '../chain/follower.js';
import type { TxQueue } from '../chain/tx-queue.js';
import type { RoutingScheduler } from './scheduler.js';

export interface HealthDeps {
  clients: Pick<ChainClients, 'publicClient'>;
  chainId: number;
  subgraphUrl: string;
  follower: Pick<ChainFollower, 'status'>;
  scheduler: Pick<RoutingScheduler, 'status'>;
  txQueue: Pick<TxQueue, 'pending'>;
  startedAt: number;
  fetch?: typeof fetch;
}

export function createHealth(deps: HealthDeps): () => Promise<HealthReport> {
  const doFetch = deps.fetch ?? fetch;
  return async () => {
    const t0 = Date.now();
    const [chain, subgraph] = await Promise.all([
      deps.clients.publicClient.getBlockNumber({ cacheTime: 0 }).then(
        (n) => ({ ok: true, chainId: deps.chainId, headBlock: n.toString(), latencyMs: Date.now() - t0 }),
        (err: unknown) => ({ ok: false, chainId: deps.chainId, headBlock: null, latencyMs: null, error: errorSummary(err) }),
      ),
      doFetch(deps.subgraphUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ _meta { block { number } hasIndexingErrors } }' }),
        signal: AbortSignal.timeout(2_000),
      })
        .then(async (res) => {
          const body = (await res.json()) as { data?: { _meta?: { block?: { number?: number } } }; errors?: Array<{ message: string }> };
          const n = body.data?._meta?.block?.number;
          if (n === undefined) throw new Error(body.errors?.[0]?.message ?? `HTTP ${res.status}`);
          return n;
        })
        .then(
          (n) => ({ ok: true, url: deps.subgraphUrl, block: String(n), lagBlocks: null as number | null }),
          (err: unknown) => ({ ok: false, url: deps.subgraphUrl, block: null, lagBlocks: null, error: errorSummary(err) }),
        ),
    ]);
    if (chain.ok && subgraph.ok && chain.headBlock) subgraph.lagBlocks = Math.max(0, Number(chain.headBlock) - Number(subgraph.block));
    const s = deps.follower.status();
    const work = deps.scheduler.status();
    const intake = {
      running: s.running,
      cursorBlock: s.cursorBlock.toString(),
      // From the chain's head as read now, not the follower's last-seen head (which stalls with the follower).
      lagBlocks: chain.ok && chain.headBlock ? Math.max(0, Number(BigInt(chain.headBlock) - s.cursorBlock)) : s.lagBlocks,
      pendingJobs: work.pendingJobs + work.awaitingSpec,
      ...(s.lastError ? { lastError: s.lastError } : {}),
    };
    const status: HealthReport['status'] = !chain.ok ? 'down' : subgraph.ok && !s.lastError ? 'ok' : 'degraded';
    return { status, chain, subgraph, intake, txQueue: { pending: deps.txQueue.pending() }, uptimeSec: Math.round((Date.now() - deps.startedAt) / 1000) };
  };
}
