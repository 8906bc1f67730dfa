// A per-client token bucket kept in memory (one keeper process serves one dApp; no shared store needed).
// Each request takes one token; tokens refill continuously; an empty bucket answers 429 with Retry-After.
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from './errors.js';

export interface RateLimitOptions {
  capacity: number;
  refillPerSec: number;
  /** Client key (the IP). */
  keyOf: (c: Context) => string;
  now?: () => number;
  /** Buckets kept at most; the least recently used are dropped first. */
  maxClients?: number;
  onLimited?: (key: string) => void;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export function createTokenBucket({ capacity, refillPerSec, now = Date.now, maxClients = 10_000 }: Omit<RateLimitOptions, 'keyOf'>) {
  const buckets = new Map<string, Bucket>();
  return {
    /** Takes a token for `key`; returns 0 when allowed, else the seconds to wait. */
    take(key: string): { allowed: boolean; remaining: number; retryAfterSec: number } {
      const t = now();
      const b = buckets.get(key) ?? { tokens: capacity, updatedMs: t };
      b.tokens = Math.min(capacity, b.tokens + ((t - b.updatedMs) / 1000) * refillPerSec);
      b.updatedMs = t;
      buckets.delete(key); // re-insert: Map order doubles as LRU order
      buckets.set(key, b);
      if (buckets.size > maxClients) buckets.delete(buckets.keys().next().value as string);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { allowed: true, remaining: Math.floor(b.tokens), retryAfterSec: 0 };
      }
      return { allowed: false, remaining: 0, retryAfterSec: Math.max(1, Math.ceil((1 - b.tokens) / refillPerSec)) };
    },
  };
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const bucket = createTokenBucket(options);
  return async (c, next) => {
    const key = options.keyOf(c);
    const r = bucket.take(key);
    c.header('RateLimit-Limit', String(options.capacity));
    c.header('RateLimit-Remaining', String(r.remaining));
    if (!r.allowed) {
      options.onLimited?.(key);
      throw new ApiError(429, 'rate_limited', `too many requests; retry in ${r.retryAfterSec} s`, undefined, {
        'Retry-After': String(r.retryAfterSec),
      });
    }
    await next();
  };
}
