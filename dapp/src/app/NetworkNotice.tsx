import { useAccount, useSwitchChain } from 'wagmi';
import { useRuntimeConfig } from '../config/context';

/** Warns when the wallet is on another chain than the one Necto is configured for. */
export function NetworkNotice() {
  const { chainId: walletChainId, isConnected } = useAccount();
  const { chainId } = useRuntimeConfig();
  const { switchChain, isPending } = useSwitchChain();
  if (!isConnected || walletChainId === chainId) return null;
  return (
    <div className="notice error" role="alert" style={{ marginBottom: '1rem' }}>
      Your wallet is on chain {walletChainId}; Necto runs on chain {chainId}.{' '}
      <button type="button" onClick={() => switchChain({ chainId })} disabled={isPending}>
        Switch network
      </button>
    </div>
  );
}
