import { useAccount } from 'wagmi';
import type { ScreenProps } from '../../app/router';
import { BarChart, HorizontalBars, Meter } from '../../components/charts/BarChart';
import { JobsTable } from '../../components/JobsTable';
import { ErrorNotice, Loading } from '../../components/States';
import { formatDuration, formatTimestamp, formatUsdShort, formatUsdc, shortAddress } from '../../lib/format';
import { useProtocol, useTeam } from '../../subgraph/hooks';
import { dailySeries } from '../provider/Earnings';
import { RemoveMember } from './RemoveMember';
import { TeamAdmin } from './TeamAdmin';

const usd = formatUsdShort;

/** Sums spending per provider over the day buckets. */
export function spendByProvider(rows: readonly { providerRef: string; provider?: { name: string } | null; market?: string | null; externalId?: string | null; spent: bigint }[]) {
  const totals = new Map<string, { label: string; value: bigint }>();
  for (const row of rows) {
    const label = row.provider?.name ?? (row.market ? `${row.market}: ${shortAddress(row.externalId ?? '', 6)}` : shortAddress(row.providerRef));
    const entry = totals.get(row.providerRef) ?? { label, value: 0n };
    entry.value += row.spent;
    totals.set(row.providerRef, entry);
  }
  return [...totals.values()].sort((a, b) => (b.value > a.value ? 1 : b.value < a.value ? -1 : 0));
}

/** A team id the subgraph does not know: beyond the team count it does not exist; otherwise it is not indexed yet. */
function MissingTeam({ id }: { id: string }) {
  const total = useProtocol().data?.protocol?.teamsTotal;
  if (!/^\d+$/.test(id)) return <div className="notice error" role="alert">“{id}” is not a team id.</div>;
  if (total !== undefined && BigInt(id) > total)
    return (
      <div className="notice error" role="alert" data-testid="team-missing">
        Team #{id} does not exist: {total === 0n ? 'no team has been created yet' : `there are ${total.toLocaleString('en-US')} teams, #1 to #${total.toLocaleString('en-US')}`}.{' '}
        <a href="#/teams">Teams</a>
      </div>
    );
  return <div className="empty">The subgraph has not indexed team #{id} yet. This page updates by itself.</div>;
}

export default function TeamScreen({ match }: ScreenProps) {
  const id = match.params.id ?? '';
  const { address } = useAccount();
  const result = useTeam(/^\d+$/.test(id) ? id : '0');
  const team = result.data?.team;
  if (result.state === 'loading' || !team) {
    return (
      <section>
        <h1>Team #{id}</h1>
        {result.state === 'loading' ? (
          <Loading label="Loading team" lines={6} />
        ) : result.state === 'error' ? (
          <ErrorNotice message={result.error} onRetry={result.refetch} />
        ) : (
          <MissingTeam id={id} />
        )}
      </section>
    );
  }
  const isOwner = address?.toLowerCase() === team.owner.toLowerCase();
  const today = Math.floor(Date.now() / 86_400_000);
  const perDay = dailySeries(team.daySpend.map((d) => ({ day: d.day, value: d.spent })), today);
  const deposits = dailySeries(team.daySpend.map((d) => ({ day: d.day, value: d.deposited })), today);
  const perMember = team.members
    .filter((m) => m.spent > 0n || m.deposited > 0n)
    .map((m) => ({ label: shortAddress(m.address), value: Number(m.spent) / 1e6 }))
    .sort((a, b) => b.value - a.value);
  const perProvider = spendByProvider(result.data?.teamProviderDaySpends ?? []).map((p) => ({ label: p.label, value: Number(p.value) / 1e6 }));
  const periodEnd = Number(team.periodStart) + Number(team.period);
  return (
    <section>
      <h1>
        Team #{team.id} · {team.name}
      </h1>
      {result.state === 'error' && <ErrorNotice title="Showing the last data received" message={result.error} />}
      <div className="panel">
        <h2>Spending cap</h2>
        {team.spendingCap === 0n ? (
          <p className="muted">No cap: team jobs are not limited.</p>
        ) : (
          <div className="stack">
            <Meter value={Number(team.spentInPeriod)} max={Number(team.spendingCap)} label="Cap used in the current period" />
            <div className="spread small">
              <span data-testid="cap-used">
                {formatUsdc(team.spentInPeriod)} of {formatUsdc(team.spendingCap)} used ({Math.round((Number(team.spentInPeriod) / Number(team.spendingCap)) * 100)}%)
              </span>
              <span className="muted">
                this {formatDuration(Number(team.period))} period, resets {formatTimestamp(periodEnd)}
              </span>
            </div>
          </div>
        )}
        <p className="small muted" data-testid="cap-explained">
          {team.spendingCap === 0n ? '' : 'The cap counts what team jobs committed in the current period (budgets held, less refunds); '}
          “Total spent” counts what was paid to providers, fees included, since the team was created.
        </p>
        <div className="grid three" style={{ marginTop: '0.75rem' }}>
          <div className="stat"><div className="label">Total spent (all time)</div><div className="value" data-testid="team-spent">{formatUsdc(team.totalSpent)}</div></div>
          <div className="stat"><div className="label">Deposited</div><div className="value">{formatUsdc(team.totalDeposited)}</div></div>
          <div className="stat"><div className="label">Jobs</div><div className="value">{team.jobsSubmitted}</div></div>
        </div>
      </div>
      <div className="grid two">
        <div className="panel">
          <h2>Spent per day</h2>
          <BarChart data={perDay} title="Team spending per day, USDC (paid to providers plus fees)" formatValue={usd} />
          <h3>Budgets deposited per day</h3>
          <BarChart data={deposits} title="Team budgets deposited per day, USDC" formatValue={usd} height={140} />
        </div>
        <div className="panel stack">
          <h2>Per member</h2>
          {perMember.length ? <HorizontalBars data={perMember} title="Spending per member, USDC" formatValue={usd} /> : <div className="empty">No spending yet.</div>}
          <h2>Per provider</h2>
          {perProvider.length ? <HorizontalBars data={perProvider} title="Spending per provider, USDC" formatValue={usd} /> : <div className="empty">No provider paid yet.</div>}
        </div>
      </div>
      <div className="panel">
        <h2>Members</h2>
        <table aria-label="Team members">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col" className="num">Jobs</th>
              <th scope="col" className="num">Deposited</th>
              <th scope="col" className="num">Spent</th>
              {isOwner && <th scope="col"><span className="sr-only">Remove</span></th>}
            </tr>
          </thead>
          <tbody>
            {team.members.filter((m) => m.active).map((m) => (
              <tr key={m.id}>
                <td className="mono">{m.address}</td>
                <td>{m.owner ? 'owner' : 'member'}</td>
                <td className="num">{m.jobsSubmitted}</td>
                <td className="num">{formatUsdc(m.deposited)}</td>
                <td className="num">{formatUsdc(m.spent)}</td>
                {isOwner && <td>{!m.owner && <RemoveMember teamId={team.id} address={m.address} onDone={result.refetch} />}</td>}
              </tr>
            ))}
          </tbody>
        </table>
        {isOwner && (
          <div style={{ marginTop: '1rem' }}>
            <TeamAdmin team={team} onDone={result.refetch} />
          </div>
        )}
      </div>
      <div className="panel">
        <h2>Team jobs</h2>
        {team.jobs.length ? <JobsTable jobs={team.jobs} label="Team jobs" /> : <div className="empty">No team job yet.</div>}
      </div>
    </section>
  );
}
