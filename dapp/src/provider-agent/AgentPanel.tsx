import { useNow } from '../hooks/useNow';
import { formatAge } from '../lib/format';
import type { JobStatusName } from '../lib/jobStatus';
import { useLiveness, type Liveness } from '../keeper/useLiveness';
import { useProviderLoad } from '../subgraph/execution';
import type { Offer } from '../subgraph/queries';

export interface OfferCapacity {
  offerId: string;
  gpuModel: string;
  region: string;
  free: number;
  inUse: number;
  running: number;
  active: boolean;
}

/** Free units come from the offer (the contract takes one per routed job, gives it back when the job ends). */
export function capacityByOffer(offers: Offer[], load: Array<{ status: JobStatusName; offer?: { offerId: bigint } | null }>): OfferCapacity[] {
  return offers.map((o) => {
    const holding = load.filter((j) => j.offer && j.offer.offerId === o.offerId);
    return {
      offerId: o.offerId.toString(),
      gpuModel: o.gpuModel,
      region: o.region,
      free: o.availableUnits,
      inUse: holding.length,
      running: holding.filter((j) => j.status === 'Running').length,
      active: o.active,
    };
  });
}

/** What the provider dashboard says about a routed job: the agent acts, not the dApp. */
export function agentStepFor(status: JobStatusName): string {
  switch (status) {
    case 'Routed':
      return 'waiting for the buyer to accept';
    case 'Accepted':
      return 'your agent starts it';
    case 'Running':
      return 'running on your agent';
    case 'Completed':
      return 'result reported; dispute window open';
    case 'Disputed':
      return 'disputed: waiting for the arbiter';
    default:
      return '—';
  }
}

export function AgentLivenessView({ liveness, error, nowSec, runningOnchain }: { liveness: Liveness | undefined; error: string | null; nowSec: number; runningOnchain: number | null }) {
  if (error) return <div className="notice error" role="alert">The keeper could not report your agent’s liveness: {error}</div>;
  if (!liveness) return <div className="empty">Asking the keeper for your agent’s heartbeat…</div>;
  return (
    <div className="stack" data-testid="agent-status" data-online={liveness.online}>
      <p style={{ margin: 0 }}>
        <span className={`badge ${liveness.online ? 'ok' : 'bad'}`}>{liveness.online ? 'online' : 'offline'}</span>{' '}
        {liveness.lastSeen ? `Last heartbeat ${formatAge(nowSec - liveness.lastSeen)}.` : 'No heartbeat since the keeper started: start `necto-provider run` on your machine.'}
        {!liveness.online && liveness.lastSeen ? ' The router avoids offline providers.' : ''}
      </p>
      <dl className="grid three small" style={{ margin: 0 }}>
        <div><dt className="muted">Containers running</dt><dd style={{ margin: 0 }} data-testid="agent-running">{liveness.running}</dd></div>
        <div><dt className="muted">Jobs running on-chain</dt><dd style={{ margin: 0 }}>{runningOnchain ?? '—'}</dd></div>
        <div><dt className="muted">Agent endpoint</dt><dd className="mono" style={{ margin: 0 }}>{liveness.endpoint ?? '—'}</dd></div>
      </dl>
      {liveness.online && runningOnchain !== null && runningOnchain !== liveness.running && (
        <div className="notice" role="status">
          The agent reports {liveness.running} container{liveness.running === 1 ? '' : 's'} while {runningOnchain} job{runningOnchain === 1 ? ' is' : 's are'} running on-chain; it reconciles at its next heartbeat.
        </div>
      )}
    </div>
  );
}

export function CapacityTable({ rows }: { rows: OfferCapacity[] }) {
  if (rows.length === 0) return <div className="empty">No offers listed.</div>;
  return (
    <table aria-label="Capacity per offer">
      <thead>
        <tr><th>Offer</th><th>GPU · region</th><th>Free units</th><th>In use</th><th>Running</th></tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.offerId} data-offer={r.offerId}>
            <td>#{r.offerId}{r.active ? '' : ' (inactive)'}</td>
            <td>{r.gpuModel} · {r.region}</td>
            <td data-testid={`free-${r.offerId}`}>{r.free}</td>
            <td>{r.inUse}</td>
            <td>{r.running}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The provider's agent: liveness from its signed heartbeats, its running containers, capacity per offer. */
export function AgentPanel({ address, offers }: { address: string; offers: Offer[] }) {
  const liveness = useLiveness(address);
  const load = useProviderLoad(address);
  const now = useNow(1_000);
  const jobs = load.data?.jobs ?? null;
  return (
    <div className="panel" aria-labelledby="agent-title">
      <h2 id="agent-title">Provider agent</h2>
      <AgentLivenessView
        liveness={liveness.data}
        error={liveness.isError ? (liveness.error as Error).message : null}
        nowSec={now}
        runningOnchain={jobs ? jobs.filter((j) => j.status === 'Running').length : null}
      />
      <h3>Capacity</h3>
      <CapacityTable rows={capacityByOffer(offers, jobs ?? [])} />
    </div>
  );
}
