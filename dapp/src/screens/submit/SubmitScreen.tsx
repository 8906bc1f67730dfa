import { useMemo, useState } from 'react';
import { useAccount } from 'wagmi';
import { ErrorNotice, Loading } from '../../components/States';
import { TxStatusView } from '../../components/TxStatusView';
import { useDeployment } from '../../contracts/deployment';
import { formatDuration, formatPricePerGpuHour, formatUsdc } from '../../lib/format';
import type { QuoteDraft } from '../../keeper/client';
import { useQuote } from '../../keeper/useQuote';
import { useMarketOffers, useMyTeams } from '../../subgraph/hooks';
import { navigate } from '../../app/router';
import { REGIONS } from '../../lib/regions';
import { requestConnect } from '../../wallet/connectStore';
import { Faucet } from './Faucet';
import { JobFormFields } from './JobFormFields';
import { DEFAULT_FORM, validateJobForm, type JobFormValues } from './jobForm';
import { QuoteTable } from './QuoteTable';
import { useSubmitJob, type SubmitMethod, type SubmitStep } from './useSubmitJob';

const BASE_GPUS = ['H100', 'A100', 'L40S', 'RTX4090', 'A10'];

const FIELD_LABELS: Partial<Record<keyof JobFormValues, string>> = {
  gpuModels: 'GPU models', gpuCount: 'GPU count', minVramGb: 'Min VRAM', minVcpu: 'Min vCPU', minRamGb: 'Min RAM', regions: 'Regions',
  durationHours: 'Duration', maxPricePerGpuHour: 'Max price', teamId: 'Team', image: 'Container image', command: 'Command',
};

const STEP_TEXT: Record<SubmitStep, string> = {
  idle: '',
  'signing-permit': 'Sign the USDC permit in your wallet (no gas)…',
  approving: 'Approving USDC…',
  submitting: 'Submitting the job…',
  'sending-spec': 'Handing the job document to the keeper…',
  done: '',
};

function mergeOptions(base: string[], extra: string[]): string[] {
  const seen = new Map<string, string>();
  for (const item of [...base, ...extra]) if (!seen.has(item.toLowerCase())) seen.set(item.toLowerCase(), item);
  return [...seen.values()];
}

