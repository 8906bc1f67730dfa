import { describe, expect, it } from 'vitest';
import { elapsedBilling } from './elapsedCost';

const base = { startedAt: 1_000, endedAt: null, durationSec: 3_600, pricePerGpuHour: 2_000_000n, gpuCount: 2 };

describe('elapsed cost', () => {
  it('bills price × GPUs × elapsed seconds / 3600, rounded down', () => {
    const e = elapsedBilling(base, 1_000 + 90);
    expect(e.seconds).toBe(90);
    // 2 USDC × 2 GPUs × 90 s / 3600 = 0.1 USDC
    expect(e.cost).toBe(100_000n);
    expect(e.capped).toBe(false);
    expect(e.remainingSec).toBe(3_510);
    expect(elapsedBilling({ ...base, pricePerGpuHour: 1n, gpuCount: 1 }, 1_000 + 3_599).cost).toBe(0n);
  });

  it('caps at the paid duration', () => {
    const e = elapsedBilling(base, 1_000 + 10_000);
    expect(e.seconds).toBe(3_600);
    expect(e.cost).toBe(4_000_000n);
    expect(e.cost).toBe(e.capCost);
    expect(e.capped).toBe(true);
    expect(e.remainingSec).toBe(0);
  });

  it('stops at the end time once billing stopped', () => {
    const e = elapsedBilling({ ...base, endedAt: 1_000 + 1_800 }, 1_000 + 3_000);
    expect(e.seconds).toBe(1_800);
    expect(e.cost).toBe(2_000_000n);
    expect(e.remainingSec).toBe(0);
  });

  it('never goes negative when the clock is behind the chain', () => {
    const e = elapsedBilling(base, 900);
    expect(e.seconds).toBe(0);
    expect(e.cost).toBe(0n);
  });
});
