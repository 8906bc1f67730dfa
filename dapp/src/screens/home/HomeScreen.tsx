import { ActivityFeed } from '../../components/ActivityFeed';
import { LoadState } from '../../components/States';
import { formatUsdc } from '../../lib/format';
import { useActivity, useProtocol } from '../../subgraph/hooks';

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <div className="label">{label}</div>
      <div className="value">{value}</div>
    </div>
  );
}

export default function HomeScreen() {
  const protocol = useProtocol();
  const activity = useActivity({ first: 8 });
  return (
    <section>
      <div className="spread">
        <h1>GPU compute, routed and verifiable</h1>
        <a className="button primary" href="#/submit" style={{ background: 'var(--accent-strong)', color: '#fff' }}>Submit a job</a>
      </div>
      <p className="muted">
        Post a GPU job with a USDC budget in escrow. The Necto agent compares on-chain providers, Akash and other markets,
        logs its reasoning to 0G Storage and commits the decision on-chain, where anyone can verify it.
      </p>
      <div className="panel">
        <h2>Marketplace</h2>
        <LoadState value={protocol} isEmpty={(d) => d.protocol === null} empty="No activity on this deployment yet.">
          {({ protocol: p }) => (
            <div className="grid three">
              <Stat label="Jobs submitted" value={p!.jobsTotal.toString()} />
              <Stat label="Running now" value={p!.jobsRunning.toString()} />
              <Stat label="Settled" value={p!.jobsSettled.toString()} />
              <Stat label="Active providers" value={p!.activeProviders.toString()} />
              <Stat label="Active offers" value={p!.activeOffers.toString()} />
              <Stat label="In escrow" value={formatUsdc(p!.escrowBalance)} />
              <Stat label="Paid to providers" value={formatUsdc(p!.volumePaid)} />
              <Stat label="Teams" value={p!.teamsTotal.toString()} />
            </div>
          )}
        </LoadState>
      </div>
      <div className="panel">
        <div className="spread">
          <h2>Latest activity</h2>
          <a href="#/activity">Full feed</a>
        </div>
        <LoadState value={activity} isEmpty={(d) => d.activityEvents.length === 0} empty="No activity yet.">
          {(d) => <ActivityFeed events={d.activityEvents} />}
        </LoadState>
      </div>
    </section>
  );
}
