// One transaction lifecycle for every write: simulate (so a custom error is decoded before the wallet opens),
// estimate its gas and add headroom (./gas: the state it lands on may differ from the one estimated against), sign
// in the wallet, wait for the receipt. Each phase is state a component can show.
import { useCallback, useRef, useState } from 'react';
import { encodeFunctionData, type Abi, type Address, type Hash, type TransactionReceipt } from 'viem';
import { useConfig } from 'wagmi';
import { estimateGas, getAccount, simulateContract, waitForTransactionReceipt, writeContract } from 'wagmi/actions';
import { useRuntimeConfig } from '../config/context';
import { decodeError, type DecodedError } from '../lib/errors';
import { requestConnect } from '../wallet/connectStore';
import { NECTO_ERROR_ABI } from './errorAbi';
import { gasLimitFor } from './gas';

export type TxStatus =
  | { phase: 'idle' }
  | { phase: 'preparing' }
  | { phase: 'signing' }
  | { phase: 'pending'; hash: Hash }
  | { phase: 'confirmed'; hash: Hash; receipt: TransactionReceipt }
  | { phase: 'failed'; error: DecodedError; hash?: Hash };

export interface ContractCall {
  abi: Abi;
  address: Address;
  functionName: string;
  args: readonly unknown[];
}

export interface TxHandle {
  status: TxStatus;
  busy: boolean;
  /** Runs the call; resolves with the receipt when confirmed, null when it failed or was rejected. */
  send(call: ContractCall, beforeSend?: () => Promise<void>): Promise<TransactionReceipt | null>;
  /** Runs any async step (a signature) with the same failure handling. */
  fail(error: unknown): void;
  reset(): void;
}

export function useTx(): TxHandle {
  const wagmiConfig = useConfig();
  const { chainId } = useRuntimeConfig();
  const [status, setStatus] = useState<TxStatus>({ phase: 'idle' });
  const inFlight = useRef(false);

  const fail = useCallback((error: unknown) => {
    setStatus({ phase: 'failed', error: decodeError(error, NECTO_ERROR_ABI) });
  }, []);

  const send = useCallback(
    async (call: ContractCall): Promise<TransactionReceipt | null> => {
      const account = getAccount(wagmiConfig);
      if (!account.address) {
        requestConnect();
        return null;
      }
      if (inFlight.current) return null;
      inFlight.current = true;
      let hash: Hash | undefined;
      try {
        setStatus({ phase: 'preparing' });
        const { request } = await simulateContract(wagmiConfig, {
          ...(call as Parameters<typeof simulateContract>[1]),
          account: account.address,
          chainId,
        });
        const estimate = await estimateGas(wagmiConfig, {
          account: account.address,
          chainId,
          to: call.address,
          data: encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args }),
        });
        setStatus({ phase: 'signing' });
        hash = await writeContract(wagmiConfig, { ...(request as Parameters<typeof writeContract>[1]), gas: gasLimitFor(estimate) });
        setStatus({ phase: 'pending', hash });
        const receipt = await waitForTransactionReceipt(wagmiConfig, { hash, chainId });
        if (receipt.status !== 'success') {
          setStatus({ phase: 'failed', hash, error: { message: 'The transaction reverted on-chain.' } });
          return null;
        }
        setStatus({ phase: 'confirmed', hash, receipt });
        return receipt;
      } catch (error) {
        setStatus({ phase: 'failed', hash, error: decodeError(error, NECTO_ERROR_ABI) });
        return null;
      } finally {
        inFlight.current = false;
      }
    },
    [wagmiConfig, chainId],
  );

  const busy = status.phase === 'preparing' || status.phase === 'signing' || status.phase === 'pending';
  return { status, busy, send, fail, reset: useCallback(() => setStatus({ phase: 'idle' }), []) };
}
