import { useEffect, useRef, useState } from 'react';
import { useAccount, useConfig } from 'wagmi';
import { signTypedData } from 'wagmi/actions';
import { useNow } from '../../hooks/useNow';
import { formatAge } from '../../lib/format';
import type { Liveness } from '../../keeper/useLiveness';
import { useLiveness } from '../../keeper/useLiveness';
import { buildLogRequest, logAccess, type LogAccess } from '../../provider-agent/logRequest';
import { useLogStream, type LogStreamState } from '../../provider-agent/useLogStream';
import type { JobStatusName } from '../../lib/jobStatus';
import type { JobDetail } from '../../subgraph/queries';
import { useMarketIdentity } from './useMarket';
import { useAkashDeployment } from './AkashDeployment';
import { useKeeper } from '../../keeper/context';

const BEFORE_START: ReadonlySet<JobStatusName> = new Set(['Open', 'Routed', 'Accepted']);

export interface LiveLogsViewProps {
  status: JobStatusName;
  market: string | null;
  hasAgent: boolean;
  access: LogAccess;
  liveness: { state: 'loading' | 'error' | 'ready'; data?: Liveness; error?: string };
  stream: LogStreamState;
  nowSec: number;
  onStart: () => void;
  onStop: () => void;
  onPause: (paused: boolean) => void;
  /**
   * The logs come from the keeper, not a provider agent: a job the keeper deployed on Akash (its label, e.g.
   * "local Akash stand-in", says which network). The keeper relays the lease's log to the job's buyer.
   */
  relay?: { label: string } | null;
}

