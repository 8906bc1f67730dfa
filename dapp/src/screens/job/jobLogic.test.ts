import { describe, expect, it } from 'vitest';
import type { JobDetail } from '../../subgraph/queries';
import { dailySeries } from '../provider/Earnings';
import { spendByProvider } from '../team/TeamScreen';
import { availableActions } from './JobActions';
import { whyLost } from './RouteView';

const job = (status: JobDetail['status'], provider = '0xp') =>
  ({ id: '1', status, buyer: { id: '0xBuyer' }, provider: { id: provider, name: 'P', payout: '0xp' } }) as unknown as JobDetail;

describe('job actions', () => {
  it('offers the buyer accept/reject on a route that is not auto-signed', () => {
    expect([...availableActions(job('Routed'), '0xbuyer')].sort()).toEqual(['accept', 'cancel', 'reject', 'topUp']);
  });
  it('offers the provider no manual start or completion (its agent does both)', () => {
    expect([...availableActions(job('Accepted'), '0xP')]).toEqual([]);
    expect([...availableActions(job('Running'), '0xp')]).toEqual([]);
  });
  it('offers the buyer confirm and dispute once completed', () => {
    expect([...availableActions(job('Completed'), '0xbuyer')].sort()).toEqual(['confirm', 'dispute']);
  });
  it('offers nothing to strangers or on settled jobs', () => {
    expect(availableActions(job('Running'), '0xstranger').size).toBe(0);
    expect(availableActions(job('Settled'), '0xbuyer').size).toBe(0);
    expect(availableActions(job('Running'), undefined).size).toBe(0);
  });
});

describe('route alternatives', () => {
  it('explains why an alternative lost', () => {
    expect(whyLost({ totalCost: 5_000_000n, rank: 2 }, 4_200_000n)).toBe('0.80 USDC more for the whole job');
    expect(whyLost({ totalCost: 4_200_000n, rank: 2 }, 4_200_000n)).toMatch(/same cost/);
    expect(whyLost({ totalCost: 4_000_000n, rank: 2 }, 4_200_000n)).toMatch(/cheaper but ranked lower/);
  });
});

describe('dashboards', () => {
  it('fills missing days with zero', () => {
    const series = dailySeries([{ day: 100, value: 2_000_000n }, { day: 98, value: 500_000n }], 100, 4);
    expect(series.map((p) => p.value)).toEqual([0, 0.5, 0, 2]);
    expect(series).toHaveLength(4);
  });
  it('sums team spending per provider, biggest first', () => {
    const rows = [
      { providerRef: '0x1', provider: { name: 'Acme' }, spent: 1n },
      { providerRef: '0x2', market: 'akash', externalId: 'akash1abcdefghijkl', spent: 5n },
      { providerRef: '0x1', provider: { name: 'Acme' }, spent: 3n },
    ];
    expect(spendByProvider(rows)).toEqual([
      { label: 'akash: akash1abcdefghijkl', value: 5n },
      { label: 'Acme', value: 4n },
    ]);
  });
});
