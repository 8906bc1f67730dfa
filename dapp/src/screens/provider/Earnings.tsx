import { useAccount } from 'wagmi';
import { BarChart } from '../../components/charts/BarChart';
import { TxStatusView } from '../../components/TxStatusView';
import { useJobMarketWrite } from '../../contracts/writes';
import { formatDay, formatUsdShort, formatUsdc } from '../../lib/format';
import { useAccountBalances } from '../../subgraph/hooks';
import type { ProviderDetail } from '../../subgraph/queries';

/** Fills missing days with zero so the chart's x axis is continuous (last `days` days up to today). */
export function dailySeries(points: readonly { day: number; value: bigint }[], today: number, days = 14): { label: string; value: number }[] {
  const byDay = new Map(points.map((p) => [p.day, p.value]));
  const series: { label: string; value: number }[] = [];
  for (let day = today - days + 1; day <= today; day++) series.push({ label: formatDay(day), value: Number(byDay.get(day) ?? 0n) / 1e6 });
  return series;
}

const usd = formatUsdShort;

/** "3 · 100%"; with no job yet there is no rate to show. */
export function onTimeText(completed: number, onTimeRate: number | null, started: number | null): string {
  if ((started ?? completed) === 0) return 'no jobs yet';
  return `${completed} · ${onTimeRate === null ? '—' : `${Math.round(onTimeRate * 100)}%`}`;
}

export function Earnings({ provider, jobs }: { provider: ProviderDetail; jobs: readonly { id: string; payout: bigint; fee: bigint; status: string }[] }) {
  const { address } = useAccount();
  const balances = useAccountBalances(provider.payout);
  const market = useJobMarketWrite();
  const today = Math.floor(Date.now() / 86_400_000);
  const series = dailySeries(provider.dayEarnings.map((d) => ({ day: d.day, value: d.earned })), today);
  const withdrawable = balances.data?.account?.withdrawable ?? 0n;
  const payoutIsMe = address?.toLowerCase() === provider.payout.toLowerCase();
  const paidJobs = jobs.filter((j) => j.payout > 0n);
  return (
    <div className="panel stack" aria-labelledby="earnings-title">
      <h2 id="earnings-title">Earnings</h2>
      <div className="grid three">
        <div className="stat">
          <div className="label">Total earned</div>
          <div className="value" data-testid="total-earned">{formatUsdc(provider.stats?.totalEarned ?? 0n)}</div>
        </div>
        <div className="stat">
          <div className="label">Withdrawable</div>
          <div className="value" data-testid="withdrawable">{balances.state === 'loading' ? '…' : formatUsdc(withdrawable)}</div>
        </div>
        <div className="stat">
          <div className="label">Jobs completed · on-time starts</div>
          <div className="value" data-testid="on-time">
            {onTimeText(provider.stats?.jobsCompleted ?? 0, provider.stats?.onTimeStartRate ?? null, provider.stats?.jobsStarted ?? null)}
          </div>
        </div>
      </div>
      <div className="row">
        <button type="button" className="primary" disabled={!payoutIsMe || withdrawable === 0n || market.busy} onClick={async () => { if (await market.write('withdraw', [])) balances.refetch(); }}>
          Withdraw {formatUsdc(withdrawable)}
        </button>
        {!payoutIsMe && <span className="small muted">Withdraw from the payout address {provider.payout}.</span>}
      </div>
      <TxStatusView status={market.status} label="Withdrawal" />
      <h3>Per day (last 14 days)</h3>
      <BarChart data={series} title="Provider earnings per day, USDC" formatValue={usd} />
      <h3>Per job</h3>
      {paidJobs.length === 0 ? (
        <div className="empty">No paid job yet.</div>
      ) : (
        <table aria-label="Earnings per job">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">Payout</th>
              <th scope="col" className="num">Protocol fee</th>
            </tr>
          </thead>
          <tbody>
            {paidJobs.map((j) => (
              <tr key={j.id}>
                <td><a href={`#/jobs/${j.id}`}>#{j.id}</a></td>
                <td>{j.status}</td>
                <td className="num">{formatUsdc(j.payout)}</td>
                <td className="num">{formatUsdc(j.fee)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
