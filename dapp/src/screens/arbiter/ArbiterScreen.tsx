import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ScreenProps } from '../../app/router';
import { Address } from '../../components/Address';
import { Field } from '../../components/Field';
import { StatusBadge } from '../../components/StatusBadge';
import { ErrorNotice, Loading } from '../../components/States';
import { TxStatusView } from '../../components/TxStatusView';
import { useRuntimeConfig } from '../../config/context';
import { useJobMarketWrite } from '../../contracts/writes';
import { contentUrl, fetchContent } from '../../keeper/content';
import { formatPricePerGpuHour, formatTimestamp, formatUsdc } from '../../lib/format';
import { useDisputes, type DisputedJob } from '../../subgraph/execution';
import { checkEvidence, loadEvidence, type EvidenceCheck } from '../job/disputeEvidence';
import { SettleByDefault } from '../job/DisputePanel';
import { ManifestView, onchainResultOf, VerifyResultView } from '../job/ResultPanel';
import { useMarketIdentity } from '../job/useMarket';
import { useVerifiedResult } from '../job/useVerifiedResult';

/** The buyer's evidence: from the content store by its root, from this browser, or pasted by the arbiter; always checked. */
function BuyerEvidence({ job }: { job: DisputedJob }) {
  const config = useRuntimeConfig();
  const market = useMarketIdentity();
  const reasonHash = job.disputeReasonHash ?? null;
  const [pasted, setPasted] = useState('');
  const stored = useQuery({
    queryKey: ['dispute-evidence', config.keeperUrl, reasonHash],
    enabled: Boolean(reasonHash),
    retry: false,
    staleTime: Infinity,
    queryFn: async ({ signal }) => new TextDecoder().decode(await fetchContent(config, reasonHash!, { signal, maxBytes: 64 * 1024 })),
  });
  if (!reasonHash || !market.jobMarket) return <div className="empty">No reason hash on-chain.</div>;
  const ident = { jobId: job.id, chainId: market.chainId, jobMarket: market.jobMarket };
  const candidate = pasted.trim() || stored.data || loadEvidence(reasonHash);
  const check: EvidenceCheck | null = candidate ? checkEvidence(candidate, reasonHash, ident) : null;
  return (
    <div className="stack small" data-testid="buyer-evidence" data-valid={check?.ok ?? 'none'}>
      <span>reasonHash <span className="mono">{reasonHash}</span></span>
      {check?.ok ? (
        <div className="notice ok">
          <strong>Buyer’s reason (matches the on-chain hash):</strong> {check.evidence.reason}
          <br />
          <span className="muted">Cites the manifest {check.evidence.manifestRoot ?? 'none'}{check.evidence.manifestRoot && job.resultHash && check.evidence.manifestRoot.toLowerCase() !== job.resultHash.toLowerCase() ? ' — not the on-chain result!' : ''}.</span>
        </div>
      ) : check ? (
        <div className="notice error" role="alert">The evidence given does not check out: {check.detail}.</div>
      ) : (
        <span className="muted">The buyer’s evidence is not in the content store{stored.isPending ? ' (looking…)' : ''}; ask the buyer for it and paste it below.</span>
      )}
      <Field label="Paste the buyer’s evidence to check it against the on-chain reasonHash">
        {(props) => <textarea {...props} rows={2} value={pasted} onChange={(e) => setPasted(e.target.value)} />}
      </Field>
    </div>
  );
}

function ProviderEvidence({ job }: { job: DisputedJob }) {
  const config = useRuntimeConfig();
  const market = useMarketIdentity();
  const onchain = onchainResultOf({ id: job.id, round: job.round, operator: job.operator, provider: job.provider }, job.resultHash, market);
  const result = useVerifiedResult(onchain);
  if (!onchain) return <div className="empty">The provider reported no result (disputed while running).</div>;
  const manifest = result.data?.verification.manifest;
  return (
    <div className="stack">
      {manifest && <ManifestView manifest={manifest} link={(root) => contentUrl(config, root)} />}
      <VerifyResultView result={result.data} busy={result.isFetching} error={result.isError ? (result.error as Error).message : null} onVerify={() => void result.refetch()} />
    </div>
  );
}

function Resolve({ job, onDone }: { job: DisputedJob; onDone: (jobId: string) => void }) {
  const write = useJobMarketWrite();
  const [bps, setBps] = useState(5_000);
  return (
    <form
      className="stack"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await write.write('resolveDispute', [BigInt(job.id), bps])) onDone(job.id);
      }}
    >
      <Field label={`Provider share: ${(bps / 100).toFixed(2)}% of the amount due (the rest is refunded to the buyer)`}>
        {(props) => <input {...props} type="range" min={0} max={10_000} step={100} value={bps} onChange={(e) => setBps(Number(e.target.value))} />}
      </Field>
      <div className="row">
        <button type="submit" className="primary" disabled={write.busy}>Resolve dispute</button>
        <span className="small muted">Only the arbiter role may resolve; the transaction is simulated first.</span>
      </div>
      <TxStatusView status={write.status} label="Resolution" />
    </form>
  );
}

