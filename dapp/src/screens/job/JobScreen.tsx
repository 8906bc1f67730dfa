import type { ScreenProps } from '../../app/router';
import { Address } from '../../components/Address';
import { StatusBadge } from '../../components/StatusBadge';
import { ErrorNotice, Loading } from '../../components/States';
import { formatDuration, formatPricePerGpuHour, formatTimestamp } from '../../lib/format';
import { regionName } from '../../lib/regions';
import { useAgentSteps } from '../../keeper/useAgentSteps';
import { useDecision } from '../../keeper/useDecision';
import { useJob } from '../../subgraph/hooks';
import type { JobDetail } from '../../subgraph/queries';
import { useNames } from '../../components/useNames';
import { nameAddresses } from '../../lib/names';
import { AgentThinking } from './AgentThinking';
import { AkashDeployment } from './AkashDeployment';
import { KeplrDeploy } from './KeplrDeploy';
import { currentRound } from './currentRound';
import { MissingJob } from './MissingJob';
import { useDecisionRecord } from './useDecisionRecord';
import { EscrowPanel } from './EscrowPanel';
import { JobActions } from './JobActions';
import { JobExecution } from './JobExecution';
import { JobTimeline } from './JobTimeline';
import { RouteView } from './RouteView';
import { SdlDownload } from './SdlDownload';
import { VerifyPanel } from './VerifyPanel';

function Spec({ job }: { job: JobDetail }) {
  const list = (items: string[] | null | undefined) => (items === null || items === undefined ? 'private' : items.length ? items.join(', ') : 'any');
  return (
    <dl className="grid three small flush">
      <div><dt className="muted">GPUs</dt><dd className="flush">{job.gpuCount} × {list(job.gpuModels)}</dd></div>
      <div><dt className="muted">Min VRAM · vCPU · RAM</dt><dd className="flush">{job.minVramGb ?? '—'} GB · {job.minVcpu ?? '—'} · {job.minRamGb ?? '—'} GB</dd></div>
      <div><dt className="muted">Regions</dt><dd className="flush">{list(job.regions?.map(regionName))}</dd></div>
      <div><dt className="muted">Duration</dt><dd className="flush">{formatDuration(Number(job.duration))}</dd></div>
      <div><dt className="muted">Max price</dt><dd className="flush">{formatPricePerGpuHour(job.maxPricePerGpuHour)}</dd></div>
      <div><dt className="muted">Start by</dt><dd className="flush">{formatTimestamp(job.startBy)}</dd></div>
      <div><dt className="muted">Buyer</dt><dd className="flush"><Address value={job.buyer.id} /></dd></div>
      <div><dt className="muted">Team</dt><dd className="flush">{job.team ? <a href={`#/teams/${job.team.id}`}>#{job.team.id} {job.team.name}</a> : 'none'}</dd></div>
      <div><dt className="muted">Mode</dt><dd className="flush">{job.tracked ? 'tracked' : 'untracked'} · {job.autoAccept ? 'auto-sign' : 'buyer accepts'} · {job.allowExternal ? 'external markets allowed' : 'on-chain only'}</dd></div>
    </dl>
  );
}

export default function JobScreen({ match }: ScreenProps) {
  const id = match.params.id ?? '';
  const valid = /^\d+$/.test(id);
  const result = useJob(valid ? id : '0');
  const job = result.data?.job ?? null;
  // An open job waits for round `job.round + 1` (after a rejection, the rounds up to job.round are history).
  const open = job?.status === 'Open';
  const committedRounds = job?.round ?? 0;
  const stream = useAgentSteps(id, valid && open, undefined, committedRounds + 1);
  const current = currentRound(stream, committedRounds);
  const committedRoute = job && !open ? (job.currentRoute ?? null) : null;
  const record = useDecisionRecord(committedRoute?.logRoot ?? null);
  const decision = useDecision(id, job?.round ?? 0);
  const decisionView = open ? current.decision : (decision.data ?? null);
  const names = useNames();

  if (!valid || result.state === 'loading' || !job) {
    return (
      <section>
        <h1>Job #{id}</h1>
        {!valid ? (
          <ErrorNotice title="Invalid job id" message={`“${id}” is not a job id.`} />
        ) : result.state === 'loading' ? (
          <Loading label="Loading job" lines={6} />
        ) : result.state === 'error' ? (
          <ErrorNotice message={result.error} onRetry={result.refetch} />
        ) : (
          <MissingJob id={id} />
        )}
      </section>
    );
  }
  const route = job.currentRoute;
  return (
    <section>
      <div className="spread">
        <h1>
          Job #{job.id} <StatusBadge status={job.status} />
        </h1>
        <span className="small muted">submitted {formatTimestamp(job.submittedAt)}</span>
      </div>
      {result.state === 'error' && <ErrorNotice title="Showing the last data received" message={result.error} />}
      <div className="panel">
        <JobTimeline job={job} />
      </div>
      <div className="grid two">
        <div>
          <JobExecution job={job} onChange={result.refetch} />
          {open ? (
            <AgentThinking steps={current.revealed} status={current.status} notice={current.notice} />
          ) : committedRoute ? (
            <AgentThinking
              steps={record.data?.steps ?? []}
              status={{ kind: 'record', decidedAt: Number(committedRoute.timestamp) }}
              notice={
                record.isPending ? <Loading label="Loading the decision record" /> : record.isError ? (
                  <div className="notice error" role="alert">The decision record could not be read from the keeper: {(record.error as Error).message}. The route below is on-chain.</div>
                ) : undefined
              }
            />
          ) : null}
          <RouteView job={job} decision={decisionView} />
          {route && (
            <VerifyPanel
              route={{ jobId: job.id, logRoot: route.logRoot, decisionHash: route.decisionHash, providerRef: route.providerRef, pricePerGpuHour: route.pricePerGpuHour }}
            />
          )}
        </div>
        <div>
          <div className="panel">
            <h2>Actions</h2>
            <JobActions job={job} onDone={result.refetch} />
            {route?.market === 'akash' && (
              <div style={{ marginTop: '0.75rem' }}>
                <SdlDownload jobId={job.id} />
              </div>
            )}
          </div>
          <div className="panel">
            <h2>Spec</h2>
            <Spec job={job} />
          </div>
          {route?.market === 'akash' && <KeplrDeploy jobId={job.id} routeSdlHash={route.sdlHash} durationSec={Number(job.duration)} />}
          {route?.market === 'akash' && <AkashDeployment jobId={job.id} round={job.round} />}
          <EscrowPanel job={job} />
          <div className="panel">
            <h2>History</h2>
            {job.activity.length === 0 ? (
              <div className="empty">No events yet.</div>
            ) : (
              <ul className="feed">
                {job.activity.map((a) => (
                  <li key={a.id}>
                    <span className="small muted">{formatTimestamp(a.timestamp).slice(11)}</span>
                    <span>{nameAddresses(a.summary, names)}</span>
                    <span />
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      </div>
    </section>
  );
}
