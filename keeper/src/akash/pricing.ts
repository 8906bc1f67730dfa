/**
 * Akash pricing. Deployments are priced per block in `uact` (Akash Compute Token, 6 decimals, USD-denominated
 * under Akash's burn-mint equilibrium: 1 ACT is issued for 1 USD of AKT burnt) or in `uakt` (needs an AKT/USD
 * rate). The conversion and where its rate came from go into the reasoning log with the SDL.
 */
import type { AkashPricingRecord } from '../domain/types.js';

export class AkashPricingError extends Error {
  override name = 'AkashPricingError';
}

/** Average Akash block time (ms) used to turn an hourly price into the SDL's per-block price. */
export const AKASH_BLOCK_MS = 6_117;

export type PricingOptions =
  | { denom: 'uact' }
  | { denom: 'uakt'; /** USD per AKT. */ aktUsd: number; /** Where aktUsd came from (URL or "config AKASH_AKT_USD"). */ aktUsdSource: string };

export type PricingRecord = AkashPricingRecord;

export function priceFor(maxUsdMicrosPerHour: bigint, opts: PricingOptions = { denom: 'uact' }): PricingRecord {
  if (maxUsdMicrosPerHour <= 0n) throw new AkashPricingError('the price ceiling must be positive');
  const perBlockMicrosUsd = (maxUsdMicrosPerHour * BigInt(AKASH_BLOCK_MS) + 3_599_999n) / 3_600_000n;
  const base = { maxUsdMicrosPerHour: maxUsdMicrosPerHour.toString(), blockMs: AKASH_BLOCK_MS };
  if (opts.denom === 'uact') {
    return { ...base, denom: 'uact', amountPerBlock: perBlockMicrosUsd.toString(), usdPerToken: 1, source: 'ACT is USD-denominated (Akash burn-mint equilibrium: 1 ACT = 1 USD)' };
  }
  if (!(opts.aktUsd > 0) || !Number.isFinite(opts.aktUsd)) throw new AkashPricingError('uakt pricing needs a positive aktUsd');
  if (!opts.aktUsdSource) throw new AkashPricingError('uakt pricing needs the source of its AKT/USD rate');
  // micro-USD / (USD per AKT) = micro-AKT; rounded up so the ceiling is never under the buyer's.
  const scaled = BigInt(Math.round(opts.aktUsd * 1e9));
  const uakt = (perBlockMicrosUsd * 1_000_000_000n + scaled - 1n) / scaled;
  return { ...base, denom: 'uakt', amountPerBlock: uakt.toString(), usdPerToken: opts.aktUsd, source: opts.aktUsdSource };
}

/** USD (6 decimals) → deposit in the denom's base unit, rounded up. */
export function depositFor(usdMicros: bigint, pricing: Pick<PricingRecord, 'denom' | 'usdPerToken'>): bigint {
  if (usdMicros <= 0n) return 0n;
  if (pricing.denom === 'uact') return usdMicros;
  const scaled = BigInt(Math.round(pricing.usdPerToken * 1e9));
  return (usdMicros * 1_000_000_000n + scaled - 1n) / scaled;
}