function DisputeCard({ job, onDone }: { job: DisputedJob; onDone: (jobId: string) => void }) {
  const open = job.status === 'Disputed';
  return (
    <article className="panel" aria-labelledby={`dispute-${job.id}`} data-testid="dispute" data-job={job.id}>
      <div className="spread">
        <h2 id={`dispute-${job.id}`}>
          <a href={`#/jobs/${job.id}`}>Job #{job.id}</a> <StatusBadge status={job.status} />
        </h2>
        <span className="small muted">disputed {job.disputedAt ? formatTimestamp(job.disputedAt) : '—'}</span>
      </div>
      <p className="small" style={{ margin: 0 }}>
        Buyer <Address value={job.buyer.id} /> · provider {job.provider ? <>{job.provider.name} (<Address value={job.provider.id} />)</> : job.market ?? '—'} ·{' '}
        {job.gpuCount} GPU × {job.pricePerGpuHour !== null && job.pricePerGpuHour !== undefined ? formatPricePerGpuHour(job.pricePerGpuHour) : '—'} · escrow {formatUsdc(job.balance)}
        {job.currentRoute && (
          <> · decision log <a href={`#/jobs/${job.id}`} className="mono" title={job.currentRoute.logRoot}>{job.currentRoute.logRoot.slice(0, 10)}…</a></>
        )}
      </p>
      {!open && (
        <p className="small" style={{ margin: 0 }}>
          {job.settledByDefault ? 'Settled by default after the dispute timeout' : 'Resolved by the arbiter'} {job.resolvedAt ? formatTimestamp(job.resolvedAt) : ''}: provider {job.providerShareBps !== null && job.providerShareBps !== undefined ? `${(job.providerShareBps / 100).toFixed(2)}%` : '—'}, paid {formatUsdc(job.payout)}, refunded {formatUsdc(job.refund)}.
        </p>
      )}
      <div className="grid two">
        <div>
          <h3>Provider’s evidence: the result manifest</h3>
          <ProviderEvidence job={job} />
        </div>
        <div>
          <h3>Buyer’s evidence</h3>
          <BuyerEvidence job={job} />
        </div>
      </div>
      {open && (
        <div className="stack" style={{ marginTop: '1rem' }}>
          <Resolve job={job} onDone={onDone} />
          <SettleByDefault job={job} onDone={() => onDone(job.id)} />
        </div>
      )}
    </article>
  );
}

/**
 * The disputes to list: the open ones, and those decided from this screen (so the arbiter sees the outcome of what
 * it just did: the share, the payout and the refund), or all of them with "Show resolved".
 */
export function shownDisputes<J extends Pick<DisputedJob, 'id' | 'status'>>(jobs: J[], opts: { showResolved: boolean; decided: ReadonlySet<string> }): J[] {
  return opts.showResolved ? jobs : jobs.filter((j) => j.status === 'Disputed' || opts.decided.has(j.id));
}

/** Disputed jobs with both sides' evidence; the arbiter resolves them, anyone settles them once the timeout passes. */
export default function ArbiterScreen(_props: ScreenProps) {
  const disputes = useDisputes();
  const [showResolved, setShowResolved] = useState(false);
  const [decided, setDecided] = useState<ReadonlySet<string>>(new Set());
  const jobs = disputes.data?.jobs ?? [];
  const open = jobs.filter((j) => j.status === 'Disputed');
  const shown = shownDisputes(jobs, { showResolved, decided });
  const onDone = (jobId: string) => {
    setDecided((d) => new Set([...d, jobId]));
    disputes.refetch();
  };
  return (
    <section>
      <div className="spread">
        <h1>Disputes</h1>
        <label className="row small">
          <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} /> Show resolved
        </label>
      </div>
      <p className="small muted">
        Each dispute shows the provider’s result manifest (verified here against the on-chain resultHash) and the buyer’s reason (checked against the
        on-chain reasonHash). The arbiter splits the amount due; after the dispute timeout anyone may settle by the contract’s default.
      </p>
      {disputes.state === 'loading' ? (
        <Loading label="Loading disputes" lines={4} />
      ) : disputes.state === 'error' && !disputes.data ? (
        <ErrorNotice message={disputes.error} onRetry={disputes.refetch} />
      ) : shown.length === 0 ? (
        <div className="empty">{open.length === 0 ? 'No open disputes.' : 'Nothing to show.'}</div>
      ) : (
        shown.map((job) => <DisputeCard key={job.id} job={job} onDone={onDone} />)
      )}
    </section>
  );
}
