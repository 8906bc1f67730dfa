import { defineChain, type Chain } from 'viem';
import { baseSepolia, foundry } from 'viem/chains';
import type { RuntimeConfig } from './schema';

/** ADI testnet (ADI Foundation chain). RPC comes from config (`rpcUrls["99999"]`) when it differs. */
export const adiTestnet = defineChain({
  id: 99999,
  name: 'ADI Testnet',
  nativeCurrency: { name: 'ADI', symbol: 'ADI', decimals: 18 },
  rpcUrls: { default: { http: ['https://rpc.ab.testnet.adifoundation.ai'] } },
  blockExplorers: { default: { name: 'ADI Explorer', url: 'https://explorer.ab.testnet.adifoundation.ai' } },
  testnet: true,
});

export const localChain = defineChain({ ...foundry, name: 'Local (anvil)' });

const KNOWN_CHAINS: readonly Chain[] = [localChain, adiTestnet, baseSepolia];

/** The chains offered in the wallet, the configured one first, with RPC overrides from config applied. */
export function chainsFor(config: RuntimeConfig): [Chain, ...Chain[]] {
  const withRpc = (chain: Chain): Chain => {
    const url = config.rpcUrls[String(chain.id)];
    return url ? { ...chain, rpcUrls: { ...chain.rpcUrls, default: { http: [url] } } } : chain;
  };
  const primary = KNOWN_CHAINS.find((c) => c.id === config.chainId) ??
    defineChain({
      id: config.chainId,
      name: `Chain ${config.chainId}`,
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [config.rpcUrls[String(config.chainId)] ?? 'http://127.0.0.1:8545'] } },
    });
  const others = KNOWN_CHAINS.filter((c) => c.id !== primary.id && (c.id !== localChain.id || config.chainId === localChain.id));
  return [withRpc(primary), ...others.map(withRpc)];
}

export function explorerTxUrl(chain: Chain | undefined, hash: string): string | undefined {
  const base = chain?.blockExplorers?.default.url;
  return base ? `${base.replace(/\/$/, '')}/tx/${hash}` : undefined;
}
