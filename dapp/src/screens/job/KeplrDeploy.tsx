// "Deploy with Keplr": an Akash-routed job whose document names the buyer's own Akash address. The buyer signs
// MsgCreateDeployment (deposit from the operator's grant), sees the bids (relayed by the keeper), accepts the routed
// provider's bid (MsgCreateLease), sends the manifest with a gateway JWT their key signs, then follows the lease
// status and logs (relayed: providers serve self-signed TLS). The keeper reports start and completion.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AkashSelfSignView } from '@necto/keeper/domain';
import { useKeeper } from '../../keeper/context';
import { connectKeplr, KeplrError, type KeplrAkashAccount } from '../../akash/keplr';
// The signing code (cosmjs, the Akash SDK) loads only when the buyer uses it.
const selfSign = () => import('../../akash/selfSign');
import { ErrorNotice, Loading } from '../../components/States';

type Busy = null | 'connect' | 'deploy' | 'accept' | 'manifest' | 'authorize';

/** Chain decimals without their trailing zeros ("4078.000000000000000000" → "4078"). */
const dec = (amount: string) => amount.replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1');
const ACT = (c: { denom: string; amount: string }) => (c.denom === 'uact' ? `${(Number(c.amount) / 1e6).toFixed(2)} ACT` : `${c.amount} ${c.denom}`);

export function useAkashSelfSign(jobId: string, intervalMs = 2_000) {
  const keeper = useKeeper();
  return useQuery({
    queryKey: ['akash-self-sign', keeper.baseUrl, jobId],
    queryFn: ({ signal }) => keeper.akashSelfSign(jobId, signal),
    refetchInterval: (q) => (q.state.data?.deployment?.state === 'closed' ? false : intervalMs),
  });
}

export function KeplrDeploy({ jobId, routeSdlHash, durationSec }: { jobId: string; routeSdlHash: string; durationSec: number }) {
  const q = useAkashSelfSign(jobId);
  if (q.isPending) return <div className="panel"><h2>Deploy with Keplr</h2><Loading label="Loading the self-signed Akash round" /></div>;
  if (q.isError) return <div className="panel"><h2>Deploy with Keplr</h2><ErrorNotice title="The keeper could not say how this Akash round is signed" message={(q.error as Error).message} onRetry={() => void q.refetch()} /></div>;
  if (!q.data) return null;
  return <KeplrPanel view={q.data} routeSdlHash={routeSdlHash} durationSec={durationSec} />;
}

