import { useAccount } from 'wagmi';
import { TxStatusView } from '../../components/TxStatusView';
import { useUsdcWrite } from '../../contracts/writes';

const FAUCET_AMOUNT = 10_000n * 1_000_000n;

/** Mints test USDC where the MockUSDC faucet is open (the local chain). */
export function Faucet({ onMinted }: { onMinted: () => void }) {
  const { address } = useAccount();
  const usdc = useUsdcWrite();
  if (!address) return null;
  return (
    <div className="stack">
      <button
        type="button"
        disabled={usdc.busy}
        onClick={async () => {
          if (await usdc.write('faucet', [address, FAUCET_AMOUNT])) onMinted();
        }}
      >
        Get 10,000 test USDC
      </button>
      <TxStatusView status={usdc.status} label="Faucet" />
    </div>
  );
}
