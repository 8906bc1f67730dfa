// The Akash deployment of a job routed to Akash, as the keeper's deployer reports it (`GET /jobs/:id/akash`):
// state, deployment sequence, lease and how it ended. On the local stack the network is the local Akash stand-in,
// and the panel says so.
import { useQuery } from '@tanstack/react-query';
import type { AkashDeploymentView } from '@necto/keeper/domain';
import { useKeeper } from '../../keeper/context';
import { formatTimestamp } from '../../lib/format';
import { ErrorNotice, Loading } from '../../components/States';

const STATES: ReadonlyArray<AkashDeploymentView['state']> = ['created', 'bidding', 'leased', 'manifest-sent', 'running', 'closed'];
const STATE_TEXT: Record<AkashDeploymentView['state'], string> = {
  created: 'Deployment created',
  bidding: 'Waiting for the provider’s bid',
  leased: 'Leased',
  'manifest-sent': 'Manifest sent, waiting for the service',
  running: 'Running',
  closed: 'Closed',
};

/** `round`: the job's on-chain round — a re-route asks again, even after the earlier round's deployment closed. */
export function useAkashDeployment(jobId: string, enabled: boolean, round = 0, intervalMs = 3_000) {
  const keeper = useKeeper();
  return useQuery({
    queryKey: ['akash-deployment', keeper.baseUrl, jobId, round],
    queryFn: ({ signal }) => keeper.akashDeployment(jobId, signal),
    enabled,
    // A closed deployment of an earlier round than the job's is followed by the next round's.
    refetchInterval: (q) => (q.state.data?.state === 'closed' && q.state.data.round >= round ? false : intervalMs),
  });
}

export function DeploymentDetails({ view }: { view: AkashDeploymentView | null }) {
  if (!view) return <div className="empty">The keeper has not deployed this job on Akash (yet).</div>;
  const reached = STATES.indexOf(view.state);
  return (
    <div aria-label="Akash deployment">
      <p className="small">
        <span className={view.network === 'akash-standin' ? 'badge warn' : 'badge'}>{view.label}</span>{' '}
        round {view.round} · dseq <code>{view.dseq}</code>
      </p>
      <ol className="small" aria-label="Deployment states">
        {STATES.map((s, i) => (
          <li key={s} aria-current={s === view.state ? 'step' : undefined} className={i <= reached ? '' : 'muted'}>
            {STATE_TEXT[s]}
          </li>
        ))}
      </ol>
      <dl className="small">
        <dt>Owner</dt>
        <dd><code>{view.owner}</code></dd>
        <dt>Provider</dt>
        <dd><code>{view.provider}</code></dd>
        <dt>Lease</dt>
        <dd>{view.lease ? `${view.lease.gseq}/${view.lease.oseq} at ${view.lease.price.amount} ${view.lease.price.denom} per block` : 'none yet'}</dd>
        {view.startedAt !== null && (
          <>
            <dt>Service ready</dt>
            <dd>{formatTimestamp(view.startedAt)}</dd>
          </>
        )}
        {view.end && (
          <>
            <dt>Ended</dt>
            <dd>{`${view.end.reason} at ${formatTimestamp(view.end.at)}${view.end.detail ? ` — ${view.end.detail}` : ''}`}</dd>
          </>
        )}
        {view.resultRoot && (
          <>
            <dt>Result manifest</dt>
            <dd><code>{view.resultRoot}</code></dd>
          </>
        )}
      </dl>
      {view.lastError && <div className="notice error" role="alert">Last deployer error: {view.lastError}</div>}
      {view.earlier.length > 0 && (
        <div className="small" data-testid="akash-earlier">
          <h3 className="small">Earlier Akash rounds</h3>
          <ul>
            {view.earlier.map((e) => (
              <li key={e.round}>
                Round {e.round} · dseq <code>{e.dseq}</code> · deployment {e.state === 'closed' ? 'closed' : STATE_TEXT[e.state].toLowerCase()}
                {e.end ? ` — ${e.end.reason}: ${e.end.detail}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** The panel on the job page of an Akash-routed job. */
export function AkashDeployment({ jobId, round = 0 }: { jobId: string; round?: number }) {
  const q = useAkashDeployment(jobId, true, round);
  return (
    <div className="panel">
      <h2>Akash deployment</h2>
      {q.isPending ? <Loading label="Loading the Akash deployment" /> : q.isError ? <ErrorNotice title="The Akash deployment could not be read from the keeper" message={(q.error as Error).message} onRetry={() => void q.refetch()} /> : <DeploymentDetails view={q.data} />}
    </div>
  );
}
