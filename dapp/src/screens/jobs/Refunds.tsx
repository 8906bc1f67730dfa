import { useAccount } from 'wagmi';
import { TxStatusView } from '../../components/TxStatusView';
import { useJobMarketWrite } from '../../contracts/writes';
import { formatUsdc } from '../../lib/format';
import { useAccountBalances } from '../../subgraph/hooks';

/** Escrow pays by pull: refunds of unspent budget wait in the buyer's withdrawable balance. */
export function Refunds() {
  const { address } = useAccount();
  const balances = useAccountBalances(address);
  const market = useJobMarketWrite();
  const account = balances.data?.account;
  const withdrawable = account?.withdrawable ?? 0n;
  return (
    <div className="panel stack" aria-labelledby="refunds-title">
      <div className="spread">
        <h2 id="refunds-title">Refunds</h2>
        <button type="button" className="primary" disabled={withdrawable === 0n || market.busy} onClick={async () => { if (await market.write('withdraw', [])) balances.refetch(); }}>
          Withdraw {formatUsdc(withdrawable)}
        </button>
      </div>
      <p className="small muted" data-testid="refunds">
        {balances.state === 'loading' ? 'Loading…' : `${formatUsdc(withdrawable)} of unspent budget is waiting for you; ${formatUsdc(account?.totalRefunded ?? 0n)} refunded in total.`}
      </p>
      <TxStatusView status={market.status} label="Withdrawal" />
    </div>
  );
}
