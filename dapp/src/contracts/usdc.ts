// USDC reads allowed outside the subgraph: the connected wallet's balance, allowance and permit nonce.
import { usdcAbi } from './abis';
import { parseSignature, type Address, type Hex } from 'viem';
import { useAccount, useConfig, useReadContracts } from 'wagmi';
import { readContract, signTypedData } from 'wagmi/actions';
import { useRuntimeConfig } from '../config/context';
import { useDeployment } from './deployment';

export function useUsdcAccount() {
  const { address } = useAccount();
  const { chainId } = useRuntimeConfig();
  const deployment = useDeployment();
  const usdc = deployment.ok ? deployment.deployment.contracts.USDC : undefined;
  const market = deployment.ok ? deployment.deployment.contracts.JobMarket : undefined;
  const enabled = Boolean(address && usdc && market);
  const result = useReadContracts({
    contracts: [
      { abi: usdcAbi, address: usdc, functionName: 'balanceOf', args: [address!], chainId },
      { abi: usdcAbi, address: usdc, functionName: 'allowance', args: [address!, market!], chainId },
      { abi: usdcAbi, address: usdc, functionName: 'faucetEnabled', chainId },
    ],
    query: { enabled, refetchInterval: 4_000 },
  });
  const [balance, allowance, faucetEnabled] = result.data ?? [];
  return {
    balance: balance?.status === 'success' ? (balance.result as bigint) : undefined,
    allowance: allowance?.status === 'success' ? (allowance.result as bigint) : undefined,
    faucetEnabled: faucetEnabled?.status === 'success' ? Boolean(faucetEnabled.result) : false,
    isLoading: result.isLoading,
    error: result.error,
    refetch: result.refetch,
  };
}

export interface PermitSignature {
  deadline: bigint;
  v: number;
  r: Hex;
  s: Hex;
}

/** Signs an EIP-2612 permit for `spender` with the token's own EIP-712 domain (read with EIP-5267). */
export function useSignPermit() {
  const wagmiConfig = useConfig();
  const { chainId } = useRuntimeConfig();
  const deployment = useDeployment();
  return async (owner: Address, spender: Address, value: bigint, ttlSeconds = 3600): Promise<PermitSignature> => {
    if (!deployment.ok) throw new Error(deployment.error);
    const token = deployment.deployment.contracts.USDC;
    const [[, name, version, domainChainId, verifyingContract], nonce] = await Promise.all([
      readContract(wagmiConfig, { abi: usdcAbi, address: token, functionName: 'eip712Domain', chainId }),
      readContract(wagmiConfig, { abi: usdcAbi, address: token, functionName: 'nonces', args: [owner], chainId }),
    ]);
    const deadline = BigInt(Math.floor(Date.now() / 1000) + ttlSeconds);
    const signature = await signTypedData(wagmiConfig, {
      account: owner,
      domain: { name, version, chainId: Number(domainChainId), verifyingContract },
      types: {
        Permit: [
          { name: 'owner', type: 'address' },
          { name: 'spender', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'nonce', type: 'uint256' },
          { name: 'deadline', type: 'uint256' },
        ],
      },
      primaryType: 'Permit',
      message: { owner, spender, value, nonce, deadline },
    });
    const { r, s, v, yParity } = parseSignature(signature);
    return { deadline, r, s, v: Number(v ?? BigInt(yParity + 27)) };
  };
}
