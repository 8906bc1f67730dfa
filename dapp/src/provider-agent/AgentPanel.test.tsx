import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Offer } from '../subgraph/queries';
import { AgentLivenessView, capacityByOffer, CapacityTable } from './AgentPanel';

const offer = (offerId: bigint, availableUnits: number): Offer => ({
  id: `o${offerId}`, offerId, gpuModel: 'H100', gpuCount: 8, vramGb: 80, vcpu: 64, ramGb: 512, region: 'eu-west', pricePerGpuHour: 2_000_000n, availableUnits, active: true, jobsRouted: 0,
});

describe('capacity per offer', () => {
  it('counts the units each offer has free and the jobs holding one', () => {
    const rows = capacityByOffer([offer(1n, 2), offer(2n, 0)], [
      { status: 'Running', offer: { offerId: 2n } },
      { status: 'Accepted', offer: { offerId: 2n } },
      { status: 'Running', offer: { offerId: 1n } },
      { status: 'Running', offer: null },
    ]);
    expect(rows.map((r) => [r.offerId, r.free, r.inUse, r.running])).toEqual([['1', 2, 1, 1], ['2', 0, 2, 1]]);
    render(<CapacityTable rows={rows} />);
    expect(screen.getByTestId('free-2').textContent).toBe('0');
  });
});

describe('agent liveness', () => {
  it('shows online with the running containers and the last heartbeat', () => {
    render(<AgentLivenessView liveness={{ online: true, lastSeen: 990, endpoint: 'http://agent.test:7070', running: 2 }} error={null} nowSec={1_000} runningOnchain={2} />);
    expect(screen.getByTestId('agent-status').getAttribute('data-online')).toBe('true');
    expect(screen.getByText('online')).toBeInstanceOf(HTMLElement);
    expect(screen.getByText(/Last heartbeat 10 s ago/)).toBeInstanceOf(HTMLElement);
    expect(screen.getByTestId('agent-running').textContent).toBe('2');
    expect(screen.queryByRole('status')).toBeNull();
  });
  it('shows offline, and a mismatch between containers and on-chain jobs', () => {
    const { unmount } = render(<AgentLivenessView liveness={{ online: false, lastSeen: null, endpoint: null, running: 0 }} error={null} nowSec={1_000} runningOnchain={1} />);
    expect(screen.getByText('offline')).toBeInstanceOf(HTMLElement);
    expect(screen.getByText(/No heartbeat since the keeper started/)).toBeInstanceOf(HTMLElement);
    unmount();
    render(<AgentLivenessView liveness={{ online: true, lastSeen: 999, endpoint: 'http://a.test', running: 0 }} error={null} nowSec={1_000} runningOnchain={1} />);
    expect(screen.getByRole('status').textContent).toMatch(/reports 0 containers while 1 job is running/);
  });
});
