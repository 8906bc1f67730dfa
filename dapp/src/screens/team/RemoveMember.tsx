import { useState } from 'react';
import { TxStatusView } from '../../components/TxStatusView';
import { useTeamRegistryWrite } from '../../contracts/writes';
import { shortAddress } from '../../lib/format';

/** The owner's "Remove" on a member's own row; asks before sending the transaction. */
export function RemoveMember({ teamId, address, onDone }: { teamId: string; address: string; onDone: () => void }) {
  const registry = useTeamRegistryWrite();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <>
        <button type="button" className="danger" onClick={() => setAsking(true)} aria-label={`Remove ${address} from the team`}>Remove</button>
        <TxStatusView status={registry.status} label="Remove member" />
      </>
    );
  return (
    <div className="stack" role="alertdialog" aria-label={`Remove ${shortAddress(address)}?`} data-testid="remove-confirm">
      <span className="small">Remove {shortAddress(address)}? They can no longer charge jobs to the team; their running jobs continue.</span>
      <div className="row">
        <button type="button" className="danger" disabled={registry.busy} onClick={async () => { if (await registry.write('removeMember', [BigInt(teamId), address as `0x${string}`])) { setAsking(false); onDone(); } }}>
          Yes, remove
        </button>
        <button type="button" disabled={registry.busy} onClick={() => setAsking(false)}>Keep</button>
      </div>
      <TxStatusView status={registry.status} label="Remove member" />
    </div>
  );
}
