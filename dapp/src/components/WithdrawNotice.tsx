import { useAccount } from 'wagmi';
import { useJobMarketWrite } from '../contracts/writes';
import { formatUsdc } from '../lib/format';
import { useAccountBalances } from '../subgraph/hooks';
import { TxStatusView } from './TxStatusView';

/** Refunds and payouts waiting in escrow for the connected wallet, announced on every screen with one-click withdraw. */
export function WithdrawNotice() {
  const { address } = useAccount();
  const balances = useAccountBalances(address);
  const market = useJobMarketWrite();
  const withdrawable = balances.data?.account?.withdrawable ?? 0n;
  if (!address) return null;
  if (withdrawable === 0n) return null;
  return (
    <div className="notice ok spread" role="status" data-testid="withdraw-notice" style={{ marginBottom: '1rem' }}>
      <span>
        <strong data-testid="withdraw-amount">{formatUsdc(withdrawable)}</strong> ready to withdraw (refunds and payouts waiting in escrow for your wallet).
      </span>
      <button type="button" className="primary" disabled={market.busy} onClick={async () => { if (await market.write('withdraw', [])) balances.refetch(); }}>
        Withdraw {formatUsdc(withdrawable)}
      </button>
      {market.status.phase !== 'idle' && market.status.phase !== 'confirmed' && <TxStatusView status={market.status} label="Withdrawal" />}
    </div>
  );
}
