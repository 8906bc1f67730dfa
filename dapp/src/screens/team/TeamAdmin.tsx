import { useState } from 'react';
import { isAddress } from 'viem';
import { Field } from '../../components/Field';
import { TxStatusView } from '../../components/TxStatusView';
import { useTeamRegistryWrite } from '../../contracts/writes';
import { formatUsdc } from '../../lib/format';
import type { TeamDetail } from '../../subgraph/queries';
import { PERIODS, parseCap } from '../teams/teamForm';

/** Owner tools: add members, set the cap (members are removed on their own row). */
export function TeamAdmin({ team, onDone }: { team: TeamDetail; onDone: () => void }) {
  const registry = useTeamRegistryWrite();
  const [member, setMember] = useState('');
  const [cap, setCap] = useState(formatUsdc(team.spendingCap, { symbol: false }).replace(/,/g, ''));
  const [period, setPeriod] = useState<number>(Number(team.period) || PERIODS[2].seconds);
  const [label, setLabel] = useState('');
  const id = BigInt(team.id);
  const parsedCap = parseCap(cap, period);
  const memberError = member && !isAddress(member) ? 'Enter an address (0x…)' : undefined;
  const run = async (name: string, p: () => Promise<unknown>) => {
    setLabel(name);
    if (await p()) onDone();
  };
  return (
    <div className="stack">
      <form className="row" onSubmit={(e) => { e.preventDefault(); if (isAddress(member)) void run('Add member', () => registry.write('addMember', [id, member])); }}>
        <Field label="Add a member" error={memberError}>{(p) => <input {...p} className="mono" value={member} onChange={(e) => setMember(e.target.value)} placeholder="0x…" />}</Field>
        <button type="submit" disabled={registry.busy || !isAddress(member)} style={{ alignSelf: 'end' }}>Add member</button>
      </form>
      <form className="row" onSubmit={(e) => { e.preventDefault(); if (!('error' in parsedCap)) void run('Set cap', () => registry.write('setSpendingCap', [id, parsedCap.cap, parsedCap.period])); }}>
        <Field label="Spending cap (USDC, 0 = none)" error={'error' in parsedCap ? parsedCap.error : undefined}>{(p) => <input {...p} inputMode="decimal" value={cap} onChange={(e) => setCap(e.target.value)} />}</Field>
        <Field label="Period">
          {(p) => (
            <select {...p} value={period} onChange={(e) => setPeriod(Number(e.target.value))}>
              {PERIODS.map((o) => <option key={o.seconds} value={o.seconds}>{o.label}</option>)}
            </select>
          )}
        </Field>
        <button type="submit" disabled={registry.busy || 'error' in parsedCap} style={{ alignSelf: 'end' }}>Set cap</button>
      </form>
      <TxStatusView status={registry.status} label={label || 'Team update'} />
    </div>
  );
}
