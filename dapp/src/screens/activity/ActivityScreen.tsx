import { useState } from 'react';
import { useAccount } from 'wagmi';
import { ActivityFeed } from '../../components/ActivityFeed';
import { LoadState } from '../../components/States';
import { useActivity } from '../../subgraph/hooks';

export default function ActivityScreen() {
  const { address } = useAccount();
  const [mineOnly, setMineOnly] = useState(false);
  const activity = useActivity({ first: 60, involves: mineOnly ? address : undefined });
  return (
    <section>
      <div className="spread">
        <h1>Activity</h1>
        <label className="row">
          <input type="checkbox" checked={mineOnly} disabled={!address} onChange={(e) => setMineOnly(e.target.checked)} />
          Only events involving my wallet
        </label>
      </div>
      <p className="muted small">Live from the subgraph, newest first.</p>
      <div className="panel">
        <LoadState value={activity} isEmpty={(d) => d.activityEvents.length === 0} empty="No activity yet.">
          {(d) => <ActivityFeed events={d.activityEvents} />}
        </LoadState>
      </div>
    </section>
  );
}
