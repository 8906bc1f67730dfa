import { MAX_SIGNATURE_LIFETIME_SEC, nectoDomain, typedDataFor } from '@necto/keeper/domain';
import { useState } from 'react';
import { getAddress, type Abi, type Address, type Hex } from 'viem';
import { useAccount, useConfig } from 'wagmi';
import { signTypedData } from 'wagmi/actions';
import { Field } from '../../components/Field';
import { TxStatusView } from '../../components/TxStatusView';
import { jobMarketAbi } from '../../contracts/abis';
import { useTx } from '../../contracts/useTx';
import { useJobMarketWrite } from '../../contracts/writes';
import { useNow } from '../../hooks/useNow';
import { formatDuration, formatTimestamp } from '../../lib/format';
import { useRuntimeConfig } from '../../config/context';
import { uploadContent } from '../../keeper/content';
import { useDisputeTerms, useJobResult } from '../../subgraph/execution';
import type { JobDetail } from '../../subgraph/queries';
import { buildEvidence, loadEvidence, MAX_REASON_CHARS, saveEvidence } from './disputeEvidence';
import { defaultSettlementAt, SETTLE_DISPUTE_AVAILABLE } from './disputeTimeout';
import { useMarketIdentity } from './useMarket';

/** Downloadable evidence text (what the buyer hands to the arbiter). */
export function EvidenceText({ text, reasonHash }: { text: string; reasonHash: string }) {
  const href = `data:application/json;charset=utf-8,${encodeURIComponent(text)}`;
  return (
    <div className="stack small">
      <pre className="mono" data-testid="dispute-evidence" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{text}</pre>
      <div className="row">
        <a href={href} download={`necto-dispute-${reasonHash.slice(0, 10)}.json`}>Download the evidence</a>
        <span className="muted">Its 0G root is the on-chain reasonHash: the arbiter checks the text against it.</span>
      </div>
    </div>
  );
}

/** JobMarket's DISPUTE_DEFAULT_SHARE_BPS rule, in words. */
const DEFAULT_RULE = 'the provider gets half of the amount due, the buyer the rest';

/** Settling an unresolved dispute by the contract's default rule, once the dispute timeout has passed (anyone). */
export function SettleByDefault({ job, onDone }: { job: Pick<JobDetail, 'id' | 'completedAt' | 'disputedAt'>; onDone?: () => void }) {
  const terms = useDisputeTerms();
  const now = useNow(1_000);
  const market = useMarketIdentity();
  const tx = useTx();
  const at = defaultSettlementAt({ completedAt: job.completedAt ?? job.disputedAt, disputeWindow: terms.data?.protocol?.disputeWindow, disputeTimeout: terms.data?.protocol?.disputeTimeout });
  const passed = at !== null && now >= at;
  return (
    <div className="stack small" data-testid="dispute-timeout" data-passed={passed}>
      {at === null ? (
        <span className="muted">The market’s dispute timeout is not indexed yet; once it passes, anyone may settle the dispute by the contract’s default rule ({DEFAULT_RULE}).</span>
      ) : passed ? (
        <span>The dispute timeout passed {formatTimestamp(at)}: anyone may now settle it by the contract’s default rule ({DEFAULT_RULE}).</span>
      ) : (
        <span>If the arbiter does not decide, anyone may settle it by the contract’s default rule ({DEFAULT_RULE}) from {formatTimestamp(at)} (in {formatDuration(at - now)}).</span>
      )}
      {SETTLE_DISPUTE_AVAILABLE ? (
        <div className="row">
          <button
            type="button"
            disabled={tx.busy || !market.jobMarket || (at !== null && !passed)}
            onClick={async () => {
              if (!market.jobMarket) return;
              if (await tx.send({ abi: jobMarketAbi as Abi, address: market.jobMarket, functionName: 'settleDispute', args: [BigInt(job.id)] })) onDone?.();
            }}
          >
            Settle by default
          </button>
          <TxStatusView status={tx.status} label="Default settlement" />
        </div>
      ) : (
        <span className="muted">This deployment’s JobMarket has no default settlement.</span>
      )}
    </div>
  );
}

/** How long an evidence upload signature lives: under the keeper's limit, with room for clock skew. */
const UPLOAD_SIGNATURE_LIFETIME_SEC = Math.min(240, MAX_SIGNATURE_LIFETIME_SEC - 30);

/** The EIP-712 ContentUpload the buyer signs to store its evidence under its root (domain = this JobMarket). */
export function buildEvidenceUpload(input: { chainId: number; jobMarket: Address; root: Hex; uploader: Address; nowSec: number }) {
  return typedDataFor(nectoDomain(input.chainId, input.jobMarket), 'ContentUpload', {
    root: input.root,
    uploader: getAddress(input.uploader),
    expires: BigInt(Math.floor(input.nowSec) + UPLOAD_SIGNATURE_LIFETIME_SEC),
  });
}

type Shared = { state: 'stored' } | { state: 'failed'; message: string };

function UploadFailed({ message }: { message: string }) {
  return (
    <div className="notice error" role="alert" data-testid="evidence-upload-failed">
      The evidence could not be stored for the arbiter ({message}): download it and hand it over.
    </div>
  );
}

