import { describe, expect, it } from 'vitest';
import { createHealth } from '../../src/services/health.js';

describe('GET /health report', () => {
  it('measures the intake lag from the chain head, not from the follower’s last-seen head', async () => {
    const health = createHealth({
      clients: { publicClient: { getBlockNumber: async () => 126n } } as never,
      chainId: 31337,
      subgraphUrl: 'http://127.0.0.1:9/subgraphs/name/necto',
      // The follower is stuck: it last saw head 101 with its cursor at 100 (its own lag: 1).
      follower: { status: () => ({ running: true, cursorBlock: 100n, scannedBlock: 100n, headBlock: 101n, lagBlocks: 1, jobs: 0 }) },
      scheduler: { status: () => ({ pendingJobs: 0, awaitingSpec: 0 }) },
      txQueue: { pending: () => 0 },
      startedAt: Date.now(),
      fetch: (async () => new Response(JSON.stringify({ data: { _meta: { block: { number: 126 } } } }))) as typeof fetch,
    });
    const report = await health();
    expect(report.intake.lagBlocks).toBe(26);
    expect(report.chain.headBlock).toBe('126');
  });

  it('falls back to the follower’s own figure when the chain cannot be read', async () => {
    const health = createHealth({
      clients: { publicClient: { getBlockNumber: async () => Promise.reject(new Error('down')) } } as never,
      chainId: 31337,
      subgraphUrl: 'http://127.0.0.1:9/subgraphs/name/necto',
      follower: { status: () => ({ running: true, cursorBlock: 100n, scannedBlock: 100n, headBlock: 104n, lagBlocks: 4, jobs: 0 }) },
      scheduler: { status: () => ({ pendingJobs: 0, awaitingSpec: 0 }) },
      txQueue: { pending: () => 0 },
      startedAt: Date.now(),
      fetch: (async () => new Response('{}')) as typeof fetch,
    });
    const report = await health();
    expect(report.status).toBe('down');
    expect(report.intake.lagBlocks).toBe(4);
  });
});
