import { useNames } from '../../components/useNames';
import { formatTimestamp, formatUsdc } from '../../lib/format';
import { nameOf } from '../../lib/names';
import type { JobDetail } from '../../subgraph/queries';

export function EscrowPanel({ job }: { job: JobDetail }) {
  const names = useNames();
  return (
    <div className="panel" aria-labelledby="escrow-title">
      <h2 id="escrow-title">Escrow</h2>
      <div className="grid three">
        <div className="stat">
          <div className="label">Held now</div>
          <div className="value" data-testid="escrow-balance">{formatUsdc(job.balance)}</div>
        </div>
        <div className="stat">
          <div className="label">Deposited</div>
          <div className="value">{formatUsdc(job.totalDeposited)}</div>
        </div>
        <div className="stat">
          <div className="label">Paid · fee · refund</div>
          <div className="value small">
            {formatUsdc(job.payout, { symbol: false })} · {formatUsdc(job.fee, { symbol: false })} · {formatUsdc(job.refund, { symbol: false })}
          </div>
        </div>
      </div>
      <h3 style={{ marginTop: '1rem' }}>Movements</h3>
      {job.movements.length === 0 ? (
        <div className="empty">No movements yet.</div>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table aria-label="Escrow movements">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Kind</th>
                <th scope="col">Account</th>
                <th scope="col" className="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {job.movements.map((m) => (
                <tr key={m.id}>
                  <td className="small">{formatTimestamp(m.timestamp)}</td>
                  <td>{m.kind.toLowerCase().replace(/_/g, ' ')}</td>
                  <td className="small" title={m.account?.id}>{m.account ? nameOf(m.account.id, names) : 'protocol'}</td>
                  <td className="num">{formatUsdc(m.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
