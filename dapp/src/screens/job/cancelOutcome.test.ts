import { describe, expect, it } from 'vitest';
import { cancelOutcome } from './cancelOutcome';

const base = { balance: 10_000_000n, gpuCount: 2, duration: 7200n, pricePerGpuHour: 1_500_000n, startedAt: 1_000n } as const;

describe('cancelOutcome', () => {
  it('refunds the whole balance before the job starts', () => {
    expect(cancelOutcome({ ...base, status: 'Accepted' }, 5_000, 250)).toEqual({ paid: 0n, fee: 0n, refund: 10_000_000n, billedSec: 0 });
  });
  it('pays a running job pro rata for the seconds run, fee out of the payment', () => {
    // 30 min × 2 GPU × 1.50 USDC/GPU-h = 1.50 USDC; 2.5 % fee.
    expect(cancelOutcome({ ...base, status: 'Running' }, 1_000 + 1800, 250)).toEqual({ paid: 1_500_000n, fee: 37_500n, refund: 8_500_000n, billedSec: 1800 });
  });
  it('bills no more than the duration, nor more than the balance', () => {
    const long = cancelOutcome({ ...base, status: 'Running' }, 1_000 + 100_000, 0);
    expect(long.billedSec).toBe(7200);
    expect(long.paid).toBe(6_000_000n);
    const poor = cancelOutcome({ ...base, balance: 1_000_000n, status: 'Running' }, 1_000 + 7200, 0);
    expect(poor).toMatchObject({ paid: 1_000_000n, refund: 0n });
  });
});
