import type { ReactElement } from "react";
import type { TxStatus } from '../contracts/useTx';
import { shortAddress } from '../lib/format';

const PENDING_TEXT = {
  preparing: 'Checking the transaction…',
  signing: 'Confirm in your wallet…',
} as const;

/** Pending / confirmed / failed line for a transaction, announced to screen readers. */
export function TxStatusView({ status, label, confirmedText }: { status: TxStatus; label: string; confirmedText?: string }) {
  if (status.phase === 'idle') return null;
  let body: ReactElement;
  switch (status.phase) {
    case 'preparing':
    case 'signing':
      body = <div className="notice pending">{label}: {PENDING_TEXT[status.phase]}</div>;
      break;
    case 'pending':
      body = (
        <div className="notice pending">
          {label}: pending — transaction <span className="mono">{shortAddress(status.hash, 6)}</span> sent, waiting for confirmation…
        </div>
      );
      break;
    case 'confirmed':
      body = (
        <div className="notice ok">
          {label}: confirmed in block {status.receipt.blockNumber.toString()}. {confirmedText}
        </div>
      );
      break;
    case 'failed':
      body = (
        <div className={`notice ${status.error.rejected ? 'pending' : 'error'}`}>
          {label}: {status.error.rejected ? 'cancelled' : 'failed'} — {status.error.message}
          {status.error.errorName && <span className="muted small"> ({status.error.errorName})</span>}
        </div>
      );
      break;
  }
  return (
    <div role="status" aria-live="polite" data-tx-phase={status.phase}>
      {body}
    </div>
  );
}
