import { createConfig, http, injected, type Config, type CreateConnectorFn } from 'wagmi';
import type { RuntimeConfig } from '../config/schema';
import { chainsFor } from '../config/chains';

/**
 * The wagmi config. `getDefaultConfig` is not used: it throws without a WalletConnect project id, and the
 * WalletConnect connector hangs offline. Injected wallets always; WalletConnect only when a project id is
 * configured (its SDK is then loaded on demand).
 */
export async function createWagmiConfig(config: RuntimeConfig): Promise<Config> {
  const chains = chainsFor(config);
  const connectors: CreateConnectorFn[] = [injected({ shimDisconnect: true })];
  if (config.walletConnectProjectId) {
    const { walletConnect } = await import('wagmi/connectors');
    connectors.push(walletConnect({ projectId: config.walletConnectProjectId, showQrModal: false }));
  }
  return createConfig({
    chains,
    connectors,
    transports: Object.fromEntries(chains.map((chain) => [chain.id, http(chain.rpcUrls.default.http[0])])),
    pollingInterval: config.chainId === 31337 ? 500 : 4_000,
  });
}
