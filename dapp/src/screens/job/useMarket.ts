import { useRuntimeConfig } from '../../config/context';
import { useDeployment } from '../../contracts/deployment';

/** The chain and JobMarket of this deployment: what manifests and signed requests are bound to. */
export function useMarketIdentity(): { chainId: number; jobMarket: `0x${string}` | null; error: string | null } {
  const { chainId } = useRuntimeConfig();
  const deployment = useDeployment();
  return deployment.ok
    ? { chainId, jobMarket: deployment.deployment.contracts.JobMarket, error: null }
    : { chainId, jobMarket: null, error: deployment.error };
}
