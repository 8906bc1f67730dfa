import { describe, expect, it } from 'vitest';
import { onTimeText } from '../../screens/provider/Earnings';
import { niceTicks } from './BarChart';

describe('chart axis ticks', () => {
  it('steps by 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(2.5)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(4.52)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(niceTicks(0.00054)).toEqual([0, 0.0002, 0.0004, 0.0006]);
    expect(niceTicks(1250)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});

describe('on-time starts', () => {
  it('says "no jobs yet" instead of 0 · 0%', () => {
    expect(onTimeText(0, 0, 0)).toBe('no jobs yet');
    expect(onTimeText(3, 0.6667, 3)).toBe('3 · 67%');
    expect(onTimeText(0, 1, 1)).toBe('0 · 100%');
  });
});
