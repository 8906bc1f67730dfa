import { useState } from 'react';
import { useAccount } from 'wagmi';
import { Field } from '../../components/Field';
import { TxStatusView } from '../../components/TxStatusView';
import { useUsdcAccount } from '../../contracts/usdc';
import { useJobMarketWrite, useUsdcWrite } from '../../contracts/writes';
import { parseUsdc } from '../../lib/format';
import type { JobStatusName } from '../../lib/jobStatus';
import type { JobDetail } from '../../subgraph/queries';
import { CancelConfirm } from './CancelConfirm';

/** Which actions the connected wallet may take on the job now (mirrors the contract's checks). */
export function availableActions(job: JobDetail, account: string | undefined): Set<string> {
  const actions = new Set<string>();
  if (!account) return actions;
  const me = account.toLowerCase();
  const isBuyer = job.buyer.id.toLowerCase() === me;
  const s: JobStatusName = job.status;
  if (isBuyer) {
    if (s === 'Routed') actions.add('accept').add('reject');
    if (s === 'Open' || s === 'Routed' || s === 'Accepted' || s === 'Running') actions.add('cancel');
    if (s === 'Completed') actions.add('confirm');
    if (s === 'Running' || s === 'Completed') actions.add('dispute');
    if (s === 'Open' || s === 'Routed' || s === 'Accepted' || s === 'Running') actions.add('topUp');
  }
  // No manual start or completion for the provider: its agent starts the container, writes the result manifest and
  // completes the job with the manifest's root, the only resultHash anyone can check.
  return actions;
}

export function JobActions({ job, onDone }: { job: JobDetail; onDone: () => void }) {
  const { address } = useAccount();
  const market = useJobMarketWrite();
  const usdc = useUsdcWrite();
  const usdcAccount = useUsdcAccount();
  const [label, setLabel] = useState('');
  const [topUpAmount, setTopUpAmount] = useState('10');
  const [topUpHours, setTopUpHours] = useState('1');
  const [confirmCancel, setConfirmCancel] = useState(false);
  const actions = availableActions(job, address);
  const id = BigInt(job.id);

  async function run(name: string, action: () => Promise<unknown>) {
    setLabel(name);
    usdc.reset();
    if (await action()) onDone();
  }

  const topUpValue = parseUsdc(topUpAmount);
  const topUpSeconds = Math.round(Number(topUpHours) * 3600);
  const topUpValid = topUpValue !== null && topUpValue > 0n && Number.isFinite(topUpSeconds) && topUpSeconds >= 0;

  if (!address) return <div className="empty">Connect the buyer’s or the provider’s wallet to act on this job.</div>;
  if (actions.size === 0) return <div className="empty">No action for your wallet in the job’s current state.</div>;
  const busy = market.busy || usdc.busy;
  return (
    <div className="stack">
      <div className="row">
        {actions.has('accept') && <button className="primary" disabled={busy} onClick={() => run('Accept route', () => market.write('acceptRoute', [id]))}>Accept route</button>}
        {actions.has('reject') && <button disabled={busy} onClick={() => run('Reject route', () => market.write('rejectRoute', [id]))}>Reject route</button>}
        {actions.has('confirm') && <button className="primary" disabled={busy} onClick={() => run('Confirm job', () => market.write('confirmJob', [id]))}>Confirm and pay</button>}
        {actions.has('cancel') && <button className="danger" disabled={busy || confirmCancel} onClick={() => setConfirmCancel(true)}>Cancel job</button>}
      </div>
      {actions.has('cancel') && confirmCancel && (
        <CancelConfirm
          job={job}
          busy={busy}
          onKeep={() => setConfirmCancel(false)}
          onConfirm={() => void run('Cancel job', async () => { const done = await market.write('cancelJob', [id]); setConfirmCancel(false); return done; })}
        />
      )}
      {actions.has('dispute') && <p className="small muted" style={{ margin: 0 }}>To dispute, use the Dispute panel: it cites the result manifest as evidence.</p>}
      {actions.has('topUp') && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (!topUpValid || !market.address) return;
            void run('Top up', async () => {
              if ((usdcAccount.allowance ?? 0n) < topUpValue!) {
                if (!(await usdc.write('approve', [market.address!, topUpValue!]))) return null;
              }
              return market.write('topUp', [id, topUpValue!, topUpSeconds]);
            });
          }}
        >
          <Field label="Top-up (USDC)" error={topUpValue === null ? 'Enter a USDC amount' : undefined}>
            {(props) => <input {...props} inputMode="decimal" value={topUpAmount} onChange={(e) => setTopUpAmount(e.target.value)} />}
          </Field>
          <Field label="Extra run time (hours)">
            {(props) => <input {...props} inputMode="decimal" value={topUpHours} onChange={(e) => setTopUpHours(e.target.value)} />}
          </Field>
          <button type="submit" disabled={busy || !topUpValid} style={{ alignSelf: 'end' }}>Top up</button>
        </form>
      )}
      <TxStatusView status={usdc.status} label="USDC approval" />
      <TxStatusView status={market.status} label={label || 'Transaction'} />
    </div>
  );
}