function KeplrPanel({ view, routeSdlHash, durationSec }: { view: AkashSelfSignView; routeSdlHash: string; durationSec: number }) {
  const keeper = useKeeper();
  const client = useQueryClient();
  const [account, setAccount] = useState<KeplrAkashAccount | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  const [accepted, setAccepted] = useState(false);
  const d = view.deployment;
  const leased = Boolean(d?.lease) || accepted;
  const manifestSent = d !== null && ['manifest-sent', 'running', 'closed'].includes(d.state) && d.lease !== null;
  const standin = view.network === 'akash-standin';
  const refresh = () => client.invalidateQueries({ queryKey: ['akash-self-sign', keeper.baseUrl, view.jobId] });

  const run = async (what: Exclude<Busy, null>, work: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await work();
      await refresh();
    } catch (e) {
      setError(e instanceof KeplrError && e.reason === 'missing' ? e.message : e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  const needAccount = () => {
    if (!account) throw new Error('Connect Keplr first.');
    return account;
  };

  const bids = useQuery({
    queryKey: ['akash-bids', keeper.baseUrl, view.jobId, d?.dseq],
    queryFn: ({ signal }) => keeper.akashBids(view.jobId, signal),
    enabled: d !== null && !leased,
    refetchInterval: 1_500,
  });
  const status = useQuery({
    queryKey: ['akash-lease-status', keeper.baseUrl, view.jobId, token],
    queryFn: ({ signal }) => keeper.akashLeaseStatus(view.jobId, token!, signal),
    enabled: token !== null && manifestSent,
    refetchInterval: d?.state === 'closed' ? false : 2_000,
  });
  const logs = useQuery({
    queryKey: ['akash-lease-logs', keeper.baseUrl, view.jobId, token],
    queryFn: ({ signal }) => keeper.akashLeaseLogs(view.jobId, token!, signal),
    enabled: token !== null && manifestSent,
    refetchInterval: d?.state === 'closed' ? false : 2_000,
  });

  return (
    <div className="panel" aria-label="Deploy with Keplr">
      <h2>Deploy with Keplr</h2>
      <p className="small">
        <span className={standin ? 'badge warn' : 'badge'} data-testid="keplr-network">{standin ? 'local Akash stand-in' : `Akash (${view.chainId})`}</span>{' '}
        You sign this job’s Akash deployment with your own wallet, <code>{view.owner}</code>.
      </p>
      <p className="small" data-testid="keplr-grant">
        The deposit ({ACT(view.deposit)}) comes from the operator’s grant and the fees from its allowance: your USDC stays in escrow on Necto and pays
        them back when the job settles, so you pay once.
      </p>
      <ol className="small" aria-label="Keplr steps">
        <li>
          {account ? (
            <span data-testid="keplr-account">Keplr connected: <code>{account.address}</code></span>
          ) : (
            <button type="button" className="btn" disabled={busy !== null} onClick={() => void run('connect', async () => {
              const a = await connectKeplr({ chainId: view.chainId, rest: view.nodeUrl, name: standin ? 'Akash (local stand-in)' : 'Akash' });
              if (a.address !== view.owner) throw new Error(`Keplr's account ${a.address} is not this job's Akash signer ${view.owner}. Switch accounts in Keplr.`);
              setAccount(a);
            })}>
              {busy === 'connect' ? 'Connecting…' : 'Connect Keplr'}
            </button>
          )}
        </li>
        <li>
          {d ? (
            <span data-testid="keplr-dseq">Deployment <code>{d.dseq}</code> created · {d.state}</span>
          ) : (
            <button type="button" className="btn primary" disabled={!account || busy !== null} onClick={() => void run('deploy', async () => {
              const sdl = await keeper.sdl(view.jobId);
              const dseq = await (await selfSign()).createDeployment(view, needAccount(), sdl.yaml, routeSdlHash);
              await keeper.reportAkashDeployment(view.jobId, dseq);
            })}>
              {busy === 'deploy' ? 'Waiting for Keplr…' : 'Deploy with Keplr'}
            </button>
          )}
        </li>
        {d && (
          <li>
            {leased ? (
              <span data-testid="keplr-lease">Lease with <code>{d.lease?.provider ?? view.provider}</code>{d.lease ? ` at ${dec(d.lease.price.amount)} ${d.lease.price.denom} per block` : ''}</span>
            ) : (
              <BidList bids={bids.data ?? null} loading={bids.isPending} error={bids.isError ? (bids.error as Error).message : null} disabled={!account || busy !== null}
                onAccept={(bid) => void run('accept', async () => {
                  await (await selfSign()).acceptBid(view, needAccount(), bid);
                  setAccepted(true);
                })} />
            )}
          </li>
        )}
        {d && leased && (
          <li>
            {manifestSent ? (
              <span data-testid="keplr-manifest">Manifest sent</span>
            ) : (
              <button type="button" className="btn primary" disabled={!account || busy !== null} onClick={() => void run('manifest', async () => {
                const a = needAccount();
                const t = await (await selfSign()).leaseToken(view, a, BigInt(d.dseq), durationSec + 3_600);
                await keeper.sendAkashManifest(view.jobId, t);
                setToken(t);
              })}>
                {busy === 'manifest' ? 'Waiting for Keplr…' : 'Send manifest'}
              </button>
            )}
          </li>
        )}
      </ol>
      {manifestSent && !token && (
        <button type="button" className="btn" disabled={!account || busy !== null} onClick={() => void run('authorize', async () => setToken(await (await selfSign()).leaseToken(view, needAccount(), BigInt(d!.dseq), durationSec + 3_600)))}>
          Show lease status and logs (sign with Keplr)
        </button>
      )}
      {token && manifestSent && (
        <div>
          <p className="small" data-testid="keplr-lease-status">
            {status.data
              ? Object.values(status.data.services).map((s) => `${s.name}: ${s.ready_replicas >= 1 ? 'ready' : 'not ready'}`).join(', ') || 'no services yet'
              : status.isError ? `Lease status unavailable: ${(status.error as Error).message}` : 'Waiting for the lease status…'}
          </p>
          <pre className="log" data-testid="keplr-lease-logs" tabIndex={0} aria-label="Lease logs">{logs.data?.text ?? ''}</pre>
        </div>
      )}
      {d?.end && <p className="small" data-testid="keplr-end">Ended: {d.end.reason}{d.end.detail ? ` — ${d.end.detail}` : ''}</p>}
      {error && <div className="notice error" role="alert" data-testid="keplr-error">{error}</div>}
    </div>
  );
}

function BidList({ bids, loading, error, disabled, onAccept }: {
  bids: Array<{ id: { owner: string; dseq: string; gseq: number; oseq: number; provider: string; bseq: number }; state: string; price: { denom: string; amount: string }; routed: boolean }> | null;
  loading: boolean; error: string | null; disabled: boolean; onAccept: (bid: { owner: string; dseq: string; gseq: number; oseq: number; provider: string; bseq: number }) => void;
}) {
  if (error) return <span className="small">Bids unavailable: {error}</span>;
  if (loading || !bids || bids.length === 0) return <span className="small" data-testid="keplr-bids-waiting">Waiting for bids…</span>;
  return (
    <table aria-label="Akash bids" tabIndex={0}>
      <thead><tr><th>Provider</th><th>Price per block</th><th /></tr></thead>
      <tbody>
        {bids.map((b) => (
          <tr key={`${b.id.provider}-${b.id.gseq}-${b.id.oseq}-${b.id.bseq}`} data-testid="keplr-bid">
            <td><code>{b.id.provider}</code></td>
            <td>{dec(b.price.amount)} {b.price.denom}</td>
            <td>{b.routed && b.state === 'open' ? <button type="button" className="btn primary" disabled={disabled} onClick={() => onAccept(b.id)}>Accept bid</button> : <span className="small muted">{b.routed ? b.state : 'not the routed provider'}</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
