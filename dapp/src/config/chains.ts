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

// A small anvil mark for the wallet's network menu (RainbowKit reads `iconUrl`/`iconBackground` from the chain).
const LOCAL_ICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 28 28"><rect width="28" height="28" rx="14" fill="#1f6feb"/>' +
      '<path d="M6 10h13c0 2.2 1.8 4 4 4v1h-5l-1 2h2v3H9v-3h2l-1-2c-2.2 0-4-1.8-4-4z" fill="#fff"/></svg>',
  );

export const localChain = { ...defineChain({ ...foundry, name: 'Local (anvil)' }), iconUrl: LOCAL_ICON, iconBackground: '#1f6feb' } as Chain;

const KNOWN_CHAINS: readonly Chain[] = [localChain, adiTestnet, baseSepolia];

/** The chains offered in the wallet's network menu, the configured one first, with RPC overrides from config applied. */
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
  // Only chains this deployment is configured for: the contracts' chain, and others given an RPC URL explicitly.
  const others = KNOWN_CHAINS.filter((c) => c.id !== primary.id && config.rpcUrls[String(c.id)] !== undefined);
  return [withRpc(primary), ...others.map(withRpc)];
}

export function explorerTxUrl(chain: Chain | undefined, hash: string): string | undefined {
  const base = chain?.blockExplorers?.default.url;
  return base ? `${base.replace(/\/$/, '')}/tx/${hash}` : undefined;
}
