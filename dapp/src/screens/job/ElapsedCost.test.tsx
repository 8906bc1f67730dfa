import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { JobDetail } from '../../subgraph/queries';
import { ElapsedCost } from './ElapsedCost';

const now = () => Math.floor(Date.now() / 1000);
const jobOf = (over: Partial<JobDetail>) =>
  ({ status: 'Running', startedAt: BigInt(now() - 90), completedAt: null, disputedAt: null, cancelledAt: null, resolvedAt: null, settledAt: null, duration: 3_600n, pricePerGpuHour: 2_000_000n, gpuCount: 2, ...over }) as unknown as JobDetail;

describe('ElapsedCost', () => {
  it('shows the running time and what it has cost so far', () => {
    render(<ElapsedCost job={jobOf({})} />);
    expect(screen.getByText('Running for')).toBeInstanceOf(HTMLElement);
    expect(screen.getByText('Cost so far')).toBeInstanceOf(HTMLElement);
    expect(screen.getByTestId('elapsed-time').textContent).toMatch(/^1 min 3\d s$/);
    expect(screen.getByTestId('elapsed-amount').textContent).toMatch(/^0\.10 USDC of 4\.00 USDC$/);
  });
  it('stops at the end of billing (a dispute of the running job)', () => {
    render(<ElapsedCost job={jobOf({ status: 'Disputed', startedAt: BigInt(now() - 7_200), disputedAt: BigInt(now() - 5_400) })} />);
    expect(screen.getByText('Ran for')).toBeInstanceOf(HTMLElement);
    expect(screen.getByTestId('elapsed-time').textContent).toBe('30 min');
    expect(screen.getByTestId('elapsed-amount').textContent).toMatch(/^2\.00 USDC of 4\.00 USDC$/);
  });
  it('calls a resolved dispute’s metered amount the amount due, not what was paid', () => {
    render(<ElapsedCost job={jobOf({ status: 'Resolved', completedAt: BigInt(now() - 30) })} />);
    expect(screen.getByText('Amount due (the dispute’s split decided the payout)')).toBeInstanceOf(HTMLElement);
    expect(screen.queryByText('Cost so far')).toBeNull();
  });
});
