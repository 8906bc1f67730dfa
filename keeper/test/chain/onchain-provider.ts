// Chain helpers for an on-chain provider: register and list an offer as the provider wallet, and commit a route to
// it as the keeper (the same transactions the provider agent's `sync` and the keeper's intake send).
import { jobMarketAbi, providerRegistryAbi, type Deployment } from '@necto/contracts';
import { createPublicClient, createWalletClient, http, keccak256, pad, stringToHex, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { ANVIL_KEYS } from './anvil.js';

function clients(url: string, key: Hex) {
  const account = privateKeyToAccount(key);
  const publicClient = createPublicClient({ chain: foundry, transport: http(url), pollingInterval: 100 });
  const wallet = createWalletClient({ chain: foundry, transport: http(url), account, pollingInterval: 100 });
  const send = async (hash: Promise<Hex>) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== 'success') throw new Error('tx reverted');
    return receipt;
  };
  return { account, publicClient, wallet, send };
}

/** A provider wallet (default anvil #2) with one registered profile and one listed A100 offer. */
export async function registerProvider(url: string, deployment: Deployment, key: Hex = ANVIL_KEYS[2], offer: { pricePerGpuHour?: number } = {}) {
  const { account, publicClient, wallet, send } = clients(url, key);
  const registry = deployment.contracts.ProviderRegistry;
  await send(wallet.writeContract({ address: registry, abi: providerRegistryAbi, functionName: 'registerProvider', args: ['Test GPU host', '', 'us-east', account.address] }));
  const price = offer.pricePerGpuHour ?? 1_000_000;
  await send(
    wallet.writeContract({
      address: registry,
      abi: providerRegistryAbi,
      functionName: 'listOffer',
      args: [{ gpuModel: 'a100', gpuCount: 1, vramGb: 80, vcpu: 8, ramGb: 64, region: 'us-east', pricePerGpuHour: price, availableUnits: 2 }],
    }),
  );
  const offerId = await publicClient.readContract({ address: registry, abi: providerRegistryAbi, functionName: 'offerCount' });
  return { address: account.address as Address, key, offerId, pricePerGpuHour: price };
}

/** Commits a route for `jobId` to an on-chain provider's offer, as the keeper (anvil #1). */
export async function commitRouteToProvider(url: string, deployment: Deployment, jobId: bigint, provider: { address: Address; offerId: bigint; pricePerGpuHour: number }) {
  const { send } = clients(url, ANVIL_KEYS[1]);
  const { wallet } = clients(url, ANVIL_KEYS[1]);
  return send(
    wallet.writeContract({
      address: deployment.contracts.JobMarket,
      abi: jobMarketAbi,
      functionName: 'commitRoute',
      args: [
        jobId,
        {
          providerRef: pad(provider.address, { size: 32 }),
          offerId: provider.offerId,
          pricePerGpuHour: provider.pricePerGpuHour,
          logRoot: keccak256(stringToHex(`log-${jobId}`)),
          decisionHash: keccak256(stringToHex(`decision-${jobId}`)),
          sdlHash: pad('0x00', { size: 32 }),
          market: '',
          externalId: '',
        },
      ],
    }),
  );
}
