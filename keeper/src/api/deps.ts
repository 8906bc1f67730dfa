// What the HTTP layer needs from the rest of the keeper. main.ts wires the real services; tests pass fakes.
import type { JobRequest, Quote } from '../domain/types.js';
import type { KeeperServices } from '../services/types.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { ProviderServices } from '../services/providers.js';

export interface ApiSettings {
  corsOrigins: string[];
  /** Admin routes answer 503 when unset. */
  adminToken: string | undefined;
  rateLimit: { capacity: number; refillPerSec: number };
  /** Take the client IP from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  bodyLimitBytes: number;
}

export interface ApiDeps extends KeeperServices {
  settings: ApiSettings;
  logger: Logger;
  metrics: Metrics;
  quote(req: JobRequest): Promise<Quote>;
  /** Untracked documents, heartbeats/liveness and content uploads for provider agents (503 where absent). */
  providers?: ProviderServices;
  /** Client key for the rate limiter (default: socket address, or X-Forwarded-For behind a trusted proxy). */
  clientIp?: (req: { header(name: string): string | undefined; remoteAddress: string | undefined }) => string;
  /** How long an SSE stream waits for the decision before closing (default 10 min). */
  streamTimeoutMs?: number;
}