export default function SubmitScreen() {
  const { address, isConnected } = useAccount();
  const deployment = useDeployment();
  const [values, setValues] = useState<JobFormValues>(DEFAULT_FORM);
  const [method, setMethod] = useState<SubmitMethod>('permit');
  const [touched, setTouched] = useState(false);
  const [submitAnyway, setSubmitAnyway] = useState(false);
  const offers = useMarketOffers();
  const teams = useMyTeams(address);
  const { errors, job } = useMemo(() => validateJobForm(values), [values]);
  const submitter = useSubmitJob();
  const { usdcAccount } = submitter;

  const draft: QuoteDraft | null = job
    ? {
        gpuModels: [...job.spec.gpuModels],
        gpuCount: job.spec.gpuCount,
        minVramGb: job.spec.minVramGb,
        minVcpu: job.spec.minVcpu,
        minRamGb: job.spec.minRamGb,
        regions: [...job.spec.regions],
        maxPricePerGpuHour: job.spec.maxPricePerGpuHour.toString(),
        durationSec: Math.max(60, job.durationSec),
        allowExternal: job.spec.allowExternal,
        teamId: job.spec.teamId,
        ...(address ? { buyer: address } : {}),
      }
    : null;
  const quote = useQuote(draft);

  const gpuOptions = mergeOptions(BASE_GPUS, offers.data?.offers.map((o) => o.gpuModel) ?? []);
  const regionOptions = REGIONS.map((r) => ({ value: r.id, label: r.name }));
  const busy = submitter.step !== 'idle' && submitter.step !== 'done';
  const insufficient = job && usdcAccount.balance !== undefined && usdcAccount.balance < job.budget;
  // The quote for exactly these requirements found nothing: the keeper could not route the job as it stands.
  const nothingFits = Boolean(draft && quote.data && !quote.isPlaceholderData && quote.data.rows.length === 0);
  const problems = Object.entries(errors).map(([field, message]) => ({ field: FIELD_LABELS[field as keyof JobFormValues] ?? field, message }));

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!job || (nothingFits && !submitAnyway)) return;
    if (!isConnected) {
      requestConnect();
      return;
    }
    const id = await submitter.submit(job, method);
    if (id) navigate(`/jobs/${id}`);
  }

  const shownErrors = touched ? errors : Object.fromEntries(Object.entries(errors).filter(([k]) => (values as unknown as Record<string, unknown>)[k] !== ''));

  return (
    <section>
      <h1>Submit a GPU job</h1>
      {!deployment.ok && <ErrorNotice title="Contracts not found" message={deployment.error} />}
      <form className="grid two" onSubmit={onSubmit} noValidate aria-label="Job requirements">
        <div className="panel">
          <h2>Requirements</h2>
          <JobFormFields
            values={values}
            errors={shownErrors}
            onChange={(patch) => setValues((v) => ({ ...v, ...patch }))}
            gpuOptions={gpuOptions}
            regionOptions={regionOptions}
            teams={teams.data?.teamMembers.map((m) => m.team) ?? []}
          />
        </div>
        <div>
          <div className="panel" aria-live="polite">
            <div className="spread">
              <h2>Price comparison</h2>
              {quote.isFetching && <span className="small muted thinking">Updating</span>}
            </div>
            {!draft && <div className="empty">Fix the form to see live prices.</div>}
            {draft && quote.isPending && <Loading label="Fetching quotes" />}
            {draft && quote.isError && !quote.data && <ErrorNotice title="No quote" message={(quote.error as Error).message} onRetry={() => void quote.refetch()} />}
            {draft && quote.data && <QuoteTable quote={quote.data} />}
          </div>
          <div className="panel stack">
            <h2>Budget and signature</h2>
            {job ? (
              <div className="stack">
                <div className="stat">
                  <div className="label">Budget locked in escrow</div>
                  <div className="value" data-testid="budget">{formatUsdc(job.budget)}</div>
                  <div className="small muted">
                    {formatPricePerGpuHour(job.spec.maxPricePerGpuHour)} × {job.spec.gpuCount} GPU × {formatDuration(job.durationSec)}. Unspent budget is
                    refunded.
                  </div>
                </div>
                {quote.data?.best && (
                  <p className="small">
                    Best quote now: <strong>{quote.data.best.name}</strong> at {formatPricePerGpuHour(quote.data.best.pricePerGpuHour)} —{' '}
                    {formatUsdc(quote.data.best.totalCost)} in total.
                  </p>
                )}
              </div>
            ) : (
              <div className="empty">Fill in the requirements to see the budget.</div>
            )}
            {isConnected && (
              <p className="small muted">
                Your USDC: {usdcAccount.balance === undefined ? '…' : formatUsdc(usdcAccount.balance)}
                {insufficient && <strong style={{ color: '#ffa198' }}> — not enough for this budget</strong>}
              </p>
            )}
            <fieldset>
              <legend>How to pay</legend>
              <div className="checks">
                <label>
                  <input type="radio" name="method" checked={method === 'permit'} onChange={() => setMethod('permit')} /> One signature (permit)
                </label>
                <label>
                  <input type="radio" name="method" checked={method === 'approve'} onChange={() => setMethod('approve')} /> Approve, then submit
                </label>
              </div>
            </fieldset>
            {touched && problems.length > 0 && (
              <div className="notice error" role="alert" data-testid="form-problems">
                <strong>The job cannot be submitted yet:</strong>
                <ul>
                  {problems.map((p) => (
                    <li key={p.field}>
                      {p.field}: {p.message}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {nothingFits && (
              <div className="notice error stack" role="alert" data-testid="no-fit-warning">
                <span>
                  <strong>No provider fits these requirements now</strong>, so the agent cannot route this job. Relax them (see the price comparison for
                  what excludes the offers), or submit anyway: the job waits in escrow until an offer fits, and cancelling it refunds the whole budget.
                </span>
                <label className="row">
                  <input type="checkbox" checked={submitAnyway} onChange={(e) => setSubmitAnyway(e.target.checked)} /> Submit anyway
                </label>
              </div>
            )}
            {isConnected ? (
              <button type="submit" className="primary" disabled={busy || !deployment.ok || (nothingFits && !submitAnyway)}>
                {busy ? STEP_TEXT[submitter.step] : method === 'permit' ? 'Sign and submit job' : 'Approve and submit job'}
              </button>
            ) : (
              <button type="button" className="primary" onClick={requestConnect}>
                Connect wallet to submit
              </button>
            )}
            {busy && <div className="notice pending" role="status">{STEP_TEXT[submitter.step]}</div>}
            <TxStatusView status={submitter.usdcTx.status} label="USDC approval" />
            <TxStatusView status={submitter.marketTx.status} label="Job submission" />
            {submitter.specError && <ErrorNotice title="Job document not delivered" message={submitter.specError} />}
            {usdcAccount.faucetEnabled && <Faucet onMinted={() => void usdcAccount.refetch()} />}
          </div>
        </div>
      </form>
    </section>
  );
}
