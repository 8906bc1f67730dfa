import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { decodeFunctionData, type Abi, type Address } from 'viem';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigProvider } from '../config/context';
import { testConfig } from '../test/render';
import { jobMarketAbi } from './abis';
import { gasLimitFor, MIN_GAS_HEADROOM } from './gas';
import { useTx } from './useTx';

// The wallet and node side of a write, recorded: what the node estimates and what the wallet is asked to send.
const chain = vi.hoisted(() => ({
  estimate: 0n,
  estimated: [] as Array<{ to: string; data: string; account: string }>,
  sent: [] as Array<Record<string, unknown>>,
}));
vi.mock('wagmi', () => ({ useConfig: () => ({}) }));
vi.mock('wagmi/actions', () => ({
  getAccount: () => ({ address: '0x90F79bf6EB2c4f870365E785982E1f101E93b906' }),
  simulateContract: async (_config: unknown, call: Record<string, unknown>) => ({ request: { ...call } }),
  estimateGas: async (_config: unknown, params: { to: string; data: string; account: string }) => {
    chain.estimated.push(params);
    return chain.estimate;
  },
  writeContract: async (_config: unknown, request: Record<string, unknown>) => {
    chain.sent.push(request);
    return `0x${'ab'.repeat(32)}`;
  },
  waitForTransactionReceipt: async () => ({ status: 'success' }),
}));

const wrapper = ({ children }: { children: ReactNode }) => <ConfigProvider config={testConfig}>{children}</ConfigProvider>;
const JOB_MARKET: Address = '0x5FC8d32690cc91D4c39d9d3abcBD16989F875707';

describe('gasLimitFor', () => {
  it('adds 20 % of the estimate, and at least the running-path headroom', () => {
    expect(gasLimitFor(1_000_000n)).toBe(1_200_000n);
    // Small writes (a cancel estimated at ~70k) get the fixed floor: 20 % would not cover the running path.
    expect(gasLimitFor(70_000n)).toBe(70_000n + MIN_GAS_HEADROOM);
    expect(gasLimitFor(300_001n)).toBe(360_002n);
  });

  it('refuses an estimate that is not positive', () => {
    expect(() => gasLimitFor(0n)).toThrow(RangeError);
  });
});

describe('useTx', () => {
  beforeEach(() => {
    chain.estimated.length = 0;
    chain.sent.length = 0;
  });

  it('sends every write with the estimate of that call plus headroom, not the bare estimate', async () => {
    chain.estimate = 71_234n;
    const { result } = renderHook(() => useTx(), { wrapper });
    let receipt: unknown;
    await act(async () => {
      receipt = await result.current.send({ abi: jobMarketAbi as Abi, address: JOB_MARKET, functionName: 'cancelJob', args: [7n] });
    });
    expect(receipt).toEqual({ status: 'success' });
    expect(result.current.status.phase).toBe('confirmed');
    // The estimate is of this very call, from the connected account.
    expect(chain.estimated).toHaveLength(1);
    expect(chain.estimated[0]!.to).toBe(JOB_MARKET);
    expect(chain.estimated[0]!.account).toBe('0x90F79bf6EB2c4f870365E785982E1f101E93b906');
    expect(decodeFunctionData({ abi: jobMarketAbi, data: chain.estimated[0]!.data as `0x${string}` })).toMatchObject({ functionName: 'cancelJob', args: [7n] });
    expect(chain.sent).toHaveLength(1);
    expect(chain.sent[0]).toMatchObject({ functionName: 'cancelJob', args: [7n], gas: 131_234n });
  });

  it('fails the write (nothing sent) when the node cannot estimate it', async () => {
    chain.estimate = 0n;
    const { result } = renderHook(() => useTx(), { wrapper });
    await act(async () => {
      await result.current.send({ abi: jobMarketAbi as Abi, address: JOB_MARKET, functionName: 'cancelJob', args: [7n] });
    });
    expect(result.current.status.phase).toBe('failed');
    expect(chain.sent).toHaveLength(0);
  });
});
