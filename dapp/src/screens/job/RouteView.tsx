import { Address } from '../../components/Address';
import { formatPricePerGpuHour, formatTimestamp, formatUsdc } from '../../lib/format';
import type { DecisionView } from '@necto/keeper/domain';
import type { JobDetail } from '../../subgraph/queries';
import { TERMINAL_STATUSES } from '../../lib/jobStatus';
import { marketName } from '../submit/QuoteTable';
import { tidyProse } from './narrate';
import { Unroutable } from './Unroutable';

/** Why an alternative lost against the chosen route (the engine ranks by effective total cost). */
export function whyLost(alt: { totalCost: bigint; rank: number }, chosenTotal: bigint | null): string {
  if (chosenTotal === null) return `ranked #${alt.rank}`;
  const diff = alt.totalCost - chosenTotal;
  if (diff > 0n) return `${formatUsdc(diff)} more for the whole job`;
  if (diff === 0n) return 'same cost; lost on reliability, start latency or region preference';
  return `${formatUsdc(-diff)} cheaper but ranked lower after the reliability and latency penalties`;
}

export function RouteView({ job, decision }: { job: JobDetail; decision: DecisionView | null }) {
  // An open job's last route (if any) was rejected or expired: it is history, not the route.
  const route = job.status === 'Open' ? null : job.currentRoute;
  if (!route) {
    const finished = TERMINAL_STATUSES.has(job.status);
    return (
      <div className="panel" aria-labelledby="route-title" data-testid="route-pending">
        <h2 id="route-title">Route</h2>
        {finished ? (
          <div className="empty">The job ended before it was routed.</div>
        ) : decision?.status === 'no_candidate' ? (
          <Unroutable job={job} />
        ) : decision?.status === 'committed' ? (
          <div className="notice pending" role="status">The agent chose {decision.chosen?.name ?? 'a provider'}; waiting for the route transaction to be indexed…</div>
        ) : job.round > 0 ? (
          <div className="notice pending" role="status">Round {job.round} is over (rejected or not started in time); waiting for the next route.</div>
        ) : (
          <div className="empty">Waiting for the agent’s route.</div>
        )}
      </div>
    );
  }
  const external = Boolean(route.market);
  const chosenName = decision?.chosen?.name ?? route.provider?.name ?? route.externalId ?? 'provider';
  const chosenTotal = decision?.totalCost ? BigInt(decision.totalCost) : null;
  const alternatives = (decision?.alternatives ?? []).filter((a) => a.candidateId !== decision?.chosen?.candidateId);
  return (
    <div className="panel" aria-labelledby="route-title">
      <h2 id="route-title">Chosen route {job.round > 1 && <span className="badge warn">round {job.round}</span>}</h2>
      <div className="grid three">
        <div className="stat">
          <div className="label">Provider</div>
          <div className="value" data-testid="route-provider">{chosenName}</div>
          <div className="small muted">
            {external ? <>{marketName(route.market!)} · <span className="mono" title={route.externalId ?? ''}>{route.externalId}</span></> : <Address value={route.providerAddress} />}
          </div>
        </div>
        <div className="stat">
          <div className="label">Price</div>
          <div className="value">{formatPricePerGpuHour(route.pricePerGpuHour)}</div>
          <div className="small muted">max {formatPricePerGpuHour(job.maxPricePerGpuHour)}</div>
        </div>
        <div className="stat">
          <div className="label">Provider starts by</div>
          <div className="value small">{formatTimestamp(route.startDeadline)}</div>
          <div className="small muted">
            committed {formatTimestamp(route.timestamp)}
            {route.autoAccepted ? ' · auto-accepted' : ''}
          </div>
        </div>
      </div>
      {job.routes.length > 1 && (
        <details style={{ marginTop: '0.75rem' }}>
          <summary>Earlier routes ({job.routes.length - 1})</summary>
          <ul className="small">
            {job.routes.filter((r) => r.id !== route.id).map((r) => (
              <li key={r.id}>
                Round {r.round}: {r.provider?.name ?? (r.market ? `${marketName(r.market)} · ${r.externalId}` : r.providerAddress)} at{' '}
                {formatPricePerGpuHour(r.pricePerGpuHour)}, committed {formatTimestamp(r.timestamp)}
              </li>
            ))}
          </ul>
        </details>
      )}
      {decision?.explanation && <p className="small">“{tidyProse(decision.explanation)}” <span className="muted">— {decision.model?.name}</span></p>}
      <h3 style={{ marginTop: '1rem' }}>Alternatives</h3>
      {alternatives.length === 0 ? (
        <div className="empty">{decision ? 'No other provider fit the constraints.' : 'The keeper’s alternatives are not available.'}</div>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table aria-label="Alternatives the agent considered">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Provider</th>
                <th scope="col">Market</th>
                <th scope="col" className="num">USD / GPU·h</th>
                <th scope="col" className="num">Total</th>
                <th scope="col">Why it lost</th>
              </tr>
            </thead>
            <tbody>
              {alternatives.map((alt) => (
                <tr key={alt.candidateId}>
                  <td>{alt.rank}</td>
                  <td>{alt.name}</td>
                  <td>{marketName(alt.market)}</td>
                  <td className="num">{formatPricePerGpuHour(alt.pricePerGpuHour).replace('/GPU·h', '')}</td>
                  <td className="num">{formatUsdc(alt.totalCost)}</td>
                  <td className="small">{whyLost({ rank: alt.rank, totalCost: BigInt(alt.totalCost) }, chosenTotal)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
