// What the HTTP layer needs from the rest of the keeper. main.ts wires the real services; tests pass fakes.
import type { AgentStep, Hex, JobRequest, Quote } from '../routing/types.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { ProviderServices } from '../providers/services.js';

export interface ApiSettings {
  corsOrigins: string[];
  /** Admin routes answer 503 when unset. */
  adminToken: string | undefined;
  rateLimit: { capacity: number; refillPerSec: number };
  /** Take the client IP from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  bodyLimitBytes: number;
}

/** A routing decision as the API shows it (JSON-safe: amounts are decimal strings of USDC base units). */
export interface DecisionView {
  jobId: string;
  round: number;
  /**
   * committed: the route is on-chain; already_routed: another commit for this round won (nothing sent);
   * no_candidate: nothing satisfies the constraints; failed: the commit failed (see error).
   */
  status: 'committed' | 'already_routed' | 'no_candidate' | 'failed';
  chosen: {
    candidateId: string;
    market: string;
    providerRef: Hex;
    provider: Hex | null;
    offerId: string;
    externalId: string;
    name: string;
    gpuModel: string;
    region: string;
    pricePerGpuHour: string;
  } | null;
  totalCost: string | null;
  alternatives: Array<{ rank: number; candidateId: string; market: string; name: string; pricePerGpuHour: string; totalCost: string }>;
  logRoot: Hex;
  decisionHash: Hex;
  sdlHash: Hex;
  hasSdl: boolean;
  model: { kind: string; name: string } | null;
  explanation: string | null;
  tx: { hash: Hex; blockNumber: string } | null;
  error: string | null;
  /** unix ms */
  decidedAt: number;
  /** Where this view came from: the keeper's memory, or rebuilt from the on-chain commit and the stored log. */
  source: 'memory' | 'log';
}

/** What a step stream carries. */
export type ActivityEvent =
  | { type: 'step'; round: number; step: AgentStep }
  | { type: 'decision'; round: number; decision: DecisionView };

export interface ActivitySubscription {
  /** The round streamed (null until the keeper starts one). */
  round: number | null;
  /** Events of that round so far (steps, then the decision if there is one). */
  replay: ActivityEvent[];
  unsubscribe(): void;
}

export type SpecOutcome =
  | { status: 'accepted'; jobId: string; routing: 'scheduled' | 'already_routed' }
  | { status: 'unknown_job' }
  | { status: 'tracked' }
  | { status: 'hash_mismatch'; expected: Hex; actual: Hex }
  | { status: 'invalid_document'; issues: Array<{ path: string; message: string }> };

export type VerifyOutcome = {
  root: Hex;
  /** Recomputed from the stored bytes. */
  computed: { logRoot: Hex; decisionHash: Hex };
  /** The RouteCommitted that carries this root (null: no commit names it). */
  onchain: { jobId: string; round: number; logRoot: Hex; decisionHash: Hex; txHash: Hex; blockNumber: string; source: 'chain' | 'subgraph' } | null;
  matches: { logRoot: boolean; decisionHash: boolean };
  verified: boolean;
};

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  chain: { ok: boolean; chainId: number; headBlock: string | null; latencyMs: number | null; error?: string };
  subgraph: { ok: boolean; url: string; block: string | null; lagBlocks: number | null; error?: string };
  intake: { running: boolean; cursorBlock: string | null; lagBlocks: number | null; pendingJobs: number; lastError?: string };
  txQueue: { pending: number };
  uptimeSec: number;
}

export type RerouteOutcome =
  | { status: 'started'; jobId: string; round: number }
  | { status: 'not_eligible'; jobId: string; reason: string }
  | { status: 'unknown_job' };

export interface ApiDeps {
  settings: ApiSettings;
  logger: Logger;
  metrics: Metrics;
  quote(req: JobRequest): Promise<Quote>;
  jobs: {
    /** Replay the current (or given) round's activity and follow it live. */
    watch(jobId: bigint, round: number | null, listener: (ev: ActivityEvent) => void): ActivitySubscription;
    decision(jobId: bigint): Promise<DecisionView | null>;
    sdl(jobId: bigint): Promise<{ round: number; yaml: string; hash: Hex } | null>;
    submitSpec(jobId: bigint, spec: { document: unknown } | { raw: string }): Promise<SpecOutcome>;
  };
  logs: {
    get(root: Hex): Promise<Uint8Array | null>;
    verify(root: Hex): Promise<VerifyOutcome | null>;
  };
  health(): Promise<HealthReport>;
  admin: {
    reroute(jobId: bigint): Promise<RerouteOutcome>;
    /** The configuration with secrets redacted. */
    config(): unknown;
  };
  /** Untracked documents, heartbeats/liveness and content uploads for provider agents (503 where absent). */
  providers?: ProviderServices;
  /** Client key for the rate limiter (default: socket address, or X-Forwarded-For behind a trusted proxy). */
  clientIp?: (req: { header(name: string): string | undefined; remoteAddress: string | undefined }) => string;
  /** How long an SSE stream waits for the decision before closing (default 10 min). */
  streamTimeoutMs?: number;
}
