import { useNow } from '../../hooks/useNow';
import { elapsedBilling } from '../../lib/elapsedCost';
import { formatDuration, formatUsdc } from '../../lib/format';
import type { JobDetail } from '../../subgraph/queries';

/**
 * What the metered amount is: the cost so far while running, the amount due once billing stopped; after a resolved
 * dispute the payout was the arbiter's (or the default) share of it, not the amount itself.
 */
export function costLabel(status: JobDetail['status']): string {
  if (status === 'Running') return 'Cost so far';
  if (status === 'Resolved') return 'Amount due (the dispute’s split decided the payout)';
  return 'Amount due';
}

/** Elapsed run time and what it has cost so far (price × GPUs × elapsed, capped at the paid duration). */
export function ElapsedCost({ job }: { job: JobDetail }) {
  const now = useNow(1_000);
  if (job.startedAt === null || job.startedAt === undefined || job.pricePerGpuHour === null || job.pricePerGpuHour === undefined) return null;
  const running = job.status === 'Running';
  // Billing stops at completion, at a dispute of the running job, or at a cancellation while it ran.
  const endedAt = running ? null : job.completedAt ?? job.disputedAt ?? job.cancelledAt ?? job.resolvedAt ?? job.settledAt ?? null;
  if (!running && endedAt === null) return null;
  const e = elapsedBilling(
    { startedAt: Number(job.startedAt), endedAt: endedAt === null ? null : Number(endedAt), durationSec: Number(job.duration), pricePerGpuHour: job.pricePerGpuHour, gpuCount: job.gpuCount },
    now,
  );
  return (
    <dl className="grid three small" style={{ margin: 0 }} data-testid="elapsed-cost">
      <div>
        <dt className="muted">{running ? 'Running for' : 'Ran for'}</dt>
        <dd style={{ margin: 0 }} data-testid="elapsed-time">{formatDuration(e.seconds)}{e.capped ? ' (paid time used up)' : ''}</dd>
      </div>
      <div>
        <dt className="muted">{costLabel(job.status)}</dt>
        <dd style={{ margin: 0 }} data-testid="elapsed-amount">{formatUsdc(e.cost)} <span className="muted">of {formatUsdc(e.capCost)}</span></dd>
      </div>
      <div>
        <dt className="muted">Paid time left</dt>
        <dd style={{ margin: 0 }}>{running ? formatDuration(e.remainingSec) : '—'}</dd>
      </div>
    </dl>
  );
}
