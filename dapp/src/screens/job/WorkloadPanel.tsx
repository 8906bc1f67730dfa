import { loadJobDocumentText } from '../../lib/jobDocuments';
import { useJobDocumentField } from '../../subgraph/execution';
import type { JobDetail } from '../../subgraph/queries';
import { useMarketIdentity } from './useMarket';
import { describeWorkload, shellLine, type Workload } from './workload';

function WorkloadView({ workload }: { workload: Workload }) {
  const command = workload.command === null ? 'image default' : Array.isArray(workload.command) ? shellLine(workload.command) : workload.command;
  return (
    <div className="stack" data-testid="workload" data-source={workload.source} data-hash-matches={workload.hashMatches}>
      <p className="small muted" style={{ margin: 0 }}>
        {workload.source === 'onchain'
          ? 'From the job document published on-chain (tracked job).'
          : 'From your copy of the document, kept in this browser when you submitted (untracked job: only its hash is on-chain).'}{' '}
        <span className={`badge ${workload.hashMatches ? 'ok' : 'bad'}`}>{workload.hashMatches ? 'matches the on-chain specHash' : 'does not match the on-chain specHash'}</span>
      </p>
      {!workload.valid && (
        <div className="notice error" role="alert">
          The document does not follow the job document schema: {workload.issues.slice(0, 3).join('; ')}. A provider agent refuses it.
        </div>
      )}
      <dl className="grid two small" style={{ margin: 0 }}>
        <div><dt className="muted">Image</dt><dd className="mono" style={{ margin: 0 }}>{workload.image ?? '—'}</dd></div>
        <div><dt className="muted">Command</dt><dd className="mono" style={{ margin: 0 }}>{command}</dd></div>
        <div><dt className="muted">Environment</dt><dd className="mono" style={{ margin: 0 }}>{workload.envNames.length ? workload.envNames.join(', ') : 'none'}</dd></div>
        <div><dt className="muted">Outputs</dt><dd className="mono" style={{ margin: 0 }}>{workload.outputs}</dd></div>
        {workload.ports.length > 0 && (
          <div><dt className="muted">Ports</dt><dd className="mono" style={{ margin: 0 }}>{workload.ports.map((p) => `${p.port}/${p.protocol}`).join(', ')}</dd></div>
        )}
        {workload.description && <div><dt className="muted">Description</dt><dd style={{ margin: 0 }}>{workload.description}</dd></div>}
      </dl>
    </div>
  );
}

/** The image, command, env names and outputs path the job runs. */
export function WorkloadPanel({ job }: { job: JobDetail }) {
  const market = useMarketIdentity();
  const onchain = useJobDocumentField(job.id, !job.tracked);
  let body;
  if (job.tracked) {
    const text = onchain.data?.job?.document ?? null;
    if (text) body = <WorkloadView workload={describeWorkload(text, job.specHash, 'onchain')} />;
    else if (onchain.state === 'loading') body = <div className="empty">Loading the job document…</div>;
    else if (onchain.state === 'error') body = <div className="notice error" role="alert">The subgraph does not serve this job’s document: {onchain.error}</div>;
    else body = <div className="empty">This tracked job published no document (submitted before documents were on-chain).</div>;
  } else {
    const text = market.jobMarket ? loadJobDocumentText({ chainId: market.chainId, jobMarket: market.jobMarket, jobId: job.id }) : null;
    body = text ? (
      <WorkloadView workload={describeWorkload(text, job.specHash, 'local')} />
    ) : (
      <div className="empty">Untracked job: the document is private to the buyer, the keeper and the routed provider, and this browser holds no copy of it.</div>
    );
  }
  return (
    <div className="panel" aria-labelledby="workload-title">
      <h2 id="workload-title">Workload</h2>
      {body}
    </div>
  );
}
