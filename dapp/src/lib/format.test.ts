import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, formatUsdShort, formatPricePerGpuHour, formatUsdc, parseUsdc, requiredBudget, shortAddress } from './format';

describe('USDC formatting', () => {
  it('formats base units with separators and cents', () => {
    expect(formatUsdc(0n)).toBe('0.00 USDC');
    expect(formatUsdc(1_000_000n)).toBe('1.00 USDC');
    expect(formatUsdc(1_234_567_890n)).toBe('1,234.57 USDC');
    expect(formatUsdc(5n)).toBe('0.000005 USDC'); // sub-cent amounts keep their precision
    expect(formatUsdc(528n)).toBe('0.000528 USDC');
    expect(formatUsdc(5n, { maxDecimals: 2 })).toBe('0.00 USDC');
    expect(formatUsdc(-2_500_000n)).toBe('-2.50 USDC');
    expect(formatUsdc('12000000', { symbol: false })).toBe('12.00');
  });

  it('keeps more decimals when asked, trimming zeros beyond the cents', () => {
    expect(formatUsdc(1_234_500n, { maxDecimals: 6 })).toBe('1.2345 USDC');
    expect(formatUsdc(1_000_001n, { maxDecimals: 6 })).toBe('1.000001 USDC');
    expect(formatUsdc(1_500_000n, { maxDecimals: 6 })).toBe('1.50 USDC');
  });

  it('rounds half up', () => {
    expect(formatUsdc(1_005_000n)).toBe('1.01 USDC');
    expect(formatUsdc(1_004_999n)).toBe('1.00 USDC');
  });

  it('formats prices per GPU-hour', () => {
    expect(formatPricePerGpuHour(2_100_000n)).toBe('$2.10/GPU·h');
    expect(formatPricePerGpuHour(345_600n)).toBe('$0.3456/GPU·h');
  });

  it('parses typed amounts', () => {
    expect(parseUsdc('12.5')).toBe(12_500_000n);
    expect(parseUsdc('1,000')).toBe(1_000_000_000n);
    expect(parseUsdc('.25')).toBe(250_000n);
    expect(parseUsdc('0.000001')).toBe(1n);
    expect(parseUsdc('0.0000001')).toBeNull();
    expect(parseUsdc('abc')).toBeNull();
    expect(parseUsdc('-1')).toBeNull();
    expect(parseUsdc('')).toBeNull();
  });
});

describe('budget', () => {
  it('is max price × GPUs × duration, rounded up to a base unit', () => {
    expect(requiredBudget(2_000_000n, 2, 3600)).toBe(4_000_000n);
    expect(requiredBudget(1_000_000n, 1, 1)).toBe(278n); // 277.77… rounds up
    expect(requiredBudget(3_000_000n, 8, 7200)).toBe(48_000_000n);
  });
});

describe('other formats', () => {
  it('durations', () => {
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatDuration(90)).toBe('1 min 30 s');
    expect(formatDuration(90_000)).toBe('1 d 1 h');
    expect(formatDuration(0)).toBe('0 s');
  });
  it('ages', () => {
    expect(formatAge(12)).toBe('12 s ago');
    expect(formatAge(300)).toBe('5 min ago');
    expect(formatAge(7200)).toBe('2 h ago');
    expect(formatAge(200_000)).toBe('2 d ago');
  });
  it('short USD labels for charts', () => {
    expect(formatUsdShort(0)).toBe('$0');
    expect(formatUsdShort(0.000541)).toBe('$0.00054');
    expect(formatUsdShort(2.5)).toBe('$2.50');
    expect(formatUsdShort(1250.4)).toBe('$1,250');
  });
  it('addresses', () => {
    expect(shortAddress('0x1234567890abcdef1234567890abcdef12345678')).toBe('0x1234…5678');
  });
});
