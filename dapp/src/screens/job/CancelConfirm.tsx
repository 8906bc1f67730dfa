import { useNow } from '../../hooks/useNow';
import { formatDuration, formatUsdc } from '../../lib/format';
import { useProtocol } from '../../subgraph/hooks';
import type { JobDetail } from '../../subgraph/queries';
import { cancelOutcome } from './cancelOutcome';

/** Asks before cancelling, with what will be paid and refunded (on a running job, the pro-rata payout). */
export function CancelConfirm({ job, busy, onConfirm, onKeep }: { job: JobDetail; busy: boolean; onConfirm: () => void; onKeep: () => void }) {
  const now = useNow();
  const protocol = useProtocol();
  const feeBps = protocol.data?.protocol?.feeBps ?? 0;
  const outcome = cancelOutcome(job, now, feeBps);
  const running = job.status === 'Running';
  return (
    <div className="notice pending stack" role="alertdialog" aria-labelledby="cancel-title" aria-describedby="cancel-outcome" data-testid="cancel-confirm">
      <strong id="cancel-title">Cancel job #{job.id}?</strong>
      <div id="cancel-outcome">
        {running ? (
          <>
            The provider is paid for the {formatDuration(outcome.billedSec)} it ran: about <strong>{formatUsdc(outcome.paid)}</strong>
            {outcome.fee > 0n ? ` (of which ${formatUsdc(outcome.fee)} protocol fee)` : ''}. About <strong data-testid="cancel-refund">{formatUsdc(outcome.refund)}</strong> is
            refunded to you.
          </>
        ) : (
          <>
            Nothing is paid to a provider: the whole escrow, <strong data-testid="cancel-refund">{formatUsdc(outcome.refund)}</strong>, is refunded to you.
          </>
        )}{' '}
        The refund waits in escrow until you withdraw it (one click, shown at the top of the page). This cannot be undone.
      </div>
      <div className="row">
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>Yes, cancel the job</button>
        <button type="button" disabled={busy} onClick={onKeep}>Keep the job</button>
      </div>
    </div>
  );
}
