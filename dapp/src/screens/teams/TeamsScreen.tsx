import { useState } from 'react';
import { useAccount } from 'wagmi';
import { parseEventLogs } from 'viem';
import { navigate } from '../../app/router';
import { ConnectPrompt } from '../../components/ConnectPrompt';
import { Field } from '../../components/Field';
import { Meter } from '../../components/charts/BarChart';
import { LoadState } from '../../components/States';
import { TxStatusView } from '../../components/TxStatusView';
import { teamRegistryAbi } from '../../contracts/abis';
import { useTeamRegistryWrite } from '../../contracts/writes';
import { formatUsdc } from '../../lib/format';
import { useMyTeams } from '../../subgraph/hooks';
import { PERIODS, parseCap } from './teamForm';

function CreateTeam() {
  const registry = useTeamRegistryWrite();
  const [name, setName] = useState('');
  const [cap, setCap] = useState('5000');
  const [period, setPeriod] = useState<number>(PERIODS[2].seconds);
  const [touched, setTouched] = useState(false);
  const parsed = parseCap(cap, period);
  const nameError = touched && !name.trim() ? 'Name is required' : undefined;
  return (
    <form
      className="stack"
      aria-labelledby="create-team-title"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setTouched(true);
        if (!name.trim() || 'error' in parsed) return;
        const receipt = await registry.write('createTeam', [name.trim(), parsed.cap, parsed.period]);
        if (!receipt) return;
        const [created] = parseEventLogs({ abi: teamRegistryAbi, eventName: 'TeamCreated', logs: receipt.logs });
        if (created) navigate(`/teams/${created.args.teamId.toString()}`);
      }}
    >
      <h2 id="create-team-title">Create a team</h2>
      <div className="grid three">
        <Field label="Team name" error={nameError}>{(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} placeholder="ML research" />}</Field>
        <Field label="Spending cap (USDC, 0 = none)" error={'error' in parsed ? parsed.error : undefined}>{(p) => <input {...p} inputMode="decimal" value={cap} onChange={(e) => setCap(e.target.value)} />}</Field>
        <Field label="Cap period">
          {(p) => (
            <select {...p} value={period} onChange={(e) => setPeriod(Number(e.target.value))}>
              {PERIODS.map((o) => <option key={o.seconds} value={o.seconds}>{o.label}</option>)}
            </select>
          )}
        </Field>
      </div>
      <button type="submit" className="primary" disabled={registry.busy}>Create team</button>
      <TxStatusView status={registry.status} label="Team creation" />
    </form>
  );
}

export default function TeamsScreen() {
  const { address } = useAccount();
  const teams = useMyTeams(address);
  if (!address)
    return (
      <section>
        <h1>Teams</h1>
        <ConnectPrompt what="see and create teams" />
      </section>
    );
  return (
    <section>
      <h1>Teams</h1>
      <div className="panel">
        <h2>My teams</h2>
        <LoadState value={teams} isEmpty={(d) => d.teamMembers.length === 0} empty="You are not in a team yet.">
          {(d) => (
            <table aria-label="My teams">
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col">Role</th>
                  <th scope="col">Members</th>
                  <th scope="col">Cap used this period</th>
                  <th scope="col" className="num">Total spent</th>
                </tr>
              </thead>
              <tbody>
                {d.teamMembers.map(({ team, owner }) => (
                  <tr key={team.id}>
                    <td><a href={`#/teams/${team.id}`}>#{team.id} {team.name}</a></td>
                    <td>{owner ? 'owner' : 'member'}</td>
                    <td>{team.memberCount}</td>
                    <td style={{ minWidth: 180 }}>
                      {team.spendingCap === 0n ? (
                        <span className="muted">no cap</span>
                      ) : (
                        <>
                          <Meter value={Number(team.spentInPeriod)} max={Number(team.spendingCap)} label={`Team ${team.name} cap used`} />
                          <span className="small">{formatUsdc(team.spentInPeriod)} of {formatUsdc(team.spendingCap)}</span>
                        </>
                      )}
                    </td>
                    <td className="num">{formatUsdc(team.totalSpent)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </LoadState>
      </div>
      <div className="panel">
        <CreateTeam />
      </div>
    </section>
  );
}
