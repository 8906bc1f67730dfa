import type { ResultManifest } from '@necto/keeper/domain';
import { useRuntimeConfig } from '../../config/context';
import { Address } from '../../components/Address';
import { contentUrl } from '../../keeper/content';
import { formatDuration, formatTimestamp } from '../../lib/format';
import type { JobDetail } from '../../subgraph/queries';
import { useJobResult } from '../../subgraph/execution';
import { useMarketIdentity } from './useMarket';
import { useVerifiedResult, type VerifiedResult } from './useVerifiedResult';
import type { OnchainResult } from './verifyResult';
import { shellLine } from './workload';

const REASON_TEXT: Record<ResultManifest['reason'], string> = {
  ok: 'finished successfully',
  nonzero: 'exited with an error',
  oom: 'ran out of memory',
  timeout: 'stopped at the end of the paid time',
  cancelled: 'cancelled',
  'pull-failed': 'image could not be pulled',
};

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function ManifestView({ manifest, link }: { manifest: ResultManifest; link: (root: string) => string }) {
  return (
    <div className="stack" data-testid="result-manifest">
      <p style={{ margin: 0 }}>
        <span className={`badge ${manifest.reason === 'ok' ? 'ok' : 'bad'}`} data-testid="result-reason">{manifest.reason}</span>{' '}
        The run {REASON_TEXT[manifest.reason]}{manifest.exitCode === null ? '' : `, exit code ${manifest.exitCode}`}.
      </p>
      <dl className="grid two small" style={{ margin: 0 }}>
        <div><dt className="muted">Exit code</dt><dd style={{ margin: 0 }} data-testid="result-exit-code">{manifest.exitCode ?? 'none'}</dd></div>
        <div><dt className="muted">Ran</dt><dd style={{ margin: 0 }}>{formatTimestamp(manifest.startedAt)} → {formatTimestamp(manifest.finishedAt).slice(11)} ({formatDuration(manifest.finishedAt - manifest.startedAt)})</dd></div>
        <div><dt className="muted">Image</dt><dd className="mono" style={{ margin: 0 }}>{manifest.image}</dd></div>
        <div><dt className="muted">Image digest</dt><dd className="mono" style={{ margin: 0 }}>{manifest.imageDigest ?? 'not reported'}</dd></div>
        <div><dt className="muted">Command</dt><dd className="mono" style={{ margin: 0 }}>{manifest.command.length ? shellLine(manifest.command) : 'image default'}</dd></div>
        <div><dt className="muted">Ran by</dt><dd style={{ margin: 0 }}><Address value={manifest.provider} /> · {manifest.market} · {manifest.runtime.kind}{manifest.runtime.version ? ` ${manifest.runtime.version}` : ''}</dd></div>
        {manifest.lease && (
          <div><dt className="muted">Lease</dt><dd className="mono" style={{ margin: 0 }}>{manifest.lease.dseq}/{manifest.lease.gseq}/{manifest.lease.oseq} · {manifest.lease.provider} · {manifest.lease.status}</dd></div>
        )}
        <div>
          <dt className="muted">Log</dt>
          <dd style={{ margin: 0 }}>
            {manifest.log.root ? <a href={link(manifest.log.root)} target="_blank" rel="noreferrer" data-testid="result-log-link">full log</a> : 'empty'} · {formatBytes(manifest.log.bytes)}
            {manifest.log.truncated ? ' (truncated by the provider)' : ''}
          </dd>
        </div>
      </dl>
      <table aria-label="Outputs">
        <thead><tr><th>Output</th><th>Size</th><th>sha256</th></tr></thead>
        <tbody>
          {manifest.outputs.length === 0 ? (
            <tr><td colSpan={3} className="muted">The job wrote no output file.</td></tr>
          ) : (
            manifest.outputs.map((o) => (
              <tr key={o.path}>
                <td className="mono">{o.root ? <a href={link(o.root)} target="_blank" rel="noreferrer" download={o.path.split('/').pop()}>{o.path}</a> : o.path}</td>
                <td>{formatBytes(o.size)}</td>
                <td className="mono small" title={o.sha256}>{o.sha256.slice(0, 18)}…</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

export function VerifyResultView({ result, onVerify, busy, error }: { result: VerifiedResult | undefined; onVerify: () => void; busy: boolean; error: string | null }) {
  return (
    <div className="stack" aria-labelledby="verify-result-title">
      <div className="spread">
        <h3 id="verify-result-title" style={{ margin: 0 }}>Verify result</h3>
        <button type="button" onClick={onVerify} disabled={busy}>{busy ? 'Verifying…' : 'Verify result'}</button>
      </div>
      <p className="small muted" style={{ margin: 0 }}>
        Downloads the manifest named by the on-chain <code>resultHash</code>, recomputes its 0G Merkle root here in your browser and compares it with
        the on-chain value, then checks that it describes this job.
      </p>
      <div aria-live="polite">
        {error && <div className="notice error" role="alert">Could not fetch the manifest: {error}</div>}
        {result && !error && (
          <div className="stack" data-testid="result-verify" data-verified={result.verification.passed ? 'true' : 'false'}>
            <div className={`notice ${result.verification.passed ? 'ok' : 'error'}`}>
              {result.verification.passed ? 'Verified: the manifest matches the on-chain result.' : 'Verification failed: the manifest does not match the on-chain result. Do not rely on it.'}{' '}
              <span className="small">({result.size.toLocaleString('en-US')} bytes)</span>
            </div>
            <ul className="checklist">
              {result.verification.checks.map((check) => (
                <li key={check.id} data-check={check.id} data-passed={check.passed}>
                  <span className={`badge ${check.passed ? 'ok' : 'bad'}`}>{check.passed ? 'passed' : 'failed'}</span>
                  <span>
                    {check.label}
                    <br />
                    <span className="small muted mono">expected {check.expected}<br />found {check.actual}</span>
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </div>
  );
}

/** The on-chain values a job's result is checked against (null before completion). */
export function onchainResultOf(job: { id: string; round: number; operator?: string | null; provider?: { id: string } | null }, resultHash: string | null | undefined, market: { chainId: number; jobMarket: string | null }): OnchainResult | null {
  if (!resultHash || !market.jobMarket || /^0x0*$/.test(resultHash)) return null;
  return { chainId: market.chainId, jobMarket: market.jobMarket, jobId: job.id, round: job.round, resultHash, operator: job.operator ?? job.provider?.id ?? null };
}

/** After completion: the result manifest fetched by the on-chain resultHash, its outputs, and the Verify result panel. */
export function ResultPanel({ job }: { job: JobDetail }) {
  const config = useRuntimeConfig();
  const market = useMarketIdentity();
  const fields = useJobResult(job.id);
  const resultHash = fields.data?.job?.resultHash ?? null;
  const onchain = onchainResultOf(job, resultHash, market);
  const result = useVerifiedResult(onchain);
  if (!job.completedAt && !resultHash) return null;
  const link = (root: string) => contentUrl(config, root);
  return (
    <div className="panel" aria-labelledby="result-title">
      <div className="spread">
        <h2 id="result-title">Result</h2>
        {resultHash && <span className="small muted mono" title="on-chain resultHash">resultHash {resultHash.slice(0, 10)}…</span>}
      </div>
      {!resultHash ? (
        fields.state === 'error' ? <div className="notice error" role="alert">{fields.error}</div> : <div className="empty">No result reported on-chain.</div>
      ) : result.isPending ? (
        <div className="empty">Fetching the result manifest…</div>
      ) : (
        <div className="stack">
          {result.data?.verification.manifest ? (
            <>
              {!result.data.verification.passed && <div className="notice error" role="alert">Unverified manifest shown below: it failed verification.</div>}
              <ManifestView manifest={result.data.verification.manifest} link={link} />
            </>
          ) : result.data ? (
            <div className="notice error" role="alert">The object stored under the resultHash is not a readable result manifest.</div>
          ) : null}
          <VerifyResultView result={result.data} busy={result.isFetching} error={result.isError ? (result.error as Error).message : null} onVerify={() => void result.refetch()} />
        </div>
      )}
    </div>
  );
}
