// In-memory stand-ins for the services behind the API, so the HTTP layer is tested without a chain.
import { keccak256 } from 'viem';
import type { ApiDeps, ApiSettings } from '../../src/api/deps.js';
import type { ActivityEvent, DecisionView } from '../../src/domain/api.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { ActivityHub } from '../../src/services/activity.js';
import type { Hex, JobRequest, Quote } from '../../src/domain/types.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const LOG_BYTES = new TextEncoder().encode('{"schema":"necto.reasoning-log/1"}');
export const LOG_ROOT = ('0x' + 'ab'.repeat(32)) as Hex;

export function decisionView(jobId: bigint, round = 1): DecisionView {
  return {
    jobId: jobId.toString(),
    round,
    status: 'committed',
    chosen: {
      candidateId: 'akash:akash1xyz',
      market: 'akash',
      providerRef: ('0x' + '11'.repeat(32)) as Hex,
      provider: null,
      offerId: '0',
      externalId: 'akash1xyz',
      name: 'Akash provider',
      gpuModel: 'a100',
      region: 'us-west',
      pricePerGpuHour: '1200000',
    },
    totalCost: '2400000',
    alternatives: [],
    logRoot: LOG_ROOT,
    decisionHash: keccak256(LOG_BYTES),
    sdlHash: ('0x' + '22'.repeat(32)) as Hex,
    hasSdl: true,
    model: { kind: 'local', name: 'offline-test' },
    explanation: 'cheapest',
    tx: { hash: ('0x' + '33'.repeat(32)) as Hex, blockNumber: '7' },
    error: null,
    decidedAt: 1,
    source: 'memory',
  };
}

export function fakeQuote(req: JobRequest): Quote {
  return {
    request: req,
    at: 1_700_000_000,
    best: null,
    rows: [],
    unroutable: [],
    feasibleCount: 0,
    excludedCount: 0,
    exclusions: [],
    sources: [{ source: 'akash', market: 'akash', origin: 'snapshot', fetchedAt: 1_699_999_000, ageSec: 1000, candidateCount: 3 }],
    weights: { reliabilityBps: 0, latencyBpsPerHour: 0, regionBpsPerRank: 0 },
    engineVersion: 'test',
  };
}

export interface FakeDeps extends ApiDeps {
  emit(jobId: bigint, ev: ActivityEvent): void;
  quotes: JobRequest[];
}

export function fakeDeps(overrides: Partial<ApiSettings> = {}, extra: Partial<ApiDeps> = {}): FakeDeps {
  // The real hub, fed by emit(): what the SSE route reads.
  const activity = new ActivityHub();
  const begun = new Set<string>();
  const quotes: JobRequest[] = [];
  const deps: FakeDeps = {
    settings: {
      corsOrigins: ['http://localhost:5173'],
      adminToken: ADMIN_TOKEN,
      rateLimit: { capacity: 1000, refillPerSec: 1000 },
      trustProxy: false,
      bodyLimitBytes: 4096,
      ...overrides,
    },
    logger: silentLogger,
    metrics: createMetrics(),
    quotes,
    quote: async (req) => {
      quotes.push(req);
      return fakeQuote(req);
    },
    emit(jobId, ev) {
      const k = `${jobId}:${ev.round}`;
      if (ev.type === 'decision') return activity.finish(jobId, ev.round, ev.decision, null);
      if (!begun.has(k)) activity.begin(jobId, ev.round);
      begun.add(k);
      activity.step(jobId, ev.round, ev.step);
    },
    jobs: {
      subscribe: (jobId, round) => activity.subscribe(jobId, round),
      decision: async (jobId) => (jobId === 1n ? decisionView(1n) : null),
      sdl: async (jobId) => (jobId === 1n ? { round: 1, yaml: 'version: "2.0"\n', hash: ('0x' + '22'.repeat(32)) as Hex } : null),
      submitSpec: async (jobId, spec) => {
        if (jobId === 404n) return { status: 'unknown_job' };
        if (jobId === 409n) return { status: 'tracked' };
        if ('raw' in spec && spec.raw === '{"bad":true}') {
          return { status: 'hash_mismatch', expected: ('0x' + '00'.repeat(32)) as Hex, actual: ('0x' + '01'.repeat(32)) as Hex };
        }
        return { status: 'accepted', jobId: jobId.toString(), routing: 'scheduled' };
      },
    },
    logs: {
      get: async (root) => (root === LOG_ROOT ? LOG_BYTES : null),
      verify: async (root) =>
        root === LOG_ROOT
          ? {
              root,
              computed: { logRoot: LOG_ROOT, decisionHash: keccak256(LOG_BYTES) },
              onchain: null,
              matches: { logRoot: false, decisionHash: false },
              verified: false,
            }
          : null,
    },
    health: async () => ({
      status: 'ok',
      chain: { ok: true, chainId: 31337, headBlock: '10', latencyMs: 1 },
      subgraph: { ok: true, url: 'http://127.0.0.1:8000', block: '10', lagBlocks: 0 },
      intake: { running: true, cursorBlock: '10', lagBlocks: 0, pendingJobs: 0 },
      txQueue: { pending: 0 },
      uptimeSec: 1,
    }),
    admin: {
      reroute: async (jobId) =>
        jobId === 1n ? { status: 'started', jobId: '1', round: 2 } : jobId === 2n ? { status: 'not_eligible', jobId: '2', reason: 'not started yet' } : { status: 'unknown_job' },
      config: () => ({ keeper: { privateKey: '[redacted]' } }),
    },
    clientIp: (req) => req.header('x-test-ip') ?? 'test',
    ...extra,
  };
  return deps;
}
