// viem clients for the configured chain. Retries are ours (tx queue, intake), not the transport's, so an RPC
// outage shows up at once and is handled in one place.
import { createPublicClient, createWalletClient, defineChain, http, type Chain, type PublicClient, type WalletClient, type Account, type Transport } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

export interface ChainClients {
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, Account>;
  account: Account;
}

export function createChainClients(opts: { rpcUrl: string; chainId: number; privateKey: `0x${string}`; pollingIntervalMs?: number; timeoutMs?: number }): ChainClients {
  const chain = defineChain({
    id: opts.chainId,
    name: opts.chainId === 31337 ? 'Anvil' : `chain-${opts.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [opts.rpcUrl] } },
  });
  const transport = http(opts.rpcUrl, { retryCount: 0, timeout: opts.timeoutMs ?? 10_000 });
  const account = privateKeyToAccount(opts.privateKey);
  const pollingInterval = opts.pollingIntervalMs ?? 250;
  return {
    chain,
    account,
    publicClient: createPublicClient({ chain, transport, pollingInterval }),
    walletClient: createWalletClient({ chain, transport, account, pollingInterval }),
  };
}
