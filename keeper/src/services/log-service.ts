// Reasoning logs by root, and their verification: recompute the 0G root and keccak256 of the stored bytes and
// compare them with the values the RouteCommitted event carries (read from the chain's logs, or the subgraph).
import type { VerifyOutcome } from '../domain/api.js';
import type { LogsService } from './types.js';
import { errorSummary, type Logger } from '../logger.js';
import { LogIntegrityError, verifyLog } from '../log/index.js';
import type { Hex, LogStore } from '../domain/types.js';
import type { JobBook } from '../chain/job-book.js';


/** The on-chain commit of a log, from the subgraph (fallback when chain logs are pruned). */
export const ROUTE_BY_LOG_ROOT_QUERY = `query RouteByLogRoot($root: Bytes!) { routeDecisions(where: { logRoot: $root }, first: 1, orderBy: blockNumber, orderDirection: desc) { job { id } round logRoot decisionHash txHash blockNumber } }`;
export interface LogServiceDeps {
  logStore: LogStore;
  book: JobBook;
  /** Reads the commit carrying `root` straight from the chain's logs when the book has not scanned it yet. */
  lookupChain?: (root: Hex) => Promise<NonNullable<VerifyOutcome['onchain']> | null>;
  subgraphUrl: string | null;
  logger: Logger;
  fetch?: typeof fetch;
}

type Onchain = NonNullable<VerifyOutcome['onchain']>;

export function createLogService(deps: LogServiceDeps): LogsService {
  const doFetch = deps.fetch ?? fetch;
  const log = deps.logger.child({ component: 'logs' });

  async function read(root: Hex): Promise<Uint8Array | null> {
    try {
      return await deps.logStore.get(root);
    } catch (err) {
      // Bytes that do not match their root are as good as absent; say so in the log, not to the client.
      if (err instanceof LogIntegrityError) {
        log.error('stored log fails its root', { root, err: err.message });
        return null;
      }
      throw err;
    }
  }

  async function fromSubgraph(root: Hex): Promise<Onchain | null> {
    if (!deps.subgraphUrl) return null;
    const query = ROUTE_BY_LOG_ROOT_QUERY;
    try {
      const res = await doFetch(deps.subgraphUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: { root } }),
        signal: AbortSignal.timeout(3_000),
      });
      const body = (await res.json()) as {
        data?: { routeDecisions?: Array<{ job: { id: string }; round: number; logRoot: string; decisionHash: string; txHash: string; blockNumber: string }> };
      };
      const r = body.data?.routeDecisions?.[0];
      if (!r) return null;
      return {
        jobId: r.job.id,
        round: r.round,
        logRoot: r.logRoot.toLowerCase() as Hex,
        decisionHash: r.decisionHash.toLowerCase() as Hex,
        txHash: r.txHash.toLowerCase() as Hex,
        blockNumber: r.blockNumber,
        source: 'subgraph',
      };
    } catch (err) {
      log.warn('subgraph lookup failed', { err: errorSummary(err) });
      return null;
    }
  }

  return {
    get: read,
    async verify(root) {
      const bytes = await read(root);
      if (!bytes) return null;
      const hit = deps.book.findRouteByLogRoot(root);
      const onchain: Onchain | null = hit
        ? {
            jobId: hit.jobId.toString(),
            round: hit.route.round,
            logRoot: hit.route.logRoot,
            decisionHash: hit.route.decisionHash,
            txHash: hit.route.txHash,
            blockNumber: hit.route.blockNumber.toString(),
            source: 'chain',
          }
        : ((await deps.lookupChain?.(root).catch(() => null)) ?? (await fromSubgraph(root)));
      const v = await verifyLog(bytes, onchain ? { root: onchain.logRoot, decisionHash: onchain.decisionHash } : {});
      const matches = onchain ? { logRoot: v.rootOk, decisionHash: v.hashOk } : { logRoot: false, decisionHash: false };
      return {
        root,
        computed: { logRoot: v.root, decisionHash: v.decisionHash },
        onchain,
        matches,
        verified: Boolean(onchain) && matches.logRoot && matches.decisionHash && v.root === root,
      };
    },
  };
}