function LogConsole({ stream, onPause, onStop }: Pick<LiveLogsViewProps, 'stream' | 'onPause' | 'onStop'>) {
  const [autoScroll, setAutoScroll] = useState(true);
  const ref = useRef<HTMLPreElement>(null);
  const { tail } = stream;
  useEffect(() => {
    if (autoScroll && ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [tail, autoScroll]);
  const live = stream.phase === 'streaming' || stream.phase === 'connecting';
  return (
    <div className="stack">
      <div className="row small">
        {live && (
          <button type="button" onClick={() => onPause(!stream.paused)} aria-pressed={stream.paused}>
            {stream.paused ? 'Resume' : 'Pause'}
          </button>
        )}
        {live && <button type="button" onClick={onStop}>Stop</button>}
        <label className="row">
          <input type="checkbox" checked={autoScroll} onChange={(e) => setAutoScroll(e.target.checked)} /> Auto-scroll
        </label>
        <span className="muted" data-testid="live-log-phase" data-phase={stream.phase}>
          {stream.phase === 'connecting' ? 'connecting…' : stream.phase === 'streaming' ? (stream.paused ? 'paused (still receiving)' : 'live') : stream.phase === 'ended' ? 'stream ended' : ''}
        </span>
        {tail.dropped > 0 && <span className="muted">{tail.dropped.toLocaleString('en-US')} earlier lines not shown</span>}
      </div>
      <pre ref={ref} className="mono small" role="log" aria-label="Live logs" data-testid="live-log" style={{ maxHeight: '22rem', overflow: 'auto', margin: 0, padding: '0.6rem', background: 'var(--panel-2)', borderRadius: 'var(--radius)', whiteSpace: 'pre-wrap' }}>
        {tail.lines.length === 0 && !tail.partial ? <span className="muted">No output yet.</span> : [...tail.lines, ...(tail.partial ? [tail.partial] : [])].join('\n')}
      </pre>
      {stream.exit && (
        <div className={`notice ${stream.exit.exitCode === 0 ? 'ok' : 'error'}`} role="status">
          The container exited{stream.exit.exitCode === null ? '' : ` with code ${stream.exit.exitCode}`}{stream.exit.reason ? ` (${stream.exit.reason})` : ''}.
        </div>
      )}
    </div>
  );
}

/** Start (or reconnect) the stream, then the console. */
function LogControls(props: LiveLogsViewProps & { role: string; via?: string }) {
  const { stream } = props;
  return (
    <div className="stack">
      {(stream.phase === 'idle' || stream.phase === 'error' || stream.phase === 'ended') && (
        <div className="row">
          <button type="button" className="primary" onClick={props.onStart}>
            {stream.phase === 'idle' ? 'Stream live logs' : 'Reconnect'}
          </button>
          <span className="small muted">Your wallet signs a LogRequest (valid a few minutes) that proves you are the {props.role}{props.via ? `; ${props.via}` : ''}.</span>
        </div>
      )}
      {stream.phase === 'signing' && <div className="notice pending" role="status">Sign the log request in your wallet…</div>}
      {stream.phase === 'error' && stream.error && <div className="notice error" role="alert">{stream.error.message}</div>}
      {stream.phase !== 'idle' && stream.phase !== 'signing' && <LogConsole stream={stream} onPause={props.onPause} onStop={props.onStop} />}
    </div>
  );
}

/** Every state of the live log panel, without wallet or network (tested on its own). */
export function LiveLogsView(props: LiveLogsViewProps) {
  const { status, access, liveness, stream } = props;
  const relay = props.relay ?? null;
  let body;
  if (relay) {
    if (BEFORE_START.has(status)) body = <div className="empty" data-testid="logs-not-started">Not started yet: the logs stream here once the Akash lease runs the container.</div>;
    else if (status !== 'Running' && stream.phase === 'idle') body = <div className="empty" data-testid="logs-ended">The run has ended. Its full log is stored with the result manifest.</div>;
    else if (!access.allowed) body = <div className="notice" role="status" data-testid="logs-refused">{access.reason}</div>;
    else body = <LogControls {...props} role={access.allowed ? access.role : 'buyer'} via="the keeper relays the Akash lease’s log" />;
  } else if (!props.hasAgent) {
    body = <div className="empty">This job runs on an external market{props.market ? ` (${props.market})` : ''}: no Necto provider agent serves its logs.</div>;
  } else if (BEFORE_START.has(status)) {
    body = <div className="empty" data-testid="logs-not-started">Not started yet: the logs stream here once the provider’s agent starts the container.</div>;
  } else if (status !== 'Running' && stream.phase === 'idle') {
    body = <div className="empty" data-testid="logs-ended">The run has ended. Its full log is stored with the result manifest.</div>;
  } else if (!access.allowed) {
    body = <div className="notice" role="status" data-testid="logs-refused">{access.reason}</div>;
  } else if (liveness.state === 'loading' && stream.phase === 'idle') {
    body = <div className="empty">Looking for the provider’s agent…</div>;
  } else if (liveness.state === 'error' && stream.phase === 'idle') {
    body = <div className="notice error" role="alert">The keeper could not tell whether the provider’s agent is online: {liveness.error}</div>;
  } else if ((!liveness.data?.online || !liveness.data.endpoint) && stream.phase === 'idle') {
    const last = liveness.data?.lastSeen;
    body = (
      <div className="notice error" role="status" data-testid="agent-offline">
        The provider’s agent is offline: {last ? `last heartbeat ${formatAge(props.nowSec - last)}` : 'no heartbeat since the keeper started'}. Logs can be read once it is back.
      </div>
    );
  } else {
    body = <LogControls {...props} role={access.role} />;
  }
  return (
    <div className="panel" aria-labelledby="logs-title">
      <div className="spread">
        <h2 id="logs-title">Live logs</h2>
        {relay && <span className="badge warn" data-testid="logs-relay">{relay.label}</span>}
        {!relay && props.hasAgent && liveness.data && (
          <span className={`badge ${liveness.data.online ? 'ok' : 'bad'}`} data-testid="agent-liveness">{liveness.data.online ? 'agent online' : 'agent offline'}</span>
        )}
      </div>
      {body}
    </div>
  );
}

/** Live logs of a running job, read from the provider's agent with a wallet-signed LogRequest. */
export function LiveLogs({ job }: { job: JobDetail }) {
  const { address } = useAccount();
  const wagmiConfig = useConfig();
  const market = useMarketIdentity();
  const now = useNow(5_000);
  const access = logAccess(job, address);
  const agentAddress = job.provider?.id ?? null;
  const watch = job.status === 'Running' || BEFORE_START.has(job.status);
  // A job the keeper deployed on Akash: its log comes through the keeper, which holds the lease.
  const onAkash = job.market === 'akash';
  const keeper = useKeeper();
  const deployment = useAkashDeployment(job.id, onAkash, job.round);
  const liveness = useLiveness(agentAddress, { enabled: !onAkash && watch && access.allowed });
  // The stream ends by itself when the container exits (its `end` event may arrive after the chain says Completed);
  // leaving the page aborts it.
  const stream = useLogStream();

  function start() {
    const endpoint = onAkash ? `${keeper.baseUrl}/akash` : liveness.data?.endpoint;
    if (!endpoint || !address || !market.jobMarket) return;
    const jobMarket = market.jobMarket;
    void stream.start(endpoint, job.id, async () => {
      const typed = buildLogRequest({ chainId: market.chainId, jobMarket, jobId: job.id, requester: address, nowSec: Date.now() / 1000 });
      const signature = await signTypedData(wagmiConfig, typed);
      return { requester: typed.message.requester, expires: typed.message.expires, signature };
    });
  }

  return (
    <LiveLogsView
      status={job.status}
      market={job.market ?? null}
      hasAgent={Boolean(agentAddress)}
      access={access}
      liveness={liveness.isPending ? { state: 'loading' } : liveness.isError ? { state: 'error', error: (liveness.error as Error).message } : { state: 'ready', data: liveness.data }}
      stream={stream}
      nowSec={now}
      onStart={start}
      onStop={stream.stop}
      onPause={stream.setPaused}
      relay={onAkash ? { label: deployment.data?.label ?? 'Akash' } : null}
    />
  );
}
