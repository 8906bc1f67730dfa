// Typed write hooks per contract: the function name and arguments are checked against the generated ABIs.
import { jobMarketAbi, usdcAbi, providerRegistryAbi, teamRegistryAbi } from './abis';
import { useCallback } from 'react';
import type { Abi, Address, ContractFunctionArgs, ContractFunctionName } from 'viem';
import { useDeployment } from './deployment';
import { useTx, type TxHandle } from './useTx';

type Writable<A extends Abi> = ContractFunctionName<A, 'nonpayable' | 'payable'>;
type ArgsOf<A extends Abi, F extends Writable<A>> = ContractFunctionArgs<A, 'nonpayable' | 'payable', F>;

export interface ContractWriter<A extends Abi> extends TxHandle {
  write<F extends Writable<A>>(functionName: F, args: ArgsOf<A, F>): ReturnType<TxHandle['send']>;
  address: Address | undefined;
}

function useContractWriter<A extends Abi>(abi: A, pick: (c: { JobMarket: Address; ProviderRegistry: Address; TeamRegistry: Address; USDC: Address }) => Address): ContractWriter<A> {
  const tx = useTx();
  const deployment = useDeployment();
  const address = deployment.ok ? pick(deployment.deployment.contracts) : undefined;
  const { send, fail } = tx;
  const write = useCallback(
    async <F extends Writable<A>>(functionName: F, args: ArgsOf<A, F>) => {
      if (!address) {
        fail(new Error(deployment.ok ? 'Unknown contract address' : deployment.error));
        return null;
      }
      return send({ abi, address, functionName, args: args as readonly unknown[] });
    },
    [abi, address, send, fail, deployment],
  );
  return { ...tx, write, address };
}

export const useJobMarketWrite = () => useContractWriter(jobMarketAbi, (c) => c.JobMarket);
export const useProviderRegistryWrite = () => useContractWriter(providerRegistryAbi, (c) => c.ProviderRegistry);
export const useTeamRegistryWrite = () => useContractWriter(teamRegistryAbi, (c) => c.TeamRegistry);
export const useUsdcWrite = () => useContractWriter(usdcAbi, (c) => c.USDC);