/**
 * The buyer disputes with the result manifest as evidence: the evidence goes to the content store (signed by the
 * buyer, so the arbiter fetches it by the on-chain reasonHash), then `disputeJob`. A disputed job shows the
 * evidence and the timeout.
 */
export function DisputePanel({ job, onDone }: { job: JobDetail; onDone: () => void }) {
  const { address } = useAccount();
  const wagmiConfig = useConfig();
  const config = useRuntimeConfig();
  const market = useMarketIdentity();
  const write = useJobMarketWrite();
  const fields = useJobResult(job.id);
  const [reason, setReason] = useState('');
  const [sent, setSent] = useState<{ text: string; reasonHash: string } | null>(null);
  const [shared, setShared] = useState<Shared | null>(null);
  const [sharing, setSharing] = useState(false);
  const isBuyer = Boolean(address && job.buyer.id.toLowerCase() === address.toLowerCase());
  const resultHash = fields.data?.job?.resultHash ?? null;
  const reasonHash = fields.data?.job?.disputeReasonHash ?? null;
  const canDispute = isBuyer && (job.status === 'Completed' || job.status === 'Running');

  if (job.status === 'Disputed' || job.status === 'Resolved') {
    const text = sent?.text ?? (reasonHash ? loadEvidence(reasonHash) : null);
    return (
      <div className="panel" aria-labelledby="dispute-title">
        <h2 id="dispute-title">Dispute</h2>
        <div className="stack">
          <p className="small" style={{ margin: 0 }}>
            {job.status === 'Disputed' ? 'Disputed' : 'Resolved'}{job.disputedAt ? ` ${formatTimestamp(job.disputedAt)}` : ''}.
            {reasonHash && <> reasonHash <span className="mono">{reasonHash}</span></>}
            {job.status === 'Resolved' && fields.data?.job?.providerShareBps !== null && fields.data?.job?.providerShareBps !== undefined && (
              <>
                {' '}
                {fields.data.job.settledByDefault ? 'Settled by the default rule after the dispute timeout: the' : 'The arbiter decided: the'} provider received{' '}
                {(fields.data.job.providerShareBps / 100).toFixed(2)}% of the amount due.
              </>
            )}
          </p>
          {shared?.state === 'failed' && <UploadFailed message={shared.message} />}
          {text && reasonHash && <EvidenceText text={text} reasonHash={reasonHash} />}
          {job.status === 'Disputed' && <SettleByDefault job={job} onDone={onDone} />}
        </div>
      </div>
    );
  }
  if (!canDispute || !market.jobMarket) return null;
  const trimmed = reason.trim();
  let built: ReturnType<typeof buildEvidence> | null = null;
  if (trimmed) {
    try {
      built = buildEvidence({ chainId: market.chainId, jobMarket: market.jobMarket, jobId: job.id, round: job.round, manifestRoot: resultHash, reason: trimmed });
    } catch {
      built = null;
    }
  }
  return (
    <div className="panel" aria-labelledby="dispute-title">
      <h2 id="dispute-title">Dispute</h2>
      <form
        className="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!built || !address || !market.jobMarket || sharing) return;
          saveEvidence(built.reasonHash, built.text);
          setSharing(true);
          // Stored first, so the arbiter can read it as soon as the dispute is on-chain; a failure does not stop the
          // dispute (the buyer still holds the text).
          try {
            const typed = buildEvidenceUpload({ chainId: market.chainId, jobMarket: market.jobMarket, root: built.reasonHash, uploader: address, nowSec: Date.now() / 1000 });
            const signature = await signTypedData(wagmiConfig, typed);
            await uploadContent(config, new TextEncoder().encode(built.text), built.reasonHash, { uploader: typed.message.uploader, expires: typed.message.expires, signature });
            setShared({ state: 'stored' });
          } catch (error) {
            setShared({ state: 'failed', message: (error as Error).message.split('\n')[0] ?? 'unknown error' });
          } finally {
            setSharing(false);
          }
          if (await write.write('disputeJob', [BigInt(job.id), built.reasonHash])) {
            setSent({ text: built.text, reasonHash: built.reasonHash });
            onDone();
          }
        }}
      >
        <p className="small muted" style={{ margin: 0 }}>
          {resultHash ? (
            <>Your evidence cites the result manifest <span className="mono">{resultHash}</span> (check it with Verify result) and your reason. </>
          ) : (
            <>The job has no result yet; your evidence gives your reason. </>
          )}
          Your wallet signs the evidence into the content store, where the arbiter reads it; only its 0G root goes on-chain.
        </p>
        <Field label="What is wrong with the result" error={reason.length > MAX_REASON_CHARS ? `At most ${MAX_REASON_CHARS} characters` : undefined}>
          {(props) => <textarea {...props} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="The job exited with an error before writing its outputs." />}
        </Field>
        {built && <span className="small muted">reasonHash <span className="mono" data-testid="dispute-reason-hash">{built.reasonHash}</span></span>}
        <div className="row">
          <button type="submit" className="danger" disabled={write.busy || sharing || !built}>Dispute with this evidence</button>
        </div>
        {shared?.state === 'failed' && <UploadFailed message={shared.message} />}
        <TxStatusView status={write.status} label="Dispute" />
      </form>
    </div>
  );
}
